// Two otelstack replicas sharing their metadata in PostgreSQL
// (--meta-database-url): both start together on an empty database (one
// migration, one seeded ingestion key), a session made on replica A works on
// B, ingestion keys created, rotated and revoked through A's API are
// accepted and refused by B's OTLP/HTTP endpoint within B's change polling,
// and a logout on B ends the session on A. Also: a URL with a password and a
// shared store without OTELSTACK_ENCRYPTION_KEY are refused at startup.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';

import { KEY, makeTempDir, runCliRaw, startServer, waitFor } from './lib/harness.mjs';
import { AppClient, registerAdmin } from './lib/app_client.mjs';
import { logsRequest, nowNs, post } from './lib/otlp_json.mjs';
import { postgresAvailable, startPostgres } from './lib/postgres.mjs';

const ENCRYPTION_KEY = randomBytes(32).toString('hex');
const SESSION_SECRET = randomBytes(32).toString('hex') + '-replicas';

// Status of a one-record OTLP/HTTP logs export to `server` with `key`.
async function exportStatus(server, key) {
  const body = logsRequest({
    service: 'replica-test',
    records: [{ timeUnixNano: String(nowNs()), severityText: 'INFO', body: { stringValue: 'hello' } }],
  });
  return (await post(server.httpUrl(), '/v1/logs', body, { key })).status;
}

// Waits until `server` answers `expected` for an export with `key` (B polls
// the key generation about once a second).
async function waitForExport(server, key, expected, what) {
  await waitFor(`${what} (expect ${expected})`, async () => (await exportStatus(server, key)) === expected, {
    timeoutMs: 10000,
    intervalMs: 100,
  });
}

describe('two replicas on one PostgreSQL metadata database', { skip: !postgresAvailable() && 'PostgreSQL is not installed' }, () => {
  let pg, url, a, b;
  const env = { OTELSTACK_ENCRYPTION_KEY: ENCRYPTION_KEY, OTELSTACK_SESSION_SECRET: SESSION_SECRET };

  before(async () => {
    pg = await startPostgres();
    url = pg.createDatabase('otelstack');
    // Started together: both migrate the empty database and seed the same
    // ingestion key; the advisory locks make one of each happen.
    [a, b] = await Promise.all([
      startServer(null, { dataDir: makeTempDir(null), args: ['--meta-database-url', url], env }),
      startServer(null, { dataDir: makeTempDir(null), env: { ...env, OTELSTACK_META_DATABASE_URL: url } }),
    ]);
  });
  after(async () => {
    await Promise.all([a?.stop(), b?.stop()]);
    await pg?.stop();
  });

  test('both log the PostgreSQL store without a password, migrated once, one seeded key', () => {
    for (const server of [a, b]) {
      assert.match(server.stderr, /metadata store: PostgreSQL postgresql:\/\/postgres@127\.0\.0\.1:\d+\/otelstack/);
    }
    assert.equal(pg.psql('SELECT COUNT(*) FROM schema_migrations', 'otelstack').stdout, '3');
    assert.equal(pg.psql('SELECT COUNT(*) FROM ingestion_keys', 'otelstack').stdout, '1');
  });

  test('the seeded key works on both replicas', async () => {
    assert.equal(await exportStatus(a, KEY), 200);
    assert.equal(await exportStatus(b, KEY), 200);
    assert.equal(await exportStatus(b, 'not-a-key-0123456789abcdef0123'), 401);
  });

  test('sessions, keys and logout are shared', async () => {
    const admin = await registerAdmin(a);
    assert.ok(admin.cookie, 'registration logs in');

    // The session cookie made on A works on B (same session secret, same table).
    const onB = new AppClient(b.appUrl());
    onB.cookie = admin.cookie;
    const me = await onB.get('/api/me');
    assert.equal(me.status, 200, me.text);
    assert.match(me.text, /admin@example\.com/);
    onB.csrfToken ??= admin.csrfToken; // the token belongs to the session, not to a replica
    // Registration is closed on B too.
    const again = await new AppClient(b.appUrl()).register('late@example.com', 'Correct-Horse-9-battery');
    assert.notEqual(again.status, 200);

    // A key created on A is accepted by B once B refreshed.
    const created = await admin.post('/api/ingestion-keys', { name: 'replica-a' });
    assert.equal(created.status, 201, created.text);
    const first = created.json.raw;
    await waitForExport(b, first, 200, 'B accepting the key created on A');
    // B reveals what A sealed: the shared encryption key.
    const revealed = await onB.post(`/api/ingestion-keys/${created.json.key.id}/reveal`);
    assert.equal(revealed.status, 200, revealed.text);
    assert.equal(revealed.json.raw, first);

    // Rotation without grace on A: B accepts the new key and refuses the old.
    const rotated = await admin.post(`/api/ingestion-keys/${created.json.key.id}/rotate`, { graceSeconds: 0 });
    assert.equal(rotated.status, 201, rotated.text);
    const second = rotated.json.raw;
    await waitForExport(b, second, 200, 'B accepting the rotated key');
    await waitForExport(b, first, 401, 'B refusing the rotated-away key');

    // Revocation on A: B refuses the key.
    const revoked = await admin.delete(`/api/ingestion-keys/${rotated.json.key.id}`);
    assert.equal(revoked.status, 200, revoked.text);
    await waitForExport(b, second, 401, 'B refusing the revoked key');
    assert.equal(await exportStatus(a, second), 401);

    // The CLI on the same database sees the keys too.
    const listed = await runCliRaw(['keys', 'list', '--json', '--data-dir', makeTempDir(null), '--meta-database-url', url], {
      env,
    });
    assert.equal(listed.code, 0, listed.stderr);
    const names = listed.stdout.trim().split('\n').map((l) => JSON.parse(l).name);
    assert.ok(names.includes('replica-a'), names.join(','));

    // Logout on B ends the session on A.
    const out = await onB.post('/api/logout');
    assert.equal(out.status, 200, out.text);
    const refused = await admin.get('/api/me');
    assert.equal(refused.status, 401, refused.text);
  });
});

describe('startup refusals for a shared store', () => {
  test('a URL with a password is refused and the password is not echoed', async () => {
    const r = await runCliRaw([
      'keys',
      'list',
      '--data-dir',
      makeTempDir(null),
      '--meta-database-url',
      'postgresql://otelstack:hunter2-secret@127.0.0.1:1/otelstack',
    ], { env: { OTELSTACK_ENCRYPTION_KEY: ENCRYPTION_KEY } });
    assert.notEqual(r.code, 0);
    assert.match(r.stderr, /OTELSTACK_META_DATABASE_PASSWORD/);
    assert.doesNotMatch(r.stderr + r.stdout, /hunter2-secret/);
  });

  test('serve refuses a shared store without OTELSTACK_ENCRYPTION_KEY', async () => {
    await assert.rejects(
      startServer(null, { args: ['--meta-database-url', 'postgresql://otelstack@127.0.0.1:1/otelstack'] }),
      /OTELSTACK_ENCRYPTION_KEY.*every replica/s,
    );
  });
});
