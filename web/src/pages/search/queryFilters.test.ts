import { describe, expect, it } from 'vitest';
import { appendFilter, errorPosition, filterClause, luceneField, luceneQuote, sqlIdentifier, sqlLiteral } from './queryFilters';

describe('search syntax filters', () => {
  it('writes key:"value" and -key:"value"', () => {
    expect(filterClause('lucene', 'ServiceName', 'api', false)).toBe('ServiceName:"api"');
    expect(filterClause('lucene', 'ServiceName', 'api', true)).toBe('-ServiceName:"api"');
    expect(filterClause('lucene', 'http.status_code', 503, false)).toBe('http.status_code:"503"');
  });
  it('escapes quotes and backslashes in values', () => {
    expect(luceneQuote('say "hi" C:\\temp')).toBe('"say \\"hi\\" C:\\\\temp"');
  });
  it('escapes special characters in field names', () => {
    expect(luceneField('weird key:x')).toBe('weird\\ key\\:x');
    expect(luceneField('-lead')).toBe('\\-lead');
    expect(luceneField('ResourceAttributes.k8s.pod.name')).toBe('ResourceAttributes.k8s.pod.name');
  });
  it('appends with AND semantics', () => {
    expect(appendFilter('', 'lucene', 'a', 'x')).toBe('a:"x"');
    expect(appendFilter('  error ', 'lucene', 'a', 'x')).toBe('error a:"x"');
    expect(appendFilter('error', 'lucene', 'a', 'x', true)).toBe('error -a:"x"');
  });
  it('wraps a top-level OR before appending', () => {
    expect(appendFilter('a OR b', 'lucene', 'c', 'x')).toBe('(a OR b) c:"x"');
    expect(appendFilter('(a OR b) c', 'lucene', 'd', 'x')).toBe('(a OR b) c d:"x"');
    expect(appendFilter('"a OR b"', 'lucene', 'd', 'x')).toBe('"a OR b" d:"x"');
    expect(appendFilter('a or b', 'lucene', 'd', 'x')).toBe('a or b d:"x"');
  });
});

describe('SQL filters', () => {
  it('writes key = value and key != value', () => {
    expect(filterClause('sql', 'ServiceName', 'api', false)).toBe("ServiceName = 'api'");
    expect(filterClause('sql', 'ServiceName', 'api', true)).toBe("ServiceName != 'api'");
    expect(filterClause('sql', 'http.status_code', 503, false)).toBe('http.status_code = 503');
  });
  it('quotes literals', () => {
    expect(sqlLiteral("it's")).toBe("'it''s'");
    expect(sqlLiteral('a\\b')).toBe("'a\\\\b'");
    expect(sqlLiteral(true)).toBe('TRUE');
    expect(sqlLiteral(1.5)).toBe('1.5');
  });
  it('quotes identifiers when needed', () => {
    expect(sqlIdentifier('ResourceAttributes.service.name')).toBe('ResourceAttributes.service.name');
    expect(sqlIdentifier("LogAttributes['http.method']")).toBe("LogAttributes['http.method']");
    expect(sqlIdentifier('weird name')).toBe('`weird name`');
    expect(sqlIdentifier('a`b')).toBe('`a``b`');
    expect(sqlIdentifier('in')).toBe('`in`');
    expect(sqlIdentifier('http-code')).toBe('`http-code`');
  });
  it('appends with AND, wrapping a top-level OR', () => {
    expect(appendFilter('', 'sql', 'a', 'x')).toBe("a = 'x'");
    expect(appendFilter("b = 1", 'sql', 'a', 'x')).toBe("b = 1 AND a = 'x'");
    expect(appendFilter("b = 1 or c = 2", 'sql', 'a', 'x')).toBe("(b = 1 or c = 2) AND a = 'x'");
    expect(appendFilter("b = 'x or y'", 'sql', 'a', 'x')).toBe("b = 'x or y' AND a = 'x'");
  });
});

describe('errorPosition', () => {
  it('reads the position', () => {
    expect(errorPosition("query: at position 14: expected ')'")).toBe(14);
    expect(errorPosition('startTime: is required')).toBeNull();
  });
});
