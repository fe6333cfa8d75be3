// The differential suite shared by differential.test.mjs (otelstack's
// embedded store) and differential_clickhouse.test.mjs (otelstack's
// ClickHouse backend): one deterministic dataset, a throwaway ClickHouse with
// the reference tables, then every case of cases/*.test.
//
// Requires: env OTELSTACK_BIN and the clickhouse-server Debian package.
// Env OTELSTACK_DIFF_CASES=regexp runs only the cases whose name matches.
//
// defineDifferentialSuite({title, loadOtelstackSide, skips}) registers a
// node:test describe() block:
//   - before(): starts ClickHouse (clickhouse.mjs), builds the dataset and,
//     concurrently, loads the reference tables and calls
//     loadOtelstackSide({ds, ch}), which must load the dataset into
//     otelstack, leave it quiescent (server stopped) and resolve with the CLI
//     arguments that select that storage (e.g. ['--data-dir', DIR]). Then it
//     requires both sides to hold every record of every signal.
//   - one test per case; a case matching skips[i].pattern (a RegExp over
//     "file:line name" or the case name) is skipped with skips[i].reason,
//     which node:test prints.
//   - after(): stops ClickHouse (and whatever loadOtelstackSide registered
//     through the `cleanup` callback it receives).
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import { BIN } from '../lib/harness.mjs';
import { clickHouseAvailable, CLICKHOUSE_SERVER_BIN, startClickHouse } from './clickhouse.mjs';
import { makeDataset } from './dataset.mjs';
import { SIGNALS, countClickHouse, countOtelstack, loadClickHouse } from './load.mjs';
import { CaseRunner, datasetVars, loadCases } from './runner.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));

export const MIN_CASES = 65;

export function defineDifferentialSuite({ title, loadOtelstackSide, skips = [] }) {
  const filter = process.env.OTELSTACK_DIFF_CASES ? new RegExp(process.env.OTELSTACK_DIFF_CASES) : null;
  const cases = loadCases(path.join(here, 'cases')).filter((c) => !filter || filter.test(c.name));

  describe(title, () => {
    let ch;
    let runner;
    const cleanups = [];

    before(async () => {
      assert.ok(clickHouseAvailable(), `${CLICKHOUSE_SERVER_BIN} is missing: install the clickhouse-server package`);
      const ds = makeDataset();
      ch = await startClickHouse();
      const [backendArgs] = await Promise.all([
        loadOtelstackSide({ ds, ch, cleanup: (fn) => cleanups.push(fn) }),
        loadClickHouse(ch, ds),
      ]);
      for (const signal of SIGNALS) {
        const [os, ref] = await Promise.all([countOtelstack(BIN, backendArgs, signal), countClickHouse(ch, signal)]);
        assert.equal(ref, ds[signal].length, `ClickHouse holds every ${signal} record`);
        assert.equal(os, ref, `otelstack and ClickHouse hold the same number of ${signal} rows`);
      }
      runner = new CaseRunner({ bin: BIN, backendArgs, clickhouse: ch, vars: datasetVars(ds) });
    });

    after(async () => {
      for (const fn of cleanups.reverse()) await fn();
      if (ch) await ch.stop();
    });

    test(`the case files hold at least ${MIN_CASES} cases`, { skip: filter !== null }, () => {
      assert.ok(cases.length >= MIN_CASES, `only ${cases.length} cases`);
    });

    for (const c of cases) {
      const label = `${c.file}:${c.line} ${c.name}`;
      const skip = skips.find((s) => s.pattern.test(label) || s.pattern.test(c.name));
      test(label, skip ? { skip: skip.reason } : {}, async () => {
        await runner.runCase(c);
      });
    }
  });
}
