// Building filters into the query text: "Filter on this value" / "Exclude"
// from the row panel and the facets append `key:"value"` / `-key:"value"` in
// the search syntax, or `key = 'value'` / `key != 'value'` in SQL (see
// docs/search.md). Also reads the 1-based position out of a syntax error.
import type { QueryLanguage } from './searchUrlState';

export type FilterValue = string | number | boolean;

// A field name in the search syntax: special characters escaped with `\`.
export function luceneField(field: string): string {
  return field.replace(/[\\:*()" ]/g, (c) => `\\${c}`).replace(/^-/, '\\-');
}

// A quoted value in the search syntax: `\"` and `\\` are the only escapes.
export function luceneQuote(value: string): string {
  return `"${value.replace(/[\\"]/g, (c) => `\\${c}`)}"`;
}

// An identifier in SQL: bare when it is a plain (possibly dotted) name,
// else back-quoted; `Map['key']` forms are kept as written.
export function sqlIdentifier(field: string): string {
  if (/^[A-Za-z_][A-Za-z0-9_.]*$/.test(field) && !/\.$/.test(field) && !SQL_KEYWORDS.has(field.toUpperCase())) return field;
  if (/^[A-Za-z_][A-Za-z0-9_]*\['(?:[^'\\]|\\.)*'\]$/.test(field)) return field;
  return `\`${field.replace(/`/g, '``')}\``;
}

const SQL_KEYWORDS = new Set(['AND', 'OR', 'NOT', 'IN', 'LIKE', 'ILIKE', 'IS', 'NULL', 'TRUE', 'FALSE']);

export function sqlLiteral(value: FilterValue): string {
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  if (typeof value === 'boolean') return value ? 'TRUE' : 'FALSE';
  return `'${String(value).replace(/\\/g, '\\\\').replace(/'/g, "''")}'`;
}

// One condition: field equals (or, excluded, differs from) value.
export function filterClause(lang: QueryLanguage, field: string, value: FilterValue, exclude: boolean): string {
  if (lang === 'sql') return `${sqlIdentifier(field)} ${exclude ? '!=' : '='} ${sqlLiteral(value)}`;
  return `${exclude ? '-' : ''}${luceneField(field)}:${luceneQuote(String(value))}`;
}

// True when `query` has an OR outside parentheses and quotes (so appending
// a term would bind to its last alternative only).
function hasTopLevelOr(query: string, lang: QueryLanguage): boolean {
  let depth = 0;
  let quote: string | null = null;
  for (let i = 0; i < query.length; i++) {
    const c = query[i];
    if (quote) {
      if (c === '\\') i++;
      else if (c === quote) quote = null;
      continue;
    }
    if (c === '"' || (lang === 'sql' && (c === "'" || c === '`'))) quote = c;
    else if (c === '\\') i++;
    else if (c === '(') depth++;
    else if (c === ')') depth = Math.max(0, depth - 1);
    else if (depth === 0) {
      const word = query.slice(i, i + 2);
      const before = i === 0 ? ' ' : query[i - 1];
      const after = query[i + 2] ?? ' ';
      const isOr = lang === 'sql' ? word.toUpperCase() === 'OR' : word === 'OR';
      if (isOr && /[\s()]/.test(before) && /[\s()]/.test(after)) return true;
    }
  }
  return false;
}

// `query` AND the new condition, keeping the meaning of the existing query.
export function appendFilter(query: string, lang: QueryLanguage, field: string, value: FilterValue, exclude = false): string {
  const clause = filterClause(lang, field, value, exclude);
  const q = query.trim();
  if (!q) return clause;
  const base = hasTopLevelOr(q, lang) ? `(${q})` : q;
  return lang === 'sql' ? `${base} AND ${clause}` : `${base} ${clause}`;
}

// The 1-based character position a syntax error names ("at position 14: …").
export function errorPosition(message: string): number | null {
  const m = /at position (\d+)/.exec(message);
  return m ? Number(m[1]) : null;
}
