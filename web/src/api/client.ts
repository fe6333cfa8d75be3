// The one way the UI talks to the server: JSON over fetch to /api, with the
// session cookie (same origin) and the CSRF token on every state change.
//
// Errors: a non-2xx answer throws ApiError carrying the status and the
// server's {"error": "..."} message, so pages can show exactly what went
// wrong. A 401 also notifies the auth layer (the session ended).

export class ApiError extends Error {
  constructor(
    public status: number,
    message: string,
    // From Retry-After on 429/503: how long to wait before trying again.
    public retryAfterSeconds: number | null = null,
  ) {
    super(message);
  }
}

let csrfToken: string | null = null;
let onUnauthenticated: (() => void) | null = null;

export function setCsrfToken(token: string | null) {
  csrfToken = token;
}

export function setUnauthenticatedHandler(handler: (() => void) | null) {
  onUnauthenticated = handler;
}

export interface RequestOptions {
  signal?: AbortSignal;
}

export async function api<T>(method: string, path: string, body?: unknown, options: RequestOptions = {}): Promise<T> {
  const headers: Record<string, string> = {};
  if (body !== undefined) headers['content-type'] = 'application/json';
  if (method !== 'GET' && csrfToken) headers['x-csrf-token'] = csrfToken;
  const res = await fetch(path, {
    method,
    headers,
    body: body === undefined ? undefined : JSON.stringify(body),
    credentials: 'same-origin',
    signal: options.signal,
  });
  const text = await res.text();
  let json: any = undefined;
  if (text) {
    try {
      json = JSON.parse(text);
    } catch {
      json = undefined;
    }
  }
  if (json && typeof json.csrfToken === 'string') csrfToken = json.csrfToken;
  if (!res.ok) {
    if (res.status === 401 && onUnauthenticated && !path.startsWith('/api/login')) onUnauthenticated();
    const message = json && typeof json.error === 'string' ? json.error : `${res.status} ${res.statusText}`;
    const retryAfter = Number(res.headers.get('retry-after'));
    throw new ApiError(res.status, message, Number.isFinite(retryAfter) && retryAfter > 0 ? retryAfter : null);
  }
  return json as T;
}

export const get = <T>(path: string, options?: RequestOptions) => api<T>('GET', path, undefined, options);
export const post = <T>(path: string, body: unknown = {}, options?: RequestOptions) => api<T>('POST', path, body, options);
export const put = <T>(path: string, body: unknown = {}) => api<T>('PUT', path, body);
export const patch = <T>(path: string, body: unknown = {}) => api<T>('PATCH', path, body);
export const del = <T>(path: string) => api<T>('DELETE', path);
