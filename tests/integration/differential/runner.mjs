// Runs differential cases: one otelstack CLI command against otelstack's
// storage, the equivalent SQL against ClickHouse, and a comparison.
//
// Requires: otelstack's storage already holding the dataset (loaded and
// flushed) and the CLI arguments that select it (`backendArgs`: default
// ['--data-dir', dataDir]; e.g. ['--clickhouse-url', URL,
// '--clickhouse-database', DB] for the ClickHouse backend), a running
// clickhouse.mjs server with the reference tables, and the otelstack binary
// path.
// Promises: runCase(c) resolves when the case holds and otherwise rejects
// with an Error naming file:line and the case, both commands and a diff.
import { execFile } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

import { parseCaseFile } from './case_file.mjs';
import { expandAttributeAccess } from './clickhouse_schema.mjs';
import { compareRows } from './compare.mjs';

export function loadCases(dir) {
  const cases = [];
  for (const name of readdirSync(dir).filter((f) => f.endsWith('.test')).sort()) {
    cases.push(...parseCaseFile(readFileSync(path.join(dir, name), 'utf8'), `cases/${name}`));
  }
  return cases;
}

// Variables usable as ${name} in commands and SQL:
//   ${t0}, ${t0+2h}, ${t0+90m}, ${t0+1h-30s}  RFC 3339 (UTC, seconds) relative
//                                            to the dataset anchor; append :ns
//                                            or :s for integer nanoseconds/seconds
//   ${trace.NAME}                            named trace ids (datasetVars)
export function datasetVars(ds) {
  const logsPerTrace = new Map();
  for (const r of ds.logs) if (r.traceId) logsPerTrace.set(r.traceId, (logsPerTrace.get(r.traceId) ?? 0) + 1);
  const spansPerTrace = new Map();
  const errorsPerTrace = new Map();
  for (const s of ds.spans) {
    spansPerTrace.set(s.traceId, (spansPerTrace.get(s.traceId) ?? 0) + 1);
    if (s.statusCode === 2) errorsPerTrace.set(s.traceId, (errorsPerTrace.get(s.traceId) ?? 0) + 1);
  }
  // The id with the largest count; ties go to the smallest id.
  const argmax = (map) =>
    [...map.entries()].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))[0][0];
  const withoutLogs = [...spansPerTrace.keys()].filter((id) => !logsPerTrace.has(id)).sort();
  return {
    anchorNs: ds.anchorNs,
    traces: {
      most_logs: argmax(logsPerTrace),
      most_spans: argmax(spansPerTrace),
      most_errors: argmax(errorsPerTrace),
      without_logs: withoutLogs[0],
      unknown: '0123456789abcdef0123456789abcdef',
    },
  };
}

const UNIT_NS = { s: 1000000000n, m: 60000000000n, h: 3600000000000n, d: 86400000000000n };

function resolveVar(expr, vars) {
  const trace = /^trace\.(\w+)$/.exec(expr);
  if (trace) {
    const id = vars.traces[trace[1]];
    if (!id) throw new Error(`unknown variable \${${expr}}`);
    return id;
  }
  const m = /^t0((?:[+-]\d+[smhd])*)(?::(ns|s))?$/.exec(expr);
  if (!m) throw new Error(`unknown variable \${${expr}}`);
  let ns = vars.anchorNs;
  for (const [, sign, n, unit] of m[1].matchAll(/([+-])(\d+)([smhd])/g)) {
    const delta = BigInt(n) * UNIT_NS[unit];
    ns = sign === '+' ? ns + delta : ns - delta;
  }
  if (m[2] === 'ns') return ns.toString();
  if (m[2] === 's') return (ns / 1000000000n).toString();
  return new Date(Number(ns / 1000000n)).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

export function substitute(text, vars) {
  return text.replace(/\$\{([^}]+)\}/g, (_, expr) => resolveVar(expr.trim(), vars));
}

