// The app server's security: every route from openapi.json refuses callers
// without credentials (401) and callers with too low a role (403); cookies
// are signed and revocable, CSRF is enforced, passwords follow the policy,
// logins are throttled, registration closes after the first team,
// invitations are single-use, key rotation keeps a grace period, session
// secrets rotate, production mode refuses unsafe secrets, and no secret
// reaches a log or a file in clear.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';

import { BIN, makeTempDir, runCliRaw, startServer } from './lib/harness.mjs';
import { AppClient, GOOD_PASSWORD, addMember, registerAdmin } from './lib/app_client.mjs';

const SECRET_A = 'a3f9c2e7b1d84f6a9e0c5b7d2f8a4c6e-first-rotation-key';
const SECRET_B = '7d1e9b3c5a2f8e6d4c0b9a7f5e3d1c8b-second-rotation-key';

// Fills path parameters with syntactically valid values: authentication and
// role checks come before any lookup, so the values need not exist.
function concretePath(p) {
  return p
    .replace('{traceId}', '0123456789abcdef0123456789abcdef')
    .replace('{token}', 'ab'.repeat(32))
    .replace(/\{[^}]+\}/g, '1');
}

function operations(openapi) {
  const ops = [];
  for (const [p, methods] of Object.entries(openapi.paths)) {
    for (const [method, op] of Object.entries(methods)) {
      ops.push({ path: p, method: method.toUpperCase(), op });
    }
  }
  return ops;
}

const isPublic = (op) => Array.isArray(op.security) && op.security.length === 0;

