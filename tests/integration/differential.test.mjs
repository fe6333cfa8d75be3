// Differential correctness test of otelstack's query engine against a real
// ClickHouse: one deterministic dataset is loaded into both, then every case
// of differential/cases/*.test runs the otelstack CLI and the equivalent
// ClickHouse SQL and requires the same answer (see differential/case_file.mjs
// for the case format and differential/compare.mjs for the comparison rules).
// This file runs otelstack on its embedded store (a data dir);
// differential_clickhouse.test.mjs runs the same cases on its ClickHouse
// backend. The shared part is differential/suite.mjs.
//
// Requires: env OTELSTACK_BIN and the clickhouse-server Debian package.
// Env OTELSTACK_DIFF_CASES=regexp runs only the cases whose name matches.
import { KEY, makeTempDir, startServer } from './lib/harness.mjs';
import { loadOtelstack } from './differential/load.mjs';
import { defineDifferentialSuite } from './differential/suite.mjs';

defineDifferentialSuite({
  title: 'differential: otelstack vs ClickHouse',
  async loadOtelstackSide({ ds }) {
    const dataDir = makeTempDir(null, 'otelstack-diff-');
    const server = await startServer(null, { dataDir });
    try {
      await loadOtelstack(server, KEY, ds);
    } finally {
      await server.stop();
    }
    return ['--data-dir', dataDir];
  },
});
