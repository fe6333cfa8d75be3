// The differential suite (differential.test.mjs) with otelstack's side on
// its ClickHouse backend: `otelstack serve --storage clickhouse` ingests the
// dataset over OTLP into the database otelstack_diff of the same throwaway
// ClickHouse that holds the reference tables (database `default`), and every
// case runs its otelstack command with --clickhouse-url/--clickhouse-database
// instead of --data-dir. The case files and the reference SQL are the same as
// for the embedded store: both backends must give the same answers.
//
// Requires: env OTELSTACK_BIN and the clickhouse-server Debian package
// (Debian's 18.16: otelstack creates its compatible table layout there).
// Env OTELSTACK_DIFF_CASES=regexp runs only the cases whose name matches.
import { KEY, startServer, waitFor } from './lib/harness.mjs';
import { SIGNALS, loadOtelstack } from './differential/load.mjs';
import { defineDifferentialSuite } from './differential/suite.mjs';

const DATABASE = 'otelstack_diff';

// otelstack's tables per signal (metrics: one table per kind).
const TABLES = {
  logs: ['otel_logs'],
  traces: ['otel_traces'],
  metrics: ['gauge', 'sum', 'histogram', 'exponential_histogram', 'summary'].map((k) => `otel_metrics_${k}`),
};

async function storedRows(ch, signal) {
  const parts = TABLES[signal].map((t) => `SELECT count() AS n FROM ${DATABASE}.${t}`);
  const { rows } = await ch.query(`SELECT sum(n) FROM (${parts.join(' UNION ALL ')})`);
  return Number(rows[0][0]);
}

defineDifferentialSuite({
  title: 'differential: otelstack on ClickHouse vs ClickHouse',
  async loadOtelstackSide({ ds, ch }) {
    const server = await startServer(null, {
      args: ['--storage', 'clickhouse', '--clickhouse-url', ch.url, '--clickhouse-database', DATABASE,
        '--clickhouse-flush-interval', '0.2'],
    });
    try {
      await loadOtelstack(server, KEY, ds);
      // Acknowledged rows reach ClickHouse within a flush interval or a few
      // retries; the server is stopped only once every row is there.
      for (const signal of SIGNALS) {
        await waitFor(`${ds[signal].length} ${signal} rows in ${DATABASE}`,
          async () => (await storedRows(ch, signal)) >= ds[signal].length, { timeoutMs: 120000, intervalMs: 200 });
      }
    } finally {
      await server.stop();
    }
    return ['--clickhouse-url', ch.url, '--clickhouse-database', DATABASE];
  },
});
