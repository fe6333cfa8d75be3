// Field-name autocomplete for the query bar: the word under the cursor,
// the field names that match it (signal columns and attribute keys), and
// the query after accepting one (`key:` in the search syntax, `key ` in SQL).
import { luceneField, sqlIdentifier } from './queryFilters';
import type { QueryLanguage } from './searchUrlState';

export interface Token {
  start: number;
  end: number;
  text: string;
}

const SEPARATOR = /[\s()]/;

// The word around `cursor` (a leading `-` is not part of it).
export function tokenAt(query: string, cursor: number): Token {
  let start = cursor;
  while (start > 0 && !SEPARATOR.test(query[start - 1])) start--;
  let end = cursor;
  while (end < query.length && !SEPARATOR.test(query[end])) end++;
  if (query[start] === '-' && start < cursor) start++;
  return { start, end, text: query.slice(start, end) };
}

// Whether the word under the cursor still names a field (no value yet).
function isFieldPrefix(text: string, lang: QueryLanguage): boolean {
  if (!text) return false;
  if (lang === 'sql') return /^[A-Za-z_][\w.]*$/.test(text) && !/^(AND|OR|NOT|IN|LIKE|ILIKE|IS|NULL)$/i.test(text);
  return !/[:"*\\[{]/.test(text) && !/^(AND|OR|NOT)$/.test(text);
}

// Field names matching the prefix: starts-with first, then contains.
export function suggestFields(text: string, candidates: string[], lang: QueryLanguage, limit = 12): string[] {
  if (!isFieldPrefix(text, lang)) return [];
  const t = text.toLowerCase();
  const starts: string[] = [];
  const contains: string[] = [];
  const seen = new Set<string>();
  for (const c of candidates) {
    if (seen.has(c)) continue;
    seen.add(c);
    const l = c.toLowerCase();
    if (l === t) continue;
    if (l.startsWith(t)) starts.push(c);
    else if (l.includes(t)) contains.push(c);
  }
  return starts.concat(contains).slice(0, limit);
}

// The query with the token replaced by the field, and the new cursor.
export function applySuggestion(query: string, token: Token, field: string, lang: QueryLanguage): { query: string; cursor: number } {
  const insert = lang === 'sql' ? `${sqlIdentifier(field)} ` : `${luceneField(field)}:`;
  const next = query.slice(0, token.start) + insert + query.slice(token.end);
  return { query: next, cursor: token.start + insert.length };
}
