// The "?" next to the query bar: a summary of docs/search.md, for the
// search syntax and for SQL WHERE clauses.
import { useCallback, useRef, useState } from 'react';
import { useClickOutside } from '../../components/useClickOutside';

const LUCENE: [string, string][] = [
  ['error', 'free text: the whole word, in the body and attribute values'],
  ['"connection refused"', 'a phrase: adjacent words in order'],
  ['err*   *rror   *rro*', 'wildcards at the start or end of a word'],
  ['ServiceName:api', 'a field equals a value (columns or attribute keys)'],
  ['http.status_code:500', 'numbers compare as numbers'],
  ['path:/api*', 'prefix / suffix / contains, case-insensitive'],
  ['duration:>500', 'comparisons: > >= < <='],
  ['code:[200 TO 299]', 'ranges; {…} excludes the bounds, * is open'],
  ['trace_id:*', 'the field is present'],
  ['status:(500 OR 503)', 'several values for one field'],
  ['a b   a AND b', 'both'],
  ['a OR b', 'either (upper-case operators only)'],
  ['-level:debug   NOT a', 'exclude'],
  ['(a OR b) c', 'grouping'],
  ['localhost\\:8080', 'escape : * ( ) " \\ with a backslash'],
];

const SQL: [string, string][] = [
  ["ServiceName = 'api'", '= != <> < <= > >='],
  ["LogAttributes['http.method'] = 'GET'", 'a key of an attribute map'],
  ['http.status_code >= 500', 'a dotted attribute key'],
  ['StatusCode IN (500, 503)', 'list membership; also NOT IN'],
  ["Body ILIKE '%timeout%'", 'patterns: % any text, _ one character; LIKE is case-sensitive'],
  ['SeverityText IS NULL', 'missing; IS NOT NULL: present'],
  ['Duration > 500 * 1000000', 'arithmetic; span Duration is in nanoseconds'],
  ["a = 1 AND (b = 2 OR NOT c = 3)", 'NOT > AND > OR, parentheses'],
];

export default function SyntaxHelp({ lang }: { lang: 'lucene' | 'sql' }) {
  const [open, setOpen] = useState(false);
  const ref = useRef<HTMLDivElement>(null);
  useClickOutside(ref, Boolean(open), useCallback(() => setOpen(false), []));
  const rows = lang === 'sql' ? SQL : LUCENE;
  return (
    <div className="sr-help" ref={ref} onKeyDown={(e) => e.key === 'Escape' && setOpen(false)}>
      <button type="button" className="secondary sr-help-button" aria-label="Query syntax help" aria-expanded={open} onClick={() => setOpen((o) => !o)}>
        ?
      </button>
      {open && (
        <div className="sr-help-popover" role="dialog" aria-label="Query syntax">
          <div className="sr-help-title">{lang === 'sql' ? 'SQL WHERE clause' : 'Search syntax'}</div>
          <table className="sr-help-table">
            <tbody>
              {rows.map(([example, meaning]) => (
                <tr key={example}>
                  <td className="mono">{example}</td>
                  <td>{meaning}</td>
                </tr>
              ))}
            </tbody>
          </table>
          <div className="muted sr-help-foot">
            {lang === 'sql'
              ? 'Write the condition without WHERE. Strings in single quotes; double quotes name a column. No function calls or BETWEEN.'
              : 'Bare words search the body (logs) or span name (traces) and attribute values. Equality is case-sensitive; use wildcards to match loosely.'}{' '}
            Field names: columns, attribute keys, or qualified names like ResourceAttributes.k8s.pod.name.
          </div>
        </div>
      )}
    </div>
  );
}
