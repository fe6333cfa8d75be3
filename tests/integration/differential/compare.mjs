// Cell and row comparison between otelstack output and ClickHouse results,
// with a readable diff.
//
// Rules for one cell (otelstack value `os`, ClickHouse value `ch` of type T):
//   - an RFC 3339 UTC string from otelstack is compared as integer
//     nanoseconds (ClickHouse returns UInt64 nanoseconds);
//   - ch null: os must be null;
//   - T a string type: os must be a string and equal byte for byte;
//   - T an integer type: os must be an integer number (or a timestamp) and
//     equal exactly (ClickHouse sends 64-bit integers as strings);
//   - T a float type: |os - ch| <= 1e-9 * max(1, |ch|);
//   - with a quantile tolerance, ch [lo, hi] accepts any number lo <= os <= hi;
//   - any other type: equal JSON.
const RFC3339 = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2})(?:\.(\d{1,9}))?Z$/;

export function rfc3339ToNsString(text) {
  const m = RFC3339.exec(text);
  if (!m) return null;
  const ms = Date.parse(`${m[1]}Z`);
  if (Number.isNaN(ms)) return null;
  return (BigInt(ms / 1000) * 1000000000n + BigInt((m[2] ?? '').padEnd(9, '0'))).toString();
}

const baseType = (t) => t.replace(/^Nullable\((.*)\)$/, '$1').replace(/^LowCardinality\((.*)\)$/, '$1');
const isIntType = (t) => /^U?Int\d+$/.test(baseType(t));
const isFloatType = (t) => /^Float\d+$/.test(baseType(t));
const isStringType = (t) => /^(String|FixedString\(\d+\))$/.test(baseType(t));

function asBigInt(v) {
  if (typeof v === 'number' && Number.isSafeInteger(v)) return BigInt(v);
  if (typeof v === 'string' && /^-?\d+$/.test(v)) return BigInt(v);
  return null;
}

// Returns null when the cells agree, else a short reason.
export function compareCell(os, ch, type, { tolerance = null } = {}) {
  let wasTimestamp = false;
  if (typeof os === 'string' && !isStringType(type)) {
    const ns = rfc3339ToNsString(os);
    if (ns !== null) {
      os = ns;
      wasTimestamp = true;
    }
  }
  if (tolerance !== null && Array.isArray(ch) && ch.length === 2) {
    if (typeof os !== 'number') return `expected a number within [${ch[0]}, ${ch[1]}]`;
    const [lo, hi] = ch.map(Number);
    return os >= lo && os <= hi ? null : `outside [${ch[0]}, ${ch[1]}] (quantile tolerance ${tolerance})`;
  }
  if (ch === null) return os === null ? null : 'expected null';
  if (os === null || os === undefined) return `got ${os}, expected ${JSON.stringify(ch)}`;
  if (isStringType(type)) {
    if (typeof os !== 'string') return `expected the string ${JSON.stringify(ch)}, got ${typeof os}`;
    return os === ch ? null : 'different strings';
  }
  if (isIntType(type)) {
    // A string is only accepted when it was an RFC 3339 timestamp.
    const a = typeof os === 'string' && !wasTimestamp ? null : asBigInt(os);
    const b = asBigInt(ch);
    if (a === null) return `expected the integer ${ch}, got ${JSON.stringify(os)}`;
    return a === b ? null : 'different integers';
  }
  if (isFloatType(type)) {
    const a = typeof os === 'number' ? os : Number.NaN;
    const b = Number(ch);
    if (Number.isNaN(a)) return `expected a number near ${ch}, got ${JSON.stringify(os)}`;
    return Math.abs(a - b) <= 1e-9 * Math.max(1, Math.abs(b)) ? null : 'different numbers';
  }
  return JSON.stringify(os) === JSON.stringify(ch) ? null : 'different values';
}

export function nsToRfc3339(ns) {
  const big = BigInt(ns);
  const seconds = new Date(Number(big / 1000000000n) * 1000).toISOString().slice(0, 19);
  return `${seconds}.${(big % 1000000000n).toString().padStart(9, '0')}Z`;
}

// ClickHouse nanosecond timestamps (19-digit integers) are shown in RFC 3339
// so that they read like otelstack's.
function show(row) {
  const text = JSON.stringify(row.map((v) => (typeof v === 'string' && /^1\d{18}$/.test(v) ? nsToRfc3339(v) : v)));
  return text.length > 400 ? `${text.slice(0, 400)}...` : text;
}

// Compares otelstack rows (arrays) with ClickHouse rows/types. mode: 'ordered'
// (also 'rows') or 'rowset'. Returns null or a multi-line diff.
export function compareRows(osRows, chRows, types, { mode = 'ordered', tolerance = null, names = [] } = {}) {
  const width = types.length;
  for (const [i, row] of osRows.entries()) {
    if (row.length !== width) {
      return `otelstack row ${i} has ${row.length} values, ClickHouse rows have ${width}: ${show(row)}`;
    }
  }
  const rowDiff = (a, b) => {
    for (let c = 0; c < width; c++) {
      const why = compareCell(a[c], b[c], types[c], { tolerance });
      if (why) return `column ${c}${names[c] ? ` (${names[c]})` : ''}: ${why}`;
    }
    return null;
  };
  if (mode === 'rowset') {
    // Greedy matching: each ClickHouse row takes the first unmatched
    // otelstack row that agrees with it.
    const unmatched = new Set(osRows.keys());
    const missing = [];
    for (const chRow of chRows) {
      let found = -1;
      for (const i of unmatched) {
        if (!rowDiff(osRows[i], chRow)) {
          found = i;
          break;
        }
      }
      if (found >= 0) unmatched.delete(found);
      else missing.push(chRow);
    }
    if (missing.length === 0 && unmatched.size === 0) return null;
    const extra = [...unmatched].map((i) => osRows[i]);
    return [
      `otelstack ${osRows.length} rows, ClickHouse ${chRows.length} rows (compared as a set)`,
      `only in ClickHouse (${missing.length}):`,
      ...missing.slice(0, 10).map((r) => `  ${show(r)}`),
      `only in otelstack (${extra.length}):`,
      ...extra.slice(0, 10).map((r) => `  ${show(r)}`),
    ].join('\n');
  }
  const n = Math.max(osRows.length, chRows.length);
  let first = -1;
  let why = '';
  for (let i = 0; i < n; i++) {
    if (i >= osRows.length || i >= chRows.length) {
      first = i;
      why = 'row missing on one side';
      break;
    }
    const d = rowDiff(osRows[i], chRows[i]);
    if (d) {
      first = i;
      why = d;
      break;
    }
  }
  if (first < 0) return null;
  const lines = [
    `otelstack ${osRows.length} rows, ClickHouse ${chRows.length} rows; first difference at row ${first}: ${why}`,
  ];
  const from = Math.max(0, first - 2);
  const to = Math.min(n, first + 4);
  for (let i = from; i < to; i++) {
    const mark = i === first ? '>' : ' ';
    lines.push(`${mark} [${i}] otelstack : ${i < osRows.length ? show(osRows[i]) : '(none)'}`);
    lines.push(`${mark} [${i}] clickhouse: ${i < chRows.length ? show(chRows[i]) : '(none)'}`);
  }
  return lines.join('\n');
}
