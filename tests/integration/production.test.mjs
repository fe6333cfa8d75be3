// Production mode: OTELSTACK_ENV=production refuses unsafe settings with a
// message that says how to fix them; a safe configuration starts; the
// internal listener serves /health, /ready and /metrics; secrets given through
// env and *_FILE never appear in the output, even at debug level.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, writeFileSync } from 'node:fs';
import path from 'node:path';

import { KEY, makeSelfSignedCert, makeTempDir, runCliRaw, startServer, waitFor } from './lib/harness.mjs';
import { logsRequest, post } from './lib/otlp_json.mjs';

const STRONG_SECRET = '5d1b7f3a9c2e4d6f8a0b1c3e5f7a9b2d4c6e8f0a1b3d5f7e9c2a4b6d8f0e1c3a';
const PRODUCTION = { OTELSTACK_ENV: 'production' };
const LOOPBACK = ['--otlp-grpc-listen', '127.0.0.1:0', '--otlp-http-listen', '127.0.0.1:0', '--http-listen',
  '127.0.0.1:0', '--internal-listen', '127.0.0.1:0'];

// `extra` flags replace the loopback defaults of the same name.
function serveArgs(dataDir, extra = []) {
  const defaults = [];
  for (let i = 0; i < LOOPBACK.length; i += 2) {
    if (!extra.includes(LOOPBACK[i])) defaults.push(LOOPBACK[i], LOOPBACK[i + 1]);
  }
  return ['serve', '--data-dir', dataDir, ...defaults, ...extra];
}

// Every problem is listed, each with its fix, and nothing is created.
async function expectRefusal(t, extraArgs, env, patterns) {
  const dataDir = path.join(makeTempDir(t), 'data');
  const result = await runCliRaw(serveArgs(dataDir, extraArgs), { env: { ...PRODUCTION, ...env } });
  assert.equal(result.code, 1, `expected exit 1; stderr:\n${result.stderr}`);
  assert.match(result.stderr, /OTELSTACK_ENV=production: refusing to start/);
  for (const pattern of patterns) assert.match(result.stderr, pattern);
  for (const line of result.stderr.split('\n').filter((l) => /^\S+ error\s+ - /.test(l))) {
    assert.match(line, /Fix: /, `a problem without a fix: ${line}`);
  }
  assert.equal(existsSync(dataDir), false, 'a refused start must not create the data directory');
  return result.stderr;
}

test('production refuses a missing or published session secret', async (t) => {
  await expectRefusal(t, [], {}, [/no session secret is configured/, /openssl rand -hex 32/]);
  const stderr = await expectRefusal(t, [], { OTELSTACK_SESSION_SECRET: 'super-secure-random-string' },
    [/publicly known default/]);
  assert.doesNotMatch(stderr, /super-secure-random-string/);
});

test('production refuses ingestion without keys', async (t) => {
  await expectRefusal(t, ['--insecure-ingest'], { OTELSTACK_SESSION_SECRET: STRONG_SECRET },
    [/ingestion auth is off \(--insecure-ingest\)/]);
});

test('production refuses plaintext listeners on public addresses unless TLS is terminated upstream', async (t) => {
  // Refused before anything binds, so nothing listens on 0.0.0.0.
  const stderr = await expectRefusal(t, ['--otlp-http-listen', '0.0.0.0:0', '--http-listen', '0.0.0.0:0'],
    { OTELSTACK_SESSION_SECRET: STRONG_SECRET },
    [/OTLP\/HTTP listener on 0\.0\.0\.0:0 is plaintext/, /app \(UI and API\) listener on 0\.0\.0\.0:0 is plaintext/,
      /--tls-terminated-upstream/]);
  assert.doesNotMatch(stderr, /OTLP\/gRPC listener/, 'the gRPC listener is on loopback');
});

