// The search page's whole state as a query string, so a search can be
// bookmarked and shared: source, q, lang, from, to, columns, row.
// parseSearchState is forgiving (bad values fall back to defaults);
// serializeSearchState writes only what differs from the defaults, except
// the source and time range, which a shared link always spells out.
import { DEFAULT_RANGE, isTimeExpr, type TimeExpr } from '../../components/search/timeRange';

export type QueryLanguage = 'lucene' | 'sql';

export interface SearchState {
  source: string | null; // source id; null: the default source
  q: string;
  lang: QueryLanguage;
  from: TimeExpr;
  to: TimeExpr;
  columns: string[] | null; // null: the source's default columns
  row: string | null; // rowKey of the selected row
}

export const DEFAULT_SEARCH_STATE: SearchState = {
  source: null,
  q: '',
  lang: 'lucene',
  from: DEFAULT_RANGE.from,
  to: DEFAULT_RANGE.to,
  columns: null,
  row: null,
};

export function parseColumns(text: string): string[] {
  const seen = new Set<string>();
  const out: string[] = [];
  for (const raw of text.split(',')) {
    const c = raw.trim();
    if (c && !seen.has(c)) {
      seen.add(c);
      out.push(c);
    }
  }
  return out;
}

export function parseSearchState(params: URLSearchParams): SearchState {
  const state: SearchState = { ...DEFAULT_SEARCH_STATE };
  const source = params.get('source');
  if (source && /^\w+$/.test(source)) state.source = source;
  state.q = params.get('q') ?? '';
  state.lang = params.get('lang') === 'sql' ? 'sql' : 'lucene';
  const from = params.get('from');
  const to = params.get('to');
  if (from && to && isTimeExpr(from) && isTimeExpr(to)) {
    state.from = from;
    state.to = to;
  }
  const columns = params.get('columns');
  if (columns !== null) {
    const list = parseColumns(columns);
    state.columns = list.length ? list : null;
  }
  const row = params.get('row');
  if (row) state.row = row;
  return state;
}

export function serializeSearchState(state: SearchState): URLSearchParams {
  const p = new URLSearchParams();
  if (state.source) p.set('source', state.source);
  if (state.q) p.set('q', state.q);
  if (state.lang !== 'lucene') p.set('lang', state.lang);
  p.set('from', state.from);
  p.set('to', state.to);
  if (state.columns && state.columns.length) p.set('columns', state.columns.join(','));
  if (state.row) p.set('row', state.row);
  return p;
}

// The URL for a search, e.g. for links from other pages.
export function searchUrl(partial: Partial<SearchState>): string {
  return `/search?${serializeSearchState({ ...DEFAULT_SEARCH_STATE, ...partial }).toString()}`;
}