describe('route audit', () => {
  let server, admin, editor, viewer, openapi;
  before(async () => {
    server = await startServer(null, { env: { OTELSTACK_SESSION_SECRET: SECRET_A } });
    admin = await registerAdmin(server);
    editor = await addMember(server, admin, 'editor@example.com', 'editor');
    viewer = await addMember(server, admin, 'viewer@example.com', 'viewer');
    const res = await fetch(server.appUrl() + '/api/openapi.json');
    assert.equal(res.status, 200);
    openapi = await res.json();
  });
  after(async () => {
    await server.stop();
  });

  test('openapi.json lists the routes with their roles', () => {
    const ops = operations(openapi);
    assert.ok(ops.length >= 40, `only ${ops.length} operations`);
    for (const { path: p, method, op } of ops) {
      if (!isPublic(op)) {
        assert.ok(['viewer', 'editor', 'admin'].includes(op['x-otelstack-role']), `${method} ${p} has no role`);
      }
    }
    const publicOps = ops.filter(({ op }) => isPublic(op)).map(({ method, path: p }) => `${method} ${p}`);
    assert.deepEqual(
      publicOps.sort(),
      [
        'GET /api/health',
        'GET /api/installation',
        'GET /api/join-team/{token}',
        'GET /api/openapi.json',
        'POST /api/join-team',
        'POST /api/login/password',
        'POST /api/register/password',
      ].sort(),
      'the only routes without authentication',
    );
  });

  test('every authenticated route answers 401 without credentials', async () => {
    const anonymous = new AppClient(server.appUrl());
    const failures = [];
    for (const { path: p, method, op } of operations(openapi)) {
      if (isPublic(op)) continue;
      const res = await anonymous.request(method, concretePath(p), method === 'GET' ? undefined : {});
      if (res.status !== 401) failures.push(`${method} ${p}: ${res.status}`);
    }
    assert.deepEqual(failures, []);
  });

  test('every route above a role answers 403 to that role', async () => {
    const failures = [];
    let checked = 0;
    for (const { path: p, method, op } of operations(openapi)) {
      if (isPublic(op)) continue;
      const role = op['x-otelstack-role'];
      const tooLow = role === 'admin' ? [viewer, editor] : role === 'editor' ? [viewer] : [];
      for (const client of tooLow) {
        const res = await client.request(method, concretePath(p), method === 'GET' ? undefined : {});
        checked++;
        if (res.status !== 403) failures.push(`${method} ${p} as ${client === viewer ? 'viewer' : 'editor'}: ${res.status}`);
      }
    }
    assert.deepEqual(failures, []);
    assert.ok(checked >= 20, `only ${checked} role checks`);
  });

  test('viewers read, editors change sources, only admins see ingestion keys', async () => {
    assert.equal((await viewer.get('/api/v2/sources')).status, 200);
    assert.equal((await viewer.get('/api/ingestion-keys')).status, 403);
    assert.equal((await admin.get('/api/ingestion-keys')).status, 200);
    const sources = (await editor.get('/api/v2/sources')).json.data;
    assert.ok(sources.some((s) => s.name === 'Logs'), JSON.stringify(sources));
    assert.ok(!sources.some((s) => s.name === 'Audit'), 'the audit source is for admins only');
  });

  test('forged and altered cookies are refused', async () => {
    const me = await admin.get('/api/me');
    assert.equal(me.status, 200);
    const [id, sig] = admin.cookie.split('.');
    const flipped = sig[0] === 'A' ? 'B' + sig.slice(1) : 'A' + sig.slice(1);
    for (const cookie of [`${id}.${flipped}`, `${'0'.repeat(id.length)}.${sig}`, id, 'garbage']) {
      const res = await admin.get('/api/me', { cookie });
      assert.equal(res.status, 401, `cookie ${cookie.slice(0, 12)}...`);
    }
  });

  test('a cookie-authenticated change without the CSRF token is refused', async () => {
    const res = await admin.post('/api/me/keys', { name: 'csrf-test' }, { csrf: false });
    assert.equal(res.status, 403);
    assert.match(res.json.error, /CSRF/);
    const wrong = await admin.post('/api/me/keys', { name: 'csrf-test' }, { headers: {}, csrf: false, cookie: admin.cookie });
    assert.equal(wrong.status, 403);
    const ok = await admin.post('/api/me/keys', { name: 'csrf-test' });
    assert.equal(ok.status, 201, ok.text);
  });

  test('logout revokes the session on the server', async () => {
    const member = await addMember(server, admin, 'leaver@example.com', 'viewer');
    const cookie = member.cookie;
    assert.equal((await member.post('/api/logout')).status, 200);
    assert.equal((await member.get('/api/me', { cookie })).status, 401, 'the old cookie is dead after logout');
  });

  test('registration is closed once a team exists', async () => {
    const res = await new AppClient(server.appUrl()).register('late@example.com', GOOD_PASSWORD);
    assert.equal(res.status, 409);
  });

  test('an invitation works once', async () => {
    const invite = await admin.post('/api/team/invitations', { role: 'viewer' });
    assert.equal(invite.status, 201);
    assert.match(invite.json.url, /\/join-team\?token=[0-9a-f]{64}$/);
    const body = { token: invite.json.token, email: 'once@example.com', password: GOOD_PASSWORD, confirmPassword: GOOD_PASSWORD };
    assert.equal((await new AppClient(server.appUrl()).post('/api/join-team', body)).status, 200);
    const again = await new AppClient(server.appUrl()).post('/api/join-team', { ...body, email: 'twice@example.com' });
    assert.equal(again.status, 409);
    assert.match(again.json.error, /used/);
  });

  test('personal keys: rotation keeps the old key for the grace period, revocation is immediate', async () => {
    const created = await admin.post('/api/me/keys', { name: 'script' });
    const oldKey = created.json.raw;
    assert.match(oldKey, /^osk_[0-9a-f]{64}$/);
    assert.equal((await admin.get('/api/me', { bearer: oldKey })).status, 200);
    const rotated = await admin.post(`/api/me/keys/${created.json.key.id}/rotate`, { graceSeconds: 3600 });
    assert.equal(rotated.status, 201);
    assert.equal((await admin.get('/api/me', { bearer: oldKey })).status, 200, 'old key works during grace');
    assert.equal((await admin.get('/api/me', { bearer: rotated.json.raw })).status, 200);
    const noGrace = await admin.post(`/api/me/keys/${rotated.json.key.id}/rotate`, { graceSeconds: 0 });
    assert.equal((await admin.get('/api/me', { bearer: rotated.json.raw })).status, 401, 'no grace: dead at once');
    assert.equal((await admin.delete(`/api/me/keys/${noGrace.json.key.id}`)).status, 200);
    assert.equal((await admin.get('/api/me', { bearer: noGrace.json.raw })).status, 401);
  });

  test('the password policy is enforced', async () => {
    const invite = await admin.post('/api/team/invitations', { role: 'viewer' });
    for (const password of ['Short-1a', 'alllowercase-123', 'ALLUPPERCASE-123', 'NoDigitsHere-abc', 'NoSpecial123abc', 'x'.repeat(70) + 'A1-z']) {
      const res = await new AppClient(server.appUrl()).post('/api/join-team', {
        token: invite.json.token,
        email: 'policy@example.com',
        password,
        confirmPassword: password,
      });
      assert.equal(res.status, 400, `password ${password.slice(0, 20)} accepted`);
    }
  });
});

