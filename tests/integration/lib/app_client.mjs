// A small client for the app server's API (/api), as a browser or a script
// would use it.
//
// AppClient keeps the session cookie and the CSRF token like the web UI does:
// every response's Set-Cookie updates the cookie, every JSON body carrying
// csrfToken updates the token, and state-changing requests send it in
// X-CSRF-Token. Options per request: {bearer} sends a personal access key
// instead of the cookie, {csrf: false} omits the token, {cookie} overrides
// the cookie value. Responses are {status, headers, json, text}.
export const SESSION_COOKIE = 'otelstack.sid';

export class AppClient {
  constructor(baseUrl) {
    this.baseUrl = baseUrl;
    this.cookie = null; // value of otelstack.sid
    this.csrfToken = null;
  }

  async request(method, path, body, { bearer, csrf = true, cookie, headers = {} } = {}) {
    const h = { ...headers };
    if (body !== undefined) h['content-type'] = 'application/json';
    if (bearer) {
      h.authorization = `Bearer ${bearer}`;
    } else {
      const value = cookie ?? this.cookie;
      if (value) h.cookie = `${SESSION_COOKIE}=${value}`;
      if (csrf && this.csrfToken && method !== 'GET') h['x-csrf-token'] = this.csrfToken;
    }
    const res = await fetch(this.baseUrl + path, {
      method,
      headers: h,
      body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
    });
    const text = await res.text();
    let json;
    try {
      json = text ? JSON.parse(text) : undefined;
    } catch {
      json = undefined;
    }
    for (const line of res.headers.getSetCookie()) {
      const m = new RegExp(`^${SESSION_COOKIE.replace('.', '\\.')}=([^;]*)`).exec(line);
      if (m && !bearer && cookie === undefined) this.cookie = m[1] || null;
    }
    if (json && typeof json.csrfToken === 'string') this.csrfToken = json.csrfToken;
    return { status: res.status, headers: res.headers, json, text };
  }

  get(path, opts) {
    return this.request('GET', path, undefined, opts);
  }
  post(path, body = {}, opts) {
    return this.request('POST', path, body, opts);
  }
  put(path, body = {}, opts) {
    return this.request('PUT', path, body, opts);
  }
  patch(path, body = {}, opts) {
    return this.request('PATCH', path, body, opts);
  }
  delete(path, opts) {
    return this.request('DELETE', path, undefined, opts);
  }

  async register(email, password, extra = {}) {
    return this.post('/api/register/password', { email, password, confirmPassword: password, ...extra });
  }

  async login(email, password) {
    return this.post('/api/login/password', { email, password });
  }
}

// A password that satisfies the policy.
export const GOOD_PASSWORD = 'Correct-Horse-9-battery';

// Registers the first admin on `server` and returns the logged-in client.
export async function registerAdmin(server, email = 'admin@example.com', password = GOOD_PASSWORD) {
  const admin = new AppClient(server.appUrl());
  const res = await admin.register(email, password);
  if (res.status !== 200) throw new Error(`register: ${res.status} ${res.text}`);
  return admin;
}

// Invites `email` with `role` as `admin` and returns the new member's
// logged-in client.
export async function addMember(server, admin, email, role, password = GOOD_PASSWORD) {
  const invite = await admin.post('/api/team/invitations', { email, role });
  if (invite.status !== 201) throw new Error(`invite: ${invite.status} ${invite.text}`);
  const member = new AppClient(server.appUrl());
  const joined = await member.post('/api/join-team', {
    token: invite.json.token,
    email,
    password,
    confirmPassword: password,
  });
  if (joined.status !== 200) throw new Error(`join: ${joined.status} ${joined.text}`);
  return member;
}