function shellQuote(arg) {
  return /^[\w@%+=:,./-]+$/.test(arg) ? arg : `'${arg.replace(/'/g, `'\\''`)}'`;
}

function cleanEnv() {
  const env = {};
  for (const [k, v] of Object.entries(process.env)) {
    if (!k.startsWith('OTELSTACK_') && !k.startsWith('OTEL_')) env[k] = v;
  }
  return env;
}

// Runs the binary; resolves {code, stdout, stderr} whatever the exit code.
export function runOtelstack(bin, argv, { timeoutMs = 120000 } = {}) {
  return new Promise((resolve) => {
    execFile(bin, argv, { env: cleanEnv(), maxBuffer: 1024 * 1024 * 1024, timeout: timeoutMs, encoding: 'utf8' },
      (err, stdout, stderr) => {
        resolve({ code: err ? (err.code ?? err.signal ?? 'error') : 0, stdout, stderr });
      });
  });
}

function attributeText(value) {
  if (value === undefined || value === null) return '';
  if (typeof value === 'string') return value;
  if (typeof value === 'boolean' || typeof value === 'number') return String(value);
  return JSON.stringify(value);
}

// Value of a compare column in an otelstack row object: `Name` or `Map['key']`
// (a missing key reads as '', like the ClickHouse side).
function columnValue(row, column) {
  const m = /^(\w+)\['(.*)'\]$/.exec(column);
  if (m) return attributeText(row[m[1]]?.[m[2]]);
  if (!(column in row)) throw new Error(`otelstack row has no column ${column}: ${JSON.stringify(row).slice(0, 300)}`);
  return row[column];
}

function parseJson(text, what) {
  try {
    return JSON.parse(text);
  } catch (err) {
    throw new Error(`${what} is not JSON (${err.message}): ${text.slice(0, 500)}`);
  }
}

// otelstack stdout -> rows (arrays), per kind.
function otelstackRows(c, stdout) {
  switch (c.kind) {
    case 'search':
      return stdout
        .split('\n')
        .filter((l) => l.trim() !== '')
        .map((l) => c.columns.map((col) => columnValue(parseJson(l, 'a search line'), col)));
    case 'trace': {
      const t = parseJson(stdout, 'trace output');
      if (!Array.isArray(t.spans) || !Array.isArray(t.logs)) throw new Error(`trace output lacks spans/logs arrays`);
      return [
        ...t.spans.map((r) => ['span', ...c.columns.map((col) => columnValue(r, col))]),
        ...t.logs.map((r) => ['log', ...c.columns.map((col) => columnValue(r, col))]),
      ];
    }
    case 'facets': {
      const f = parseJson(stdout, 'facets output');
      if (f.partial !== false) throw new Error(`facets output: partial is ${f.partial}, expected false`);
      return f.facets.flatMap((facet) => facet.values.map((v) => [facet.field, v.value, v.count]));
    }
    case 'chart': {
      const ch = parseJson(stdout, 'chart output');
      if (ch.partial !== false) throw new Error(`chart output: partial is ${ch.partial}, expected false`);
      if (!Array.isArray(ch.columns) || !Array.isArray(ch.rows)) throw new Error('chart output lacks columns/rows');
      // count and count_distinct must be integers, the other aggregates numbers or null.
      ch.columns.forEach((name, i) => {
        for (const row of ch.rows) {
          const v = row[i];
          if (/^count(_distinct)?\b/.test(name) && !Number.isInteger(v)) {
            throw new Error(`chart column ${name} holds ${JSON.stringify(v)}, expected an integer`);
          }
          if (/^(sum|avg|min|max|p\d+)\(/.test(name) && v !== null && typeof v !== 'number') {
            throw new Error(`chart column ${name} holds ${JSON.stringify(v)}, expected a number or null`);
          }
        }
      });
      return { rows: ch.rows, columns: ch.columns };
    }
    default:
      throw new Error(`unknown kind ${c.kind}`);
  }
}

function columnNames(c, chartColumns) {
  if (c.kind === 'chart') return chartColumns;
  if (c.kind === 'trace') return ['kind', ...c.columns];
  if (c.kind === 'facets') return ['field', 'value', 'count'];
  return c.columns;
}

export class CaseRunner {
  constructor({ bin, dataDir, backendArgs, clickhouse, vars }) {
    this.bin = bin;
    this.backendArgs = backendArgs ?? ['--data-dir', dataDir];
    this.ch = clickhouse;
    this.vars = vars;
  }

  argvOf(c) {
    const args = c.args.map((a) => substitute(a, this.vars));
    return [c.kind, ...this.backendArgs, ...(c.signal ? ['--signal', c.signal] : []), ...args];
  }

  sqlOf(c) {
    return expandAttributeAccess(substitute(c.sql, this.vars));
  }

  // The ClickHouse side alone: {columns, rows}.
  async clickhouseResult(c) {
    return this.ch.query(this.sqlOf(c), { output_format_json_quote_64bit_integers: '1' });
  }

  async runCase(c) {
    const argv = this.argvOf(c);
    const command = `otelstack ${argv.map(shellQuote).join(' ')}`;
    const fail = (what) => {
      const sql = c.sql ? `\nClickHouse:\n${this.sqlOf(c).replace(/^/gm, '  ')}` : '';
      return new Error(`${c.file}:${c.line}: case "${c.name}"\n${command}${sql}\n${what}`);
    };
    const out = await runOtelstack(this.bin, argv);
    if (c.error !== null) {
      if (out.code === 0) {
        throw fail(`expected an error containing "${c.error}", but it succeeded:\n${out.stdout.slice(0, 1000)}`);
      }
      if (!out.stderr.includes(c.error)) {
        throw fail(`expected stderr to contain "${c.error}"; exit ${out.code}, stderr:\n${out.stderr.slice(0, 2000)}`);
      }
      return;
    }
    if (out.code !== 0) throw fail(`otelstack exited with ${out.code}; stderr:\n${out.stderr.slice(0, 3000)}`);
    let osRows;
    let osColumns = null;
    try {
      const parsed = otelstackRows(c, out.stdout);
      if (c.kind === 'chart') {
        osRows = parsed.rows;
        osColumns = parsed.columns;
      } else {
        osRows = parsed;
      }
    } catch (err) {
      throw fail(err.message);
    }
    let chResult;
    try {
      chResult = await this.clickhouseResult(c);
    } catch (err) {
      throw fail(`ClickHouse query failed: ${err.message}`);
    }
    const types = chResult.columns.map((m) => m.type);
    if (c.expectEmpty) {
      if (chResult.rows.length !== 0) {
        throw fail(`the case expects an empty result, but ClickHouse returned ${chResult.rows.length} rows`);
      }
    } else if (chResult.rows.length === 0) {
      throw fail('ClickHouse returned no rows; a non-empty case must not pass vacuously (add "expect: empty")');
    }
    if (osColumns && osColumns.length !== types.length) {
      throw fail(`otelstack columns ${JSON.stringify(osColumns)} vs ${types.length} ClickHouse columns ` +
        `${JSON.stringify(chResult.columns.map((m) => m.name))}`);
    }
    const diff = compareRows(osRows, chResult.rows, types, {
      mode: c.compare === 'rowset' ? 'rowset' : 'ordered',
      tolerance: c.tolerance,
      names: columnNames(c, osColumns),
    });
    if (diff) {
      const header = osColumns ? `otelstack columns: ${JSON.stringify(osColumns)}\n` : '';
      throw fail(`${header}${diff}`);
    }
  }
}
