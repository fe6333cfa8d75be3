import { describe, expect, it } from 'vitest';
import { applySuggestion, suggestFields, tokenAt } from './fieldAutocomplete';

const FIELDS = ['Timestamp', 'ServiceName', 'SeverityText', 'SeverityNumber', 'Body', 'http.method', 'http.status_code', 'service.name'];

describe('tokenAt', () => {
  it('finds the word under the cursor', () => {
    expect(tokenAt('error Serv', 10)).toEqual({ start: 6, end: 10, text: 'Serv' });
    expect(tokenAt('a (Sev', 6)).toEqual({ start: 3, end: 6, text: 'Sev' });
    expect(tokenAt('Serv other', 2)).toEqual({ start: 0, end: 4, text: 'Serv' });
    expect(tokenAt('', 0)).toEqual({ start: 0, end: 0, text: '' });
  });
  it('skips a leading minus', () => {
    expect(tokenAt('a -Serv', 7)).toEqual({ start: 3, end: 7, text: 'Serv' });
  });
});

describe('suggestFields', () => {
  it('puts prefix matches first, case-insensitively', () => {
    expect(suggestFields('se', FIELDS, 'lucene')).toEqual(['ServiceName', 'SeverityText', 'SeverityNumber', 'service.name']);
    expect(suggestFields('name', FIELDS, 'lucene')).toEqual(['ServiceName', 'service.name']);
    expect(suggestFields('http', FIELDS, 'lucene')).toEqual(['http.method', 'http.status_code']);
  });
  it('stops once a value is being typed', () => {
    expect(suggestFields('ServiceName:a', FIELDS, 'lucene')).toEqual([]);
    expect(suggestFields('"Serv', FIELDS, 'lucene')).toEqual([]);
    expect(suggestFields('', FIELDS, 'lucene')).toEqual([]);
    expect(suggestFields('AND', ['ANDroid'], 'lucene')).toEqual([]);
    expect(suggestFields("'Serv", FIELDS, 'sql')).toEqual([]);
  });
  it('hides an exact match and limits', () => {
    expect(suggestFields('Body', FIELDS, 'lucene')).toEqual([]);
    expect(suggestFields('e', FIELDS, 'lucene', 2)).toHaveLength(2);
  });
});

describe('applySuggestion', () => {
  it('inserts key: in the search syntax', () => {
    const q = 'error Serv';
    expect(applySuggestion(q, tokenAt(q, 10), 'ServiceName', 'lucene')).toEqual({ query: 'error ServiceName:', cursor: 18 });
  });
  it('keeps a leading minus and the rest of the query', () => {
    const q = '-Sev other';
    expect(applySuggestion(q, tokenAt(q, 4), 'SeverityText', 'lucene')).toEqual({ query: '-SeverityText: other', cursor: 14 });
  });
  it('inserts an identifier in SQL', () => {
    const q = 'Dur';
    expect(applySuggestion(q, tokenAt(q, 3), 'Duration', 'sql')).toEqual({ query: 'Duration ', cursor: 9 });
  });
});