test('production refuses the ClickHouse default user and empty passwords', async (t) => {
  await expectRefusal(t, ['--storage', 'clickhouse', '--clickhouse-url', 'http://127.0.0.1:9'],
    { OTELSTACK_SESSION_SECRET: STRONG_SECRET },
    [/ClickHouse ingestion connection uses the 'default' user/, /ClickHouse ingestion connection has an empty password/]);
  await expectRefusal(t, ['--storage', 'clickhouse', '--clickhouse-url', 'http://127.0.0.1:9', '--clickhouse-user',
    'otelstack_ingest', '--clickhouse-query-user', 'otelstack_query'],
  { OTELSTACK_SESSION_SECRET: STRONG_SECRET, OTELSTACK_CLICKHOUSE_PASSWORD: 'ingest-pw-7f3a' },
  [/ClickHouse query connection has an empty password/, /OTELSTACK_CLICKHOUSE_QUERY_PASSWORD_FILE/]);
});

test('a safe production configuration starts; /health, /ready and /metrics report it', async (t) => {
  const dir = makeTempDir(t);
  const secretFile = path.join(dir, 'session_secret');
  writeFileSync(secretFile, `${STRONG_SECRET}\n`, { mode: 0o600 });
  const { certPath, keyPath } = makeSelfSignedCert(dir);
  const server = await startServer(t, {
    args: ['--tls-cert', certPath, '--tls-key', keyPath],
    env: { ...PRODUCTION, OTELSTACK_SESSION_SECRET_FILE: secretFile },
  });
  assert.match(server.stderr, /internal \(\/health, \/ready, \/metrics\) listening on 127\.0\.0\.1:\d+/);
  assert.match(server.stderr, /OTLP\/HTTP listening on 127\.0\.0\.1:\d+ \(TLS\)/);

  const health = await fetch(`${server.internalUrl()}/health`);
  assert.equal(health.status, 200);
  const ready = await fetch(`${server.internalUrl()}/ready`);
  assert.equal(ready.status, 200, await ready.text());

  await server.stop();
});

