// `otelstack doctor` against the real binary: a bad configuration FAILs with
// the expected check ids (exit 1), a good one passes (exit 0), --admin-url
// probes a running TLS instance (HSTS, 401s), and the ClickHouse checks run
// against a real ClickHouse 18.16 set up as `otelstack clickhouse init` says
// (its password-less `default` user is reported, the readonly query user
// passes).
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { chmodSync, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';

import { makeSelfSignedCert, makeTempDir, runCli, runCliRaw, startServer } from './lib/harness.mjs';
import { clickHouseAvailable, startClickHouse } from './differential/clickhouse.mjs';

const STRONG_SECRET = '5c1e9a7f3b2d4e6a8c0f1b3d5e7a9c2e4f6b8d0a1c3e5f7b9d2a4c6e8f0b1d3e';
const LOOPBACK = ['--otlp-grpc-listen', '127.0.0.1:4317', '--otlp-http-listen', '127.0.0.1:4318',
  '--http-listen', '127.0.0.1:8080'];

// Runs `otelstack doctor <args> --json`; returns {code, report, byId, stdout, stderr}.
async function doctor(args, env = {}) {
  const result = await runCliRaw(['doctor', ...args, '--json'], { env, timeoutMs: 120000 });
  let report;
  try {
    report = JSON.parse(result.stdout);
  } catch (err) {
    throw new Error(`doctor did not print JSON (code ${result.code}): ${err.message}\n${result.stdout}\n${result.stderr}`);
  }
  const byId = Object.fromEntries(report.checks.map((c) => [c.id, c]));
  return { ...result, report, byId };
}

function statuses(report) {
  return report.checks.map((c) => `${c.status} ${c.id}: ${c.detail}`).join('\n');
}

function failIds(report) {
  return report.checks.filter((c) => c.status === 'FAIL').map((c) => c.id).sort();
}

// A file holding `text`, mode 0600.
function secretFile(dir, name, text) {
  const file = path.join(dir, name);
  writeFileSync(file, text);
  chmodSync(file, 0o600);
  return file;
}

test('a bad configuration FAILs with the expected checks and exit 1', async (t) => {
  const dir = makeTempDir(t);
  const dataDir = path.join(dir, 'data');
  mkdirSync(path.join(dataDir, 'wal'), { recursive: true, mode: 0o700 });
  writeFileSync(path.join(dataDir, 'wal', 'leaked.log'), 'x');
  chmodSync(path.join(dataDir, 'wal', 'leaked.log'), 0o644);

  const { code, report, byId } = await doctor(
    ['--data-dir', dataDir, '--insecure-ingest', '--otlp-http-listen', '0.0.0.0:4318', '--http-listen', '0.0.0.0:8080'],
    { OTELSTACK_SESSION_SECRET: 'changeme' },
  );
  assert.equal(code, 1, statuses(report));
  for (const id of ['session.secret', 'ingest.auth', 'ports.plaintext', 'datadir.permissions', 'ingest.tls']) {
    assert.equal(byId[id]?.status, 'FAIL', `${id}:\n${statuses(report)}`);
    assert.ok(byId[id].fix.length > 0, `${id} has a fix`);
  }
  assert.match(byId['datadir.permissions'].detail, /leaked\.log \(0644\)/);
  assert.match(byId['session.secret'].detail, /publicly known default/);
  assert.doesNotMatch(JSON.stringify(report), /changeme/, 'never prints the secret');
  assert.equal(byId['clickhouse.connection'].status, 'SKIP');
  assert.equal(byId['instance.health'].status, 'SKIP');
  assert.equal(report.summary.fail, failIds(report).length);
  assert.equal(report.ok, false);
});

test('a config file holding a password is reported, not refused as bad usage', async (t) => {
  const dir = makeTempDir(t);
  const config = path.join(dir, 'otelstack.yaml');
  writeFileSync(config, `data_dir: ${path.join(dir, 'data')}\nclickhouse_password: hunter2\n`);
  const { code, byId, report } = await doctor(['--config', config]);
  assert.equal(code, 1, statuses(report));
  assert.equal(byId.config.status, 'FAIL');
  assert.match(byId.config.detail, /unknown setting 'clickhouse-password'/);
  assert.equal(byId['secrets.config'].status, 'FAIL');
  assert.match(byId['secrets.config'].detail, /clickhouse_password/);
  assert.doesNotMatch(JSON.stringify(report), /hunter2/);

  const usage = await runCliRaw(['doctor', '--no-such-flag']);
  assert.equal(usage.code, 2, usage.stderr);
});

test('a good configuration passes with exit 0', async (t) => {
  const dir = makeTempDir(t);
  const { certPath, keyPath } = makeSelfSignedCert(dir);
  const config = path.join(dir, 'otelstack.yaml');
  writeFileSync(config, `retention: 30d\ntls-key: ${keyPath}\n`);
  const env = {
    OTELSTACK_ENV: 'production',
    OTELSTACK_SESSION_SECRET_FILE: secretFile(dir, 'session', STRONG_SECRET),
    OTELSTACK_ENCRYPTION_KEY_FILE: secretFile(dir, 'master', STRONG_SECRET),
    OTELSTACK_INGESTION_KEY_FILE: secretFile(dir, 'ingest', 'doctor-itest-ingestion-key-0123456789'),
  };
  const { code, report, byId } = await doctor(
    ['--config', config, '--data-dir', path.join(dir, 'data'), ...LOOPBACK, '--tls-cert', certPath],
    env,
  );
  assert.equal(code, 0, statuses(report));
  assert.deepEqual(failIds(report), []);
  for (const id of ['config', 'ports.plaintext', 'session.secret', 'ingest.auth', 'ingest.keys', 'encryption.key',
    'retention', 'datadir.permissions', 'secrets.config', 'secrets.env']) {
    assert.equal(byId[id]?.status, 'PASS', `${id}:\n${statuses(report)}`);
  }
  // The certificate made for tests lives 2 days.
  assert.equal(byId['ingest.tls'].status, 'WARN');
  assert.match(byId['retention'].detail, /logs 30d \(config file/);
  assert.equal(report.ok, true);
});

describe('--admin-url against a running TLS instance', () => {
  let server, certPath, keyPath;

  before(async () => {
    const dir = makeTempDir(null, 'otelstack-itest-doctor-tls-');
    ({ certPath, keyPath } = makeSelfSignedCert(dir));
    server = await startServer(null, { args: ['--tls-cert', certPath, '--tls-key', keyPath] });
  });

  after(async () => {
    if (server?.running) await server.stop();
  });

  test('health, HSTS and both 401 checks pass', async () => {
    const { report, byId } = await doctor([
      '--data-dir', server.dataDir, '--tls-cert', certPath, '--tls-key', keyPath,
      '--otlp-http-listen', `127.0.0.1:${server.httpPort}`,
      '--admin-url', server.appUrl('https'), '--admin-ca-file', certPath,
    ]);
    for (const id of ['instance.health', 'instance.hsts', 'instance.auth', 'instance.otlp_auth']) {
      assert.equal(byId[id]?.status, 'PASS', `${id}:\n${statuses(report)}`);
    }
    assert.match(byId['instance.hsts'].detail, /max-age=/);
    assert.match(byId['instance.otlp_auth'].detail, /401/);
    // The test certificate verifies but expires within 2 days.
    assert.equal(byId['instance.tls'].status, 'WARN', statuses(report));
    assert.match(byId['instance.tls'].detail, /verifies but expires in [01] day/);
    // The running server generated its files with private modes.
    assert.equal(byId['datadir.permissions'].status, 'PASS', statuses(report));
    assert.equal(byId['ingest.keys'].status, 'PASS', statuses(report));
  });

  test('a certificate the client does not trust fails', async () => {
    const { byId, report } = await doctor([
      '--data-dir', server.dataDir, '--admin-url', server.appUrl('https'),
      '--otlp-http-listen', `127.0.0.1:${server.httpPort}`,
    ]);
    assert.equal(byId['instance.tls'].status, 'FAIL', statuses(report));
    assert.match(byId['instance.tls'].detail, /certificate verification failed/);
  });
});

describe('ClickHouse checks against a real ClickHouse', { skip: !clickHouseAvailable() && 'clickhouse-server not installed' }, () => {
  const DB = 'otel_doctor';
  const PASSWORDS = {
    OTELSTACK_CLICKHOUSE_INGEST_PASSWORD: 'ingest-Doctor-4711',
    OTELSTACK_CLICKHOUSE_QUERY_PASSWORD: 'query-Doctor-4712',
  };
  let ch;

  before(async () => {
    const printed = await runCli(
      ['clickhouse', 'init', '--url', 'http://127.0.0.1:8123', '--admin-user', 'default', '--print-only',
        '--server-version', '18.16.1', '--database', DB, '--networks', '127.0.0.1'],
      { env: PASSWORDS },
    );
    const xml = printed.stdout.slice(printed.stdout.indexOf('<?xml'));
    const inner = (tag) => new RegExp(`<${tag}>([\\s\\S]*)</${tag}>`).exec(xml)[1];
    ch = await startClickHouse({ users: { extraProfiles: inner('profiles'), extraUsers: inner('users') } });
    await runCli(['clickhouse', 'init', '--url', ch.url, '--admin-user', 'default', '--database', DB, '--networks',
      '127.0.0.1'], { env: PASSWORDS });
    // A database outside the ingestion user's <allow_databases>, to try it on.
    await ch.raw('CREATE DATABASE IF NOT EXISTS doctor_other');
  });

  after(async () => {
    if (ch) await ch.stop();
  });

  const clickhouseArgs = (dir) => ['--data-dir', path.join(dir, 'data'), '--storage', 'clickhouse',
    '--clickhouse-url', ch.url, '--clickhouse-database', DB, '--clickhouse-user', 'otelstack_ingest'];
  const passwordEnv = {
    OTELSTACK_CLICKHOUSE_PASSWORD: PASSWORDS.OTELSTACK_CLICKHOUSE_INGEST_PASSWORD,
    OTELSTACK_CLICKHOUSE_QUERY_PASSWORD: PASSWORDS.OTELSTACK_CLICKHOUSE_QUERY_PASSWORD,
  };

  test('the password-less default user FAILs, the readonly query user passes', async (t) => {
    const dir = makeTempDir(t);
    const { byId, report } = await doctor([...clickhouseArgs(dir), '--clickhouse-query-user', 'otelstack_query'],
      passwordEnv);
    assert.equal(byId['clickhouse.default_user'].status, 'FAIL', statuses(report));
    for (const id of ['clickhouse.users', 'clickhouse.connection', 'clickhouse.readonly', 'clickhouse.ingest_scope',
      'clickhouse.tls', 'clickhouse.exposure']) {
      assert.equal(byId[id]?.status, 'PASS', `${id}:\n${statuses(report)}`);
    }
    assert.match(byId['clickhouse.connection'].detail, /ClickHouse 18\.16/);
    assert.match(byId['clickhouse.readonly'].detail, /readonly = 1/);
    // 18.16 has no CHANGEABLE_IN_READONLY: what the server says is reported.
    assert.equal(byId['clickhouse.query_settings'].status, 'WARN', statuses(report));
    assert.match(byId['clickhouse.query_settings'].detail, /refused: max_rows_to_read/);
    assert.match(byId['clickhouse.query_settings'].detail, /accepted: wait_end_of_query/);
    assert.match(byId['clickhouse.ingest_scope'].detail, /refused database/);
  });

  test('queries as the ingestion user FAIL the readonly check', async (t) => {
    const dir = makeTempDir(t);
    const { byId, report } = await doctor(clickhouseArgs(dir), passwordEnv);
    assert.equal(byId['clickhouse.readonly'].status, 'FAIL', statuses(report));
    assert.match(byId['clickhouse.readonly'].detail, /readonly = 0/);
  });
});
