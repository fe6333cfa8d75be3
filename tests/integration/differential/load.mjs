// Loads one dataset into both systems and checks they hold the same rows.
//
// Promises:
//   - loadOtelstack() sends every signal over OTLP/HTTP JSON in shuffled
//     batches (seeded, so a run is reproducible) to a running server; the
//     caller stops the server afterwards so the data dir is quiescent.
//   - loadClickHouse() creates the tables and inserts every record.
//   - countOtelstack() counts rows per signal with plain `otelstack search`
//     (`backendArgs`: a data dir path, or the CLI arguments of a backend such
//     as ['--clickhouse-url', URL, '--clickhouse-database', DB]).
import { createTables, loadSignal } from './clickhouse_schema.mjs';
import { makeRng } from './dataset.mjs';
import { sendSignal } from './otlp.mjs';
import { runOtelstack } from './runner.mjs';

export const SIGNALS = ['logs', 'traces', 'metrics'];

export async function loadOtelstack(server, key, ds, { batchSize = 500, seed = 7 } = {}) {
  const rng = makeRng(seed);
  for (const signal of SIGNALS) {
    const shuffled = rng.shuffle([...ds[signal]]);
    await sendSignal(server.httpUrl(), key, signal, shuffled, { batchSize });
  }
}

export async function loadClickHouse(ch, ds) {
  await createTables(ch);
  for (const signal of SIGNALS) await loadSignal(ch, signal, ds[signal]);
}

export async function countOtelstack(bin, backendArgs, signal) {
  const where = typeof backendArgs === 'string' ? ['--data-dir', backendArgs] : backendArgs;
  const out = await runOtelstack(bin, ['search', ...where, '--signal', signal, '--limit', '100000000']);
  if (out.code !== 0) throw new Error(`otelstack search --signal ${signal} failed (${out.code}): ${out.stderr}`);
  let n = 0;
  for (const line of out.stdout.split('\n')) if (line.trim() !== '') n++;
  return n;
}

export async function countClickHouse(ch, signal) {
  const { rows } = await ch.query(`SELECT count() FROM ${signal}`);
  return Number(rows[0][0]);
}
