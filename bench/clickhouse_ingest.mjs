#!/usr/bin/env node
// ClickHouse ingest benchmark (issue 6): the rate at which otelstack gets
// synthetic OTLP logs into a real ClickHouse (`serve --storage clickhouse`:
// OTLP decode, WAL, RowBinary INSERTs) next to ClickHouse's own bulk insert
// of the very same rows (INSERT ... FORMAT Native of an export of the table,
// over HTTP) on the same machine.
//
// Usage (after a Release build with -DOTELSTACK_BUILD_BENCH=ON):
//   node bench/clickhouse_ingest.mjs                # 1M records
//   RECORDS=3000000 node bench/clickhouse_ingest.mjs
// Env: OTELSTACK_BIN, LOADGEN_BIN (defaults under build/), RECORDS, CONNECTIONS,
// BATCH, SERVER_ARGS. Starts its own clickhouse-server (Debian's package) and
// otelstack on 127.0.0.1 with temp dirs, removed at the end. A measuring
// tool, not a test: it asserts nothing beyond "every acknowledged record
// arrived".
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import { startClickHouse } from '../tests/integration/differential/clickhouse.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const bin = process.env.OTELSTACK_BIN ?? path.join(root, 'build/otelstack');
const loadgen = process.env.LOADGEN_BIN ?? path.join(root, 'build/bench/otelstack-loadgen');
const records = Number(process.env.RECORDS ?? 1_000_000);
const connections = process.env.CONNECTIONS ?? '4';
const batch = process.env.BATCH ?? '1000';
const clkTck = Number(spawnSync('getconf', ['CLK_TCK']).stdout.toString().trim());

function cpuSeconds(pid) {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').replace(/^.*\) /, '').split(' ');
  return (Number(fields[11]) + Number(fields[12])) / clkTck;
}

async function waitFor(what, probe, timeoutMs) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    // A failed probe (e.g. a keep-alive connection the server just closed) is retried.
    if (await Promise.resolve().then(probe).catch(() => false)) return;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

const ch = await startClickHouse();
const dataDir = mkdtempSync(path.join(tmpdir(), 'otelstack-chbench-'));
const key = `bench-${Date.now()}`;
let server;
try {
  // The watchdog shell's child is the server.
  const chPid = Number(readFileSync(`/proc/${ch.child.pid}/task/${ch.child.pid}/children`, 'utf8').trim().split(' ')[0]);
  let log = '';
  server = spawn(bin, ['serve', '--data-dir', dataDir, '--otlp-http-listen', '127.0.0.1:0', '--otlp-grpc-listen',
    '127.0.0.1:0', '--http-listen', '127.0.0.1:0', '--internal-listen', '127.0.0.1:0', '--storage', 'clickhouse',
    '--clickhouse-url', ch.url,
    ...(process.env.SERVER_ARGS ?? '').split(' ').filter(Boolean)], {
    env: { ...process.env, OTELSTACK_INGESTION_KEY: key },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  server.stderr.on('data', (c) => (log += c));
  await waitFor('otelstack to be ready', () => log.includes('otelstack is ready'), 60000);
  const httpAddr = /OTLP\/HTTP listening on (\S+)/.exec(log)[1];

  const chCpu0 = cpuSeconds(chPid);
  const osCpu0 = cpuSeconds(server.pid);
  const t0 = Date.now();
  const lg = spawnSync(loadgen, ['--endpoint', `http://${httpAddr}`, '--signal', 'logs', '--records', String(records),
    '--connections', connections, '--batch', batch], { env: { ...process.env, OTELSTACK_INGESTION_KEY: key }, maxBuffer: 1 << 26 });
  const result = /RESULT .*records_acked=(\d+)/.exec(lg.stdout.toString());
  if (!result) throw new Error(`loadgen failed: ${lg.stdout}${lg.stderr}`);
  const acked = Number(result[1]);
  console.error(`loadgen: ${acked} records acknowledged`);
  const tAcked = Date.now();
  const countRows = async (table) => Number((await ch.query(`SELECT count() FROM ${table}`)).rows[0][0]);
  await waitFor('every acknowledged record in ClickHouse', async () => (await countRows('otel.otel_logs')) >= acked, 600000);
  const tStored = Date.now();
  console.error('all rows in ClickHouse; exporting them for the bulk insert');
  const osCpu = cpuSeconds(server.pid) - osCpu0;
  const chCpuThrough = cpuSeconds(chPid) - chCpu0;

  // ClickHouse's own bulk insert of the same rows: export them as Native,
  // then insert that into an identical table in one HTTP request.
  // (curl streams both through a file: a whole export does not fit in memory)
  const exportFile = path.join(dataDir, 'export.native');
  const curl = (args) => {
    const r = spawnSync('curl', ['-sS', '--fail-with-body', ...args], { maxBuffer: 1 << 24 });
    if (r.status !== 0) throw new Error(`curl ${args.join(' ')}: ${r.stdout}${r.stderr}`);
  };
  curl(['-o', exportFile, '--data-binary', 'SELECT * FROM otel.otel_logs FORMAT Native', ch.url]);
  const exported = { length: statSync(exportFile).size };
  console.error(`exported ${exported.length} bytes`);
  await ch.raw('CREATE DATABASE IF NOT EXISTS bulk');
  await ch.raw('CREATE TABLE bulk.otel_logs AS otel.otel_logs');
  const chCpu1 = cpuSeconds(chPid);
  const b0 = Date.now();
  curl(['--data-binary', `@${exportFile}`, `${ch.url}?query=${encodeURIComponent('INSERT INTO bulk.otel_logs FORMAT Native')}`]);
  const bulkMs = Date.now() - b0;
  const chCpuBulk = cpuSeconds(chPid) - chCpu1;
  const bulkRows = await countRows('bulk.otel_logs');

  const rate = (n, ms) => Math.round(n / (ms / 1000));
  console.log(`==== ClickHouse ingest: otelstack vs ClickHouse bulk insert (${acked} log records) ====`);
  console.log(`through otelstack:   ${rate(acked, tStored - t0)} records/s end to end (acknowledged after ${((tAcked - t0) / 1000).toFixed(1)} s, all in ClickHouse after ${((tStored - t0) / 1000).toFixed(1)} s)`);
  console.log(`  otelstack CPU:     ${osCpu.toFixed(1)} s (${(osCpu / (acked / 1e6)).toFixed(2)} s per 1M records)`);
  console.log(`  ClickHouse CPU:    ${chCpuThrough.toFixed(1)} s during that`);
  console.log(`ClickHouse bulk:     ${rate(bulkRows, bulkMs)} records/s (one Native INSERT of ${(exported.length / 1e6).toFixed(0)} MB, ${bulkMs} ms, ClickHouse CPU ${chCpuBulk.toFixed(1)} s)`);
  console.log(`ratio:               otelstack end-to-end rate is ${((rate(acked, tStored - t0) / rate(bulkRows, bulkMs)) * 100).toFixed(0)} % of the bulk insert rate`);
} finally {
  if (server && server.exitCode === null) server.kill('SIGKILL');
  await ch.stop();
  rmSync(dataDir, { recursive: true, force: true });
}