test('/metrics counts accepted records and rejected requests by reason', async (t) => {
  const server = await startServer(t);
  const body = logsRequest({ service: 'itest-metrics', records: [{ body: 'one' }, { body: 'two' }] });
  assert.equal((await post(server.httpUrl(), '/v1/logs', body, { key: KEY })).status, 200);
  assert.equal((await post(server.httpUrl(), '/v1/logs', body, { key: 'wrong-key' })).status, 401);
  assert.equal((await post(server.httpUrl(), '/v1/logs', '{"resourceLogs": 7}', { key: KEY })).status, 400);
  assert.equal((await post(server.httpUrl(), '/v1/logs', 'x', { key: KEY, contentType: 'text/plain' })).status, 415);

  const res = await fetch(`${server.internalUrl()}/metrics`);
  assert.equal(res.status, 200);
  assert.match(res.headers.get('content-type'), /^text\/plain; version=0\.0\.4/);
  const text = await res.text();
  const value = (series) => {
    const escaped = series.replace(/[{}"()|.]/g, '\\$&');
    const m = new RegExp(`^${escaped} (\\S+)$`, 'm').exec(text);
    assert.ok(m, `no sample ${series} in:\n${text}`);
    return Number(m[1]);
  };
  assert.equal(value('otelstack_otlp_records_total{signal="logs"}'), 2);
  assert.equal(value('otelstack_otlp_requests_total{signal="logs"}'), 2); // the authenticated ones
  assert.equal(value('otelstack_otlp_rejected_requests_total{reason="unauthenticated"}'), 1);
  assert.equal(value('otelstack_otlp_rejected_requests_total{reason="invalid"}'), 1);
  assert.equal(value('otelstack_otlp_rejected_requests_total{reason="unsupported_encoding"}'), 1);
  assert.ok(value('otelstack_store_wal_bytes{store="telemetry"}') > 0, 'the accepted request is in the WAL');
  assert.equal(value('otelstack_ready'), 1);
  assert.match(text, /^# TYPE otelstack_otlp_records_total counter$/m);

  // The unauthenticated internal listener exposes nothing but operations.
  assert.equal((await fetch(`${server.internalUrl()}/api/me`)).status, 404);
  await server.stop();
});

test('`otelstack healthcheck` exits 0 against a ready server and 1 when none answers', async (t) => {
  const server = await startServer(t);
  const ok = await runCliRaw(['healthcheck', '--url', `${server.internalUrl()}/ready`]);
  assert.equal(ok.code, 0, ok.stderr);
  const viaEnv = await runCliRaw(['healthcheck'], { env: { OTELSTACK_INTERNAL_LISTEN: `127.0.0.1:${server.internalPort}` } });
  assert.equal(viaEnv.code, 0, viaEnv.stderr);
  await server.stop();
  const down = await runCliRaw(['healthcheck', '--url', `${server.internalUrl()}/ready`, '--timeout', '2']);
  assert.equal(down.code, 1);
  assert.match(down.stderr, /healthcheck: http:\/\/127\.0\.0\.1:\d+\/ready: /);
});

test('secrets from env and *_FILE never reach the logs, even at debug level', async (t) => {
  const dir = makeTempDir(t);
  const secrets = {
    session: STRONG_SECRET,
    encryption: 'a1b2c3d4e5f60718293a4b5c6d7e8f90a1b2c3d4e5f60718293a4b5c6d7e8f9a',
    ingestion: 'itest-ingestion-secret-7d2f9a41c0b3e5d6',
    clickhouse: 'clickhouse-secret-password-3e8a1f',
    clickhouseQuery: 'clickhouse-query-secret-password-6b2d9c',
  };
  const file = (name, value) => {
    const p = path.join(dir, name);
    writeFileSync(p, `${value}\n`, { mode: 0o600 });
    return p;
  };
  const { certPath, keyPath } = makeSelfSignedCert(dir);
  const server = await startServer(t, {
    key: null,
    args: ['--tls-cert', certPath, '--tls-key', keyPath, '--log-level', 'debug', '--storage', 'clickhouse',
      // Nothing listens there: the server starts anyway (data waits in the
      // WAL) and logs the failed connection attempts.
      '--clickhouse-url', 'http://127.0.0.1:9', '--clickhouse-user', 'otelstack_ingest', '--clickhouse-query-user',
      'otelstack_query', '--clickhouse-flush-interval', '0.2'],
    env: {
      ...PRODUCTION,
      OTELSTACK_SESSION_SECRET_FILE: file('session', secrets.session),
      OTELSTACK_ENCRYPTION_KEY: secrets.encryption,
      OTELSTACK_INGESTION_KEY_FILE: file('ingestion', secrets.ingestion),
      OTELSTACK_CLICKHOUSE_PASSWORD_FILE: file('clickhouse', secrets.clickhouse),
      OTELSTACK_CLICKHOUSE_QUERY_PASSWORD: secrets.clickhouseQuery,
    },
  });
  const https = (await import('node:https')).default;
  const ca = (await import('node:fs')).readFileSync(certPath);
  // Exercise the paths that log: an accepted export (flushed towards the
  // unreachable ClickHouse), a refused key, a registration and logins.
  const exportOnce = (key) => new Promise((resolve, reject) => {
    const req = https.request(`${server.httpUrl('https')}/v1/logs`, {
      method: 'POST', ca, headers: { 'content-type': 'application/json', authorization: key },
    }, (res) => { res.resume(); res.on('end', () => resolve(res.statusCode)); });
    req.on('error', reject);
    req.end(JSON.stringify(logsRequest({ service: 'itest-secrets', records: [{ body: 'x' }] })));
  });
  assert.equal(await exportOnce(secrets.ingestion), 200);
  assert.equal(await exportOnce(`${secrets.ingestion}-wrong`), 401);
  // The accepted rows are flushed towards the unreachable ClickHouse: the
  // failure is logged with the connection's details.
  await waitFor('a failed flush in the log', () => /store: flush failed/.test(server.stderr), { timeoutMs: 30000 });
  await server.stop({ expectCleanExit: false }); // the final flush cannot reach ClickHouse either
  const output = server.stderr + server.stdout;
  for (const [name, value] of Object.entries(secrets)) {
    assert.equal(output.includes(value), false, `the ${name} secret appears in the output`);
  }
});
