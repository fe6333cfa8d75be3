// Configuration precedence (flags > OTELSTACK_* env > YAML --config > defaults),
// a second server on the same data directory, last-used tracking and
// `keys reveal`, against the real binary.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import path from 'node:path';

import { KEY, makeTempDir, startServer, runCli, runCliRaw, listKeys, waitFor } from './lib/harness.mjs';
import { post, logsRequest, nowNs } from './lib/otlp_json.mjs';

const body = () => logsRequest({ service: 'config-test', records: [{ timeUnixNano: String(nowNs()), body: 'hi' }] });

async function statusWithoutKey(server) {
  return (await post(server.httpUrl(), '/v1/logs', body(), { key: null })).status;
}

function runRaw(args, env = {}) {
  return runCliRaw(args, { env });
}

test('YAML config applies, env overrides it, flags override env', async (t) => {
  const dir = makeTempDir(t);
  const config = path.join(dir, 'otelstack.yaml');
  writeFileSync(config, 'insecure_ingest: true\nwal-fsync: interval\n');

  const fromYaml = await startServer(t, { dataDir: path.join(dir, 'a'), args: ['--config', config] });
  assert.equal(await statusWithoutKey(fromYaml), 200, 'insecure_ingest from the YAML file');
  await fromYaml.stop();

  const envOverYaml = await startServer(t, {
    dataDir: path.join(dir, 'b'),
    args: ['--config', config],
    env: { OTELSTACK_INSECURE_INGEST: 'false' },
  });
  assert.equal(await statusWithoutKey(envOverYaml), 401, 'env var overrides the YAML file');
  await envOverYaml.stop();

  const flagOverEnv = await startServer(t, {
    dataDir: path.join(dir, 'c'),
    args: ['--config', config, '--insecure-ingest'],
    env: { OTELSTACK_INSECURE_INGEST: 'false' },
  });
  assert.equal(await statusWithoutKey(flagOverEnv), 200, 'flag overrides the env var');
  await flagOverEnv.stop();
});

test('a bad config file is refused with a message naming the setting', async (t) => {
  const dir = makeTempDir(t);
  const config = path.join(dir, 'bad.yaml');
  writeFileSync(config, 'data_dir: ' + path.join(dir, 'd') + '\nlisten_everywhere: yes\n');
  const result = await runRaw(['serve', '--config', config]);
  assert.notEqual(result.code, 0);
  assert.match(result.stderr, /unknown setting 'listen-everywhere'/);
});

test('a second server on the same data directory is refused', async (t) => {
  const first = await startServer(t);
  const second = await runRaw(
    ['serve', '--data-dir', first.dataDir, '--otlp-grpc-listen', '127.0.0.1:0', '--otlp-http-listen', '127.0.0.1:0',
     '--http-listen', '127.0.0.1:0', '--internal-listen', '127.0.0.1:0'],
    { OTELSTACK_INGESTION_KEY: KEY },
  );
  assert.notEqual(second.code, 0);
  assert.match(second.stderr, /in use by another otelstack server/);
  await first.stop();
});

test('keys record when they were last used, and an admin can reveal them', async (t) => {
  const server = await startServer(t);
  const before = await listKeys(server.dataDir);
  assert.equal(before.length, 1);
  assert.equal(before[0].last_used, '', 'unused key has no last-used time');
  assert.equal((await post(server.httpUrl(), '/v1/logs', body(), { key: KEY })).status, 200);
  const used = await waitFor('last_used recorded', async () => {
    const keys = await listKeys(server.dataDir);
    return keys[0].last_used !== '' ? keys[0] : null;
  });
  assert.match(used.last_used, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
  const { stdout } = await runCli(['keys', 'reveal', '--data-dir', server.dataDir, String(used.id)]);
  assert.equal(stdout.trim(), KEY);
  await server.stop();
});
