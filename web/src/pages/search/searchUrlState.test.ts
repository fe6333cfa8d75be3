import { describe, expect, it } from 'vitest';
import { DEFAULT_SEARCH_STATE, parseColumns, parseSearchState, searchUrl, serializeSearchState, type SearchState } from './searchUrlState';

const parse = (qs: string) => parseSearchState(new URLSearchParams(qs));

describe('parseSearchState', () => {
  it('gives the defaults for an empty query string', () => {
    expect(parse('')).toEqual(DEFAULT_SEARCH_STATE);
    expect(DEFAULT_SEARCH_STATE.from).toBe('now-15m');
    expect(DEFAULT_SEARCH_STATE.to).toBe('now');
  });
  it('reads every field', () => {
    expect(parse('source=3&q=level%3Aerror&lang=sql&from=1700000000000&to=1700003600000&columns=Timestamp,Body&row=abc123')).toEqual({
      source: '3',
      q: 'level:error',
      lang: 'sql',
      from: '1700000000000',
      to: '1700003600000',
      columns: ['Timestamp', 'Body'],
      row: 'abc123',
    });
  });
  it('reads relative times', () => {
    const s = parse('from=now-4h&to=now');
    expect([s.from, s.to]).toEqual(['now-4h', 'now']);
  });
  it('falls back to defaults on bad values', () => {
    const s = parse('source=../x&lang=klingon&from=yesterday&to=now&columns=,,');
    expect(s.source).toBeNull();
    expect(s.lang).toBe('lucene');
    expect([s.from, s.to]).toEqual(['now-15m', 'now']);
    expect(s.columns).toBeNull();
  });
  it('needs both ends of the range', () => {
    expect(parse('from=now-1h').from).toBe('now-15m');
  });
});

describe('parseColumns', () => {
  it('trims, drops empties and duplicates', () => {
    expect(parseColumns(' Timestamp , Body,,Body, http.method ')).toEqual(['Timestamp', 'Body', 'http.method']);
  });
});

describe('serializeSearchState', () => {
  it('round-trips', () => {
    const state: SearchState = {
      source: '2',
      q: 'ServiceName:"api" -"health check" & more=1',
      lang: 'sql',
      from: 'now-1h',
      to: 'now',
      columns: ['Timestamp', 'LogAttributes.http.method'],
      row: 'deadbeef',
    };
    expect(parseSearchState(new URLSearchParams(serializeSearchState(state).toString()))).toEqual(state);
  });
  it('omits defaults but always writes the time range', () => {
    expect(serializeSearchState(DEFAULT_SEARCH_STATE).toString()).toBe('from=now-15m&to=now');
  });
  it('builds links', () => {
    expect(searchUrl({ source: '2', q: 'a b' })).toBe('/search?source=2&q=a+b&from=now-15m&to=now');
  });
});