describe('sessions and secrets across restarts', () => {
  test('logins are throttled per account', async (t) => {
    const server = await startServer(t, { env: { OTELSTACK_SESSION_SECRET: SECRET_A } });
    await registerAdmin(server, 'throttle@example.com');
    const client = new AppClient(server.appUrl());
    const statuses = [];
    for (let i = 0; i < 6; i++) statuses.push((await client.login('throttle@example.com', 'Wrong-password-1')).status);
    assert.deepEqual(statuses.slice(0, 5), [401, 401, 401, 401, 401]);
    const blocked = await client.login('throttle@example.com', GOOD_PASSWORD);
    assert.equal(blocked.status, 429, 'even the right password waits');
    assert.ok(Number(blocked.headers.get('retry-after')) > 0);
    await server.stop();
  });

  test('a session secret can be rotated without logging everyone out', async (t) => {
    const dataDir = makeTempDir(t);
    let server = await startServer(t, { dataDir, env: { OTELSTACK_SESSION_SECRET: SECRET_A } });
    const admin = await registerAdmin(server);
    const cookie = admin.cookie;
    await server.stop();

    server = await startServer(t, { dataDir, env: { OTELSTACK_SESSION_SECRET: `${SECRET_B},${SECRET_A}` } });
    const during = new AppClient(server.appUrl());
    assert.equal((await during.get('/api/me', { cookie })).status, 200, 'old cookie verifies under [new, old]');
    await server.stop();

    server = await startServer(t, { dataDir, env: { OTELSTACK_SESSION_SECRET: SECRET_B } });
    const afterRotation = new AppClient(server.appUrl());
    assert.equal((await afterRotation.get('/api/me', { cookie })).status, 401, 'old key dropped: cookie refused');
    await server.stop();
  });

  test('production mode refuses a missing, weak or published session secret', async (t) => {
    const cases = [
      { env: {}, message: /session secret/i },
      { env: { OTELSTACK_SESSION_SECRET: 'Xq9zW7' }, message: /OTELSTACK_SESSION_SECRET.*too short/ },
      { env: { OTELSTACK_SESSION_SECRET: 'a'.repeat(64) }, message: /OTELSTACK_SESSION_SECRET/ },
      { env: { EXPRESS_SESSION_SECRET: 'hyperdx is cool 👋' }, message: /EXPRESS_SESSION_SECRET/ },
    ];
    for (const c of cases) {
      const dataDir = makeTempDir(t);
      const result = await runCliRaw(
        ['serve', '--data-dir', dataDir, '--otlp-grpc-listen', '127.0.0.1:0', '--otlp-http-listen', '127.0.0.1:0', '--http-listen', '127.0.0.1:0', '--internal-listen', '127.0.0.1:0'],
        { env: { OTELSTACK_ENV: 'production', OTELSTACK_INGESTION_KEY: 'itest-ingestion-key-0123456789abcdef', ...c.env } },
      );
      assert.notEqual(result.code, 0, `started with ${JSON.stringify(c.env)}`);
      assert.match(result.stderr, c.message);
      for (const value of Object.values(c.env)) {
        if (value.length >= 5) assert.ok(!result.stderr.includes(value), 'the secret itself is not printed');
      }
    }
  });

  test('without a secret in development one is generated into the data dir (0600) and reused', async (t) => {
    const dataDir = makeTempDir(t);
    let server = await startServer(t, { dataDir });
    assert.match(server.stderr, /no session secret configured/);
    const mode = statSync(path.join(dataDir, 'session.secret')).mode & 0o777;
    assert.equal(mode, 0o600);
    const admin = await registerAdmin(server);
    await server.stop();
    server = await startServer(t, { dataDir });
    assert.equal((await new AppClient(server.appUrl()).get('/api/me', { cookie: admin.cookie })).status, 200);
    await server.stop();
  });
});

