// Parser of differential case files (cases/*.test), in the spirit of DuckDB's
// sqllogictest files. A case is:
//
//   # comments anywhere outside a case
//   case <name>
//   <kind> [<signal>] <otelstack arguments...>     kind: search|chart|facets|trace
//   [<directive>: <value>]...
//   ----
//   <ClickHouse SQL, one or more lines>
//   <blank line or end of file>
//
// Directives:
//   compare: ordered COL...   search/trace: compare these columns of every row,
//                             in order (trace rows start with "span"/"log")
//   compare: rows             chart/facets: the rows in order
//   compare: rowset           chart/facets: the rows in any order
//   tolerance: quantile D     a ClickHouse cell holding [lo, hi] accepts any
//                             otelstack number in that range (compute lo/hi as
//                             quantileExact(p-D), quantileExact(p+D))
//   expect: empty             both sides must be empty (otherwise ClickHouse
//                             must return at least one row, so a case cannot
//                             pass vacuously)
//   error: TEXT               otelstack must exit non-zero with TEXT in stderr
//                             (no ---- block)
// A command line ending in '\' continues on the next line. Arguments use
// shell-like quoting ('single' is literal, "double" knows \" and \\).
//
// Promises: parseCaseFile(text, fileName) returns [{name, file, line, kind,
// signal, args, compare, columns, tolerance, expectEmpty, error, sql}] or
// throws with file:line on a malformed case.
const KINDS = new Set(['search', 'chart', 'facets', 'trace']);
const SIGNALS = new Set(['logs', 'traces', 'metrics']);

export function splitArgs(line, where) {
  const args = [];
  let i = 0;
  while (i < line.length) {
    while (i < line.length && /\s/.test(line[i])) i++;
    if (i >= line.length) break;
    let arg = '';
    while (i < line.length && !/\s/.test(line[i])) {
      const c = line[i];
      if (c === "'") {
        const end = line.indexOf("'", i + 1);
        if (end < 0) throw new Error(`${where}: unterminated ' quote`);
        arg += line.slice(i + 1, end);
        i = end + 1;
      } else if (c === '"') {
        i++;
        while (i < line.length && line[i] !== '"') {
          if (line[i] === '\\' && (line[i + 1] === '"' || line[i + 1] === '\\')) i++;
          arg += line[i++];
        }
        if (i >= line.length) throw new Error(`${where}: unterminated " quote`);
        i++;
      } else {
        arg += c;
        i++;
      }
    }
    args.push(arg);
  }
  return args;
}

export function parseCaseFile(text, file) {
  const lines = text.split('\n');
  const cases = [];
  let i = 0;
  const where = (n) => `${file}:${n + 1}`;
  while (i < lines.length) {
    const line = lines[i];
    if (line.trim() === '' || line.trimStart().startsWith('#')) {
      i++;
      continue;
    }
    const header = /^case\s+(.+)$/.exec(line.trim());
    if (!header) throw new Error(`${where(i)}: expected "case <name>", got: ${line}`);
    const c = {
      name: header[1].trim(),
      file,
      line: i + 1,
      compare: null,
      columns: [],
      tolerance: null,
      expectEmpty: false,
      error: null,
      sql: null,
    };
    i++;
    let command = '';
    const commandLine = i;
    while (i < lines.length) {
      const part = lines[i++];
      if (part.endsWith('\\')) {
        command += `${part.slice(0, -1)} `;
      } else {
        command += part;
        break;
      }
    }
    const argv = splitArgs(command, where(commandLine));
    c.kind = argv.shift();
    if (!KINDS.has(c.kind)) {
      throw new Error(`${where(commandLine)}: unknown kind "${c.kind}" (search|chart|facets|trace)`);
    }
    if (c.kind !== 'trace') {
      c.signal = argv.shift();
      if (!SIGNALS.has(c.signal)) throw new Error(`${where(commandLine)}: expected a signal after ${c.kind}`);
    }
    c.args = argv;
    c.commandText = command.trim();
    for (; i < lines.length && lines[i].trim() !== '' && lines[i].trim() !== '----'; i++) {
      const m = /^([a-z]+):\s*(.*)$/.exec(lines[i].trim());
      if (!m) throw new Error(`${where(i)}: expected "directive: value" or ----, got: ${lines[i]}`);
      const [, key, value] = m;
      if (key === 'compare') {
        const [mode, ...columns] = value.split(/\s+/);
        if (!['ordered', 'rows', 'rowset'].includes(mode)) throw new Error(`${where(i)}: compare ordered|rows|rowset`);
        c.compare = mode;
        c.columns = columns;
      } else if (key === 'tolerance') {
        const t = /^quantile\s+([0-9.]+)$/.exec(value);
        if (!t) throw new Error(`${where(i)}: tolerance: quantile <delta>`);
        c.tolerance = Number(t[1]);
      } else if (key === 'expect') {
        if (value !== 'empty') throw new Error(`${where(i)}: expect: empty`);
        c.expectEmpty = true;
      } else if (key === 'error') {
        c.error = value;
      } else {
        throw new Error(`${where(i)}: unknown directive ${key}`);
      }
    }
    if (c.error === null) {
      if (lines[i]?.trim() !== '----') {
        throw new Error(`${where(i)}: case "${c.name}" needs a ---- line and ClickHouse SQL`);
      }
      i++;
      const sql = [];
      for (; i < lines.length && lines[i].trim() !== ''; i++) sql.push(lines[i]);
      if (sql.length === 0) throw new Error(`${where(i)}: case "${c.name}" has no ClickHouse SQL`);
      c.sql = sql.join('\n');
      if (!c.compare) throw new Error(`${where(c.line - 1)}: case "${c.name}" needs a compare: directive`);
      if (c.compare === 'ordered' && c.columns.length === 0) {
        throw new Error(`${where(c.line - 1)}: compare: ordered needs column names`);
      }
      if ((c.kind === 'search' || c.kind === 'trace') && c.compare !== 'ordered') {
        throw new Error(`${where(c.line - 1)}: ${c.kind} cases use compare: ordered COL...`);
      }
    }
    cases.push(c);
  }
  return cases;
}
