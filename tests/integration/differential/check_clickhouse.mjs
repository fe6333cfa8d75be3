// Development aid: runs only the ClickHouse side of every case (no otelstack
// binary needed) and prints each result's size and first rows, so a new case
// can be checked before otelstack supports it.
//   node differential/check_clickhouse.mjs [name-regexp] [--rows N]
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import { startClickHouse } from './clickhouse.mjs';
import { makeDataset } from './dataset.mjs';
import { loadClickHouse } from './load.mjs';
import { CaseRunner, datasetVars, loadCases } from './runner.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const args = process.argv.slice(2);
const rowsIdx = args.indexOf('--rows');
const showRows = rowsIdx >= 0 ? Number(args.splice(rowsIdx, 2)[1]) : 2;
const filter = args[0] ? new RegExp(args[0]) : null;

const ds = makeDataset();
const ch = await startClickHouse();
let failures = 0;
try {
  await loadClickHouse(ch, ds);
  const runner = new CaseRunner({ bin: null, dataDir: '(none)', clickhouse: ch, vars: datasetVars(ds) });
  const cases = loadCases(path.join(here, 'cases')).filter((c) => !filter || filter.test(c.name));
  for (const c of cases) {
    const label = `${c.file}:${c.line} ${c.name}`;
    if (c.error !== null) {
      console.log(`-- ${label}: expects an error (${runner.argvOf(c).join(' ')})`);
      continue;
    }
    try {
      const { rows } = await runner.clickhouseResult(c);
      const bad = c.expectEmpty ? rows.length !== 0 : rows.length === 0;
      if (bad) failures++;
      console.log(`${bad ? 'XX' : 'ok'} ${label}: ${rows.length} rows`);
      for (const r of rows.slice(0, showRows)) console.log(`     ${JSON.stringify(r).slice(0, 300)}`);
    } catch (err) {
      failures++;
      console.log(`XX ${label}: ${err.message}`);
    }
  }
} finally {
  await ch.stop();
}
console.log(failures ? `${failures} case(s) with a bad ClickHouse side` : 'all ClickHouse sides ok');
process.exitCode = failures ? 1 : 0;
