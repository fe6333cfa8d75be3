// One way to turn a failed request into the text shown to the user: the
// server's own message (ApiError), or the browser's for network failures.

import { ApiError } from '../../../api/client';

export function errorText(e: unknown): string {
  if (e instanceof ApiError) {
    if (e.status === 403) return `Not allowed: ${e.message}`;
    return e.message;
  }
  if (e instanceof Error) return `Could not reach the server: ${e.message}`;
  return String(e);
}

export function isAbort(e: unknown): boolean {
  return e instanceof DOMException && e.name === 'AbortError';
}
