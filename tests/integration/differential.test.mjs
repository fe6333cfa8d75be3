// Differential correctness test of otelstack's query engine against a real
// ClickHouse: one deterministic dataset is loaded into both, then every case
// of differential/cases/*.test runs the otelstack CLI and the equivalent
// ClickHouse SQL and requires the same answer (see differential/case_file.mjs
// for the case format and differential/compare.mjs for the comparison rules).
//
// Requires: env OTELSTACK_BIN and the clickhouse-server Debian package.
// Env OTELSTACK_DIFF_CASES=regexp runs only the cases whose name matches.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import { BIN, KEY, makeTempDir, startServer } from './lib/harness.mjs';
import { clickHouseAvailable, CLICKHOUSE_SERVER_BIN, startClickHouse } from './differential/clickhouse.mjs';
import { makeDataset } from './differential/dataset.mjs';
import { SIGNALS, countClickHouse, countOtelstack, loadClickHouse, loadOtelstack } from './differential/load.mjs';
import { CaseRunner, datasetVars, loadCases } from './differential/runner.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const filter = process.env.OTELSTACK_DIFF_CASES ? new RegExp(process.env.OTELSTACK_DIFF_CASES) : null;
const cases = loadCases(path.join(here, 'differential', 'cases')).filter((c) => !filter || filter.test(c.name));

describe('differential: otelstack vs ClickHouse', () => {
  let ch;
  let runner;

  before(async () => {
    assert.ok(clickHouseAvailable(), `${CLICKHOUSE_SERVER_BIN} is missing: install the clickhouse-server package`);
    const ds = makeDataset();
    const dataDir = makeTempDir(null, 'otelstack-diff-');
    ch = await startClickHouse();
    const server = await startServer(null, { dataDir });
    try {
      await Promise.all([loadOtelstack(server, KEY, ds), loadClickHouse(ch, ds)]);
    } finally {
      await server.stop();
    }
    for (const signal of SIGNALS) {
      const [os, ref] = await Promise.all([countOtelstack(BIN, dataDir, signal), countClickHouse(ch, signal)]);
      assert.equal(ref, ds[signal].length, `ClickHouse holds every ${signal} record`);
      assert.equal(os, ref, `otelstack and ClickHouse hold the same number of ${signal} rows`);
    }
    runner = new CaseRunner({ bin: BIN, dataDir, clickhouse: ch, vars: datasetVars(ds) });
  });

  after(async () => {
    if (ch) await ch.stop();
  });

  test('the case files hold at least 65 cases', { skip: filter !== null }, () => {
    assert.ok(cases.length >= 65, `only ${cases.length} cases`);
  });

  for (const c of cases) {
    test(`${c.file}:${c.line} ${c.name}`, async () => {
      await runner.runCase(c);
    });
  }
});
