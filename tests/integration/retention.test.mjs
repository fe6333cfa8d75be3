// Retention: expired day partitions are dropped when `otelstack retention set`
// shortens the retention of a running server, or at startup with a shorter
// --retention-* setting, and dropped records never come back: not for records
// that arrive already expired, not after kill -9, not after a clean restart.
import { test } from 'node:test';
import assert from 'node:assert/strict';

import { makeTempDir, runCli, search, startServer, waitFor, KEY } from './lib/harness.mjs';
import { logsRequest, nowNs, post } from './lib/otlp_json.mjs';

const DAY_NS = 86400n * 1000000000n;
const SERVICE = 'itest-retention';

// One OTLP/JSON logs request with a record per [body, timeNs]; must be accepted.
async function sendLogs(server, records) {
  const body = logsRequest({
    service: SERVICE,
    records: records.map(([text, timeNs]) => ({ body: text, timeNs })),
  });
  const response = await post(server.httpUrl(), '/v1/logs', body, { key: KEY });
  assert.equal(response.status, 200, `export failed: ${response.text}; ${server.describe()}`);
}

async function bodies(dataDir) {
  const rows = await search(dataDir, { signal: 'logs', service: SERVICE, limit: 1000 });
  return rows.map((r) => r.Body).sort();
}

async function retentionShow(dataDir) {
  const { stdout } = await runCli(['retention', 'show', '--data-dir', dataDir, '--json']);
  const bySignal = {};
  for (const line of stdout.split('\n')) {
    if (line.trim() !== '') {
      const row = JSON.parse(line);
      bySignal[row.signal] = row;
    }
  }
  return bySignal;
}

function sameList(a, b) {
  return JSON.stringify(a) === JSON.stringify(b);
}

test('retention set on a running server drops expired days for good', async (t) => {
  const dataDir = makeTempDir(t);
  const now = nowNs();
  const records = [
    ['five-days-old', now - 5n * DAY_NS],
    ['four-days-old', now - 4n * DAY_NS - 3600n * 1000000000n],
    ['two-days-old', now - 2n * DAY_NS],
    ['fresh', now],
  ];
  // Keep logs forever at first, so the old records are stored.
  let server = await startServer(t, { dataDir, args: ['--retention-logs', '0'] });
  assert.match(server.stderr, /retention of logs: 0 from flag --retention-logs: its data is kept forever/);
  await sendLogs(server, records);
  const all = records.map(([text]) => text).sort();
  await waitFor('all records searchable', async () => sameList(await bodies(dataDir), all));
  // A clean stop flushes everything into day partitions (parts).
  await server.stop();
  server = await startServer(t, { dataDir, args: ['--retention-logs', '0'] });

  await runCli(['retention', 'set', '--signal', 'logs', '3d', '--data-dir', dataDir]);
  const kept = ['fresh', 'two-days-old'];
  // Days ending at or before now - 3d go: the five and four days old records.
  await waitFor('expired records dropped', async () => sameList(await bodies(dataDir), kept), {
    timeoutMs: 20000,
    intervalMs: 200,
  });
  const dropLine = /retention: dropped logs days \S+ to \S+ \([12] parts, 2 rows/;
  await waitFor('drop logged', () => dropLine.test(server.stderr), { timeoutMs: 5000 });
  assert.match(server.stderr, /retention of logs: 3d from override from `otelstack retention set`/);

  const shown = await retentionShow(dataDir);
  assert.equal(shown.logs.retention, '3d');
  assert.equal(shown.logs.source, 'override');
  assert.notEqual(shown.logs.dropped_before, '', 'the floor is shown');
  assert.ok(BigInt(shown.logs.dropped_before_ns) > now - 4n * DAY_NS - 3600n * 1000000000n);
  assert.ok(BigInt(shown.logs.dropped_before_ns) <= now - 3n * DAY_NS);
  assert.equal(shown.traces.retention, '3d');
  assert.equal(shown.traces.source, 'server');
  assert.notEqual(shown.traces.dropped_before, '', 'the default 3d applies to traces: the floor moves without data');

  // A record that arrives already expired is acknowledged but never visible.
  await sendLogs(server, [['late-and-expired', now - 5n * DAY_NS + 1000n], ['fresh-2', now + 1000n]]);
  const keptAfter = ['fresh', 'fresh-2', 'two-days-old'];
  await waitFor('fresh-2 searchable', async () => (await bodies(dataDir)).includes('fresh-2'));
  assert.deepEqual(await bodies(dataDir), keptAfter);

  // kill -9 (the late record is only in the write-ahead log), restart with
  // the same flags: the override still wins, nothing comes back.
  await server.kill9();
  server = await startServer(t, { dataDir, args: ['--retention-logs', '0'] });
  assert.match(server.stderr, /retention of logs: 3d from override/);
  assert.deepEqual(await bodies(dataDir), keptAfter);
  await server.stop();
  assert.deepEqual(await bodies(dataDir), keptAfter, 'after the flush at shutdown');

  // Without the override, a restart keeps logs forever again, but what was
  // dropped stays dropped.
  await runCli(['retention', 'unset', '--signal', 'logs', '--data-dir', dataDir]);
  server = await startServer(t, { dataDir, args: ['--retention-logs', '0'] });
  assert.deepEqual(await bodies(dataDir), keptAfter);
  await server.stop();
});

test('a shorter retention at startup drops expired days before data is accepted', async (t) => {
  const dataDir = makeTempDir(t);
  const now = nowNs();
  let server = await startServer(t, { dataDir, env: { OTELSTACK_RETENTION: '0' } });
  assert.match(server.stderr, /retention of logs: 0 from env OTELSTACK_RETENTION/);
  await sendLogs(server, [
    ['old', now - 5n * DAY_NS],
    ['new', now],
  ]);
  await waitFor('records searchable', async () => sameList(await bodies(dataDir), ['new', 'old']));
  await server.stop(); // everything in parts now

  server = await startServer(t, { dataDir, args: ['--retention-logs', '72h'], env: { OTELSTACK_RETENTION: '0' } });
  assert.match(server.stderr, /retention of logs: 3d from flag --retention-logs/);
  assert.match(server.stderr, /retention of traces: 0 from env OTELSTACK_RETENTION/);
  // Enforced before "ready": the old record is gone already.
  const drop = server.stderr.indexOf('retention: dropped logs days');
  assert.ok(drop >= 0 && drop < server.stderr.indexOf('otelstack is ready'), server.stderr);
  assert.deepEqual(await bodies(dataDir), ['new']);
  await server.kill9();

  server = await startServer(t, { dataDir, env: { OTELSTACK_RETENTION: '0' } });
  assert.deepEqual(await bodies(dataDir), ['new'], 'a longer retention later does not bring it back');
  await server.stop();
});