describe('secrets never appear in logs or files in clear', () => {
  test('passwords, raw keys and session ids stay out of every log and data file', async (t) => {
    const dataDir = makeTempDir(t);
    const server = await startServer(t, { dataDir, env: { OTELSTACK_SESSION_SECRET: SECRET_A } });
    const password = 'Unique-Pass-4-grep-check';
    const admin = await registerAdmin(server, 'grep@example.com', password);
    await admin.login('grep@example.com', 'Wrong-Pass-4-grep-check');
    const personal = (await admin.post('/api/me/keys', { name: 'grep' })).json.raw;
    const ingestion = (await admin.post('/api/ingestion-keys', { name: 'grep' })).json.raw;
    await admin.get('/api/me', { bearer: personal });
    await admin.post('/api/v2/search', { sourceId: '0', query: `Bearer ${personal}`, startTime: 0, endTime: Date.now() }, { bearer: personal });
    const sessionId = admin.cookie.split('.')[0];
    await server.stop();

    const secrets = { password, 'wrong password': 'Wrong-Pass-4-grep-check', personal, ingestion, sessionId, SECRET_A };
    const haystacks = [['server stderr', server.stderr], ['server stdout', server.stdout]];
    const walk = (dir) => {
      for (const name of readdirSync(dir)) {
        const p = path.join(dir, name);
        const st = statSync(p);
        if (st.isDirectory()) walk(p);
        else haystacks.push([p, readFileSync(p).toString('latin1')]);
      }
    };
    walk(dataDir);
    for (const [where, text] of haystacks) {
      for (const [what, secret] of Object.entries(secrets)) {
        assert.ok(!text.includes(secret), `${what} found in ${where}`);
      }
    }
    // The audit log recorded the failures and uses, without the secrets.
  });
});

describe('otelstack users', () => {
  // Runs `otelstack users ...` with `input` on stdin; resolves {code, stdout, stderr}.
  const users = (args, input = '') =>
    new Promise((resolve) => {
      const child = spawn(BIN, ['users', ...args], { stdio: ['pipe', 'pipe', 'pipe'] });
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (d) => (stdout += d));
      child.stderr.on('data', (d) => (stderr += d));
      child.on('exit', (code) => resolve({ code, stdout, stderr }));
      child.stdin.end(input);
    });

  test('creates the first admin, resets a lost password (ending sessions) and changes roles', async (t) => {
    const dataDir = makeTempDir(t);
    const created = await users(['create', '--data-dir', dataDir, '--email', 'Ops@Example.com', '--password-stdin'], `${GOOD_PASSWORD}\n`);
    assert.equal(created.code, 0, created.stderr);
    const weak = await users(['create', '--data-dir', dataDir, '--email', 'weak@example.com', '--password-stdin'], 'weak\n');
    assert.notEqual(weak.code, 0);
    assert.match(weak.stderr, /at least 12/);

    const server = await startServer(t, { dataDir, env: { OTELSTACK_SESSION_SECRET: SECRET_A } });
    const ops = new AppClient(server.appUrl());
    assert.equal((await ops.login('ops@example.com', GOOD_PASSWORD)).status, 200);
    assert.equal((await ops.get('/api/me')).json.user.role, 'admin');
    assert.ok((await ops.get('/api/v2/sources')).json.data.some((s) => s.name === 'Logs'), 'built-in sources exist');

    const member = await users(['create', '--data-dir', dataDir, '--email', 'dev@example.com', '--role', 'viewer']);
    assert.equal(member.code, 0, member.stderr);
    const generated = /password \(shown once\): (\S+)/.exec(member.stdout)[1];
    const dev = new AppClient(server.appUrl());
    assert.equal((await dev.login('dev@example.com', generated)).status, 200);
    assert.equal((await dev.get('/api/ingestion-keys')).status, 403);
    assert.equal((await users(['set-role', '--data-dir', dataDir, '--email', 'dev@example.com', '--role', 'admin'])).code, 0);
    assert.equal((await dev.get('/api/ingestion-keys')).status, 200, 'the new role applies to the live session');

    const reset = await users(['reset-password', '--data-dir', dataDir, '--email', 'ops@example.com']);
    assert.equal(reset.code, 0, reset.stderr);
    assert.equal((await ops.get('/api/me')).status, 401, 'a reset ends existing sessions');
    const fresh = /password \(shown once\): (\S+)/.exec(reset.stdout)[1];
    assert.equal((await new AppClient(server.appUrl()).login('ops@example.com', fresh)).status, 200);
    const list = await users(['list', '--data-dir', dataDir]);
    assert.match(list.stdout, /ops@example\.com\tadmin/);
    assert.match(list.stdout, /dev@example\.com\tadmin/);
    assert.ok(!server.stderr.includes(fresh) && !server.stderr.includes(generated));
    await server.stop();
  });
});
