import { describe, expect, it } from 'vitest';
import { attributeFilterField, attributeKeys, formatDurationNs, formatValue, getFieldValue, splitRow } from './rowFields';

const logRow = {
  Timestamp: '2026-11-22T04:53:49.630000000Z',
  ServiceName: 'api',
  Body: 'hello',
  LogAttributes: { 'http.method': 'GET', shared: 'log' },
  ResourceAttributes: { 'service.name': 'api', shared: 'res', 'k8s.pod.name': 'p1' },
  ScopeAttributes: { 'scope.only': 1 },
};

describe('getFieldValue', () => {
  it('reads columns', () => {
    expect(getFieldValue(logRow, 'Body', 'log')).toBe('hello');
    expect(getFieldValue(logRow, 'LogAttributes', 'log')).toEqual(logRow.LogAttributes);
  });
  it('looks unqualified keys up in order', () => {
    expect(getFieldValue(logRow, 'http.method', 'log')).toBe('GET');
    expect(getFieldValue(logRow, 'shared', 'log')).toBe('log');
    expect(getFieldValue(logRow, 'service.name', 'log')).toBe('api');
    expect(getFieldValue(logRow, 'scope.only', 'log')).toBe(1);
    expect(getFieldValue(logRow, 'missing', 'log')).toBeUndefined();
  });
  it('reads qualified keys', () => {
    expect(getFieldValue(logRow, 'ResourceAttributes.shared', 'log')).toBe('res');
    expect(getFieldValue(logRow, 'ResourceAttributes.k8s.pod.name', 'log')).toBe('p1');
    expect(getFieldValue(logRow, "ResourceAttributes['shared']", 'log')).toBe('res');
    expect(getFieldValue(logRow, "LogAttributes['nope']", 'log')).toBeUndefined();
  });
  it('uses SpanAttributes for traces', () => {
    expect(getFieldValue({ SpanAttributes: { 'http.route': '/x' } }, 'http.route', 'trace')).toBe('/x');
    expect(getFieldValue({ LogAttributes: { a: 1 } }, 'a', 'trace')).toBeUndefined();
  });
});

describe('formatting', () => {
  it('formats values', () => {
    expect(formatValue(null)).toBe('');
    expect(formatValue(undefined)).toBe('');
    expect(formatValue({ a: 1 })).toBe('{"a":1}');
    expect(formatValue(503)).toBe('503');
    expect(formatValue(false)).toBe('false');
  });
  it('formats span durations in ms', () => {
    expect(formatDurationNs(1_000_000)).toBe('1.00 ms');
    expect(formatDurationNs(123_456_789)).toBe('123 ms');
    expect(formatDurationNs(12_345_678)).toBe('12.3 ms');
    expect(formatDurationNs(1234)).toBe('0.001 ms');
    expect(formatDurationNs('x')).toBe('x');
  });
});

describe('attributes', () => {
  it('lists keys by frequency', () => {
    const rows = [logRow, { LogAttributes: { 'http.method': 'POST', z: 1 } }];
    expect(attributeKeys(rows, 'log').slice(0, 2)).toEqual(['http.method', 'shared']);
    expect(attributeKeys(rows, 'log')).toContain('z');
  });
  it('splits a row into fields and maps', () => {
    const { top, maps } = splitRow(logRow, 'log');
    expect(top.map(([k]) => k)).toEqual(['Timestamp', 'ServiceName', 'Body']);
    expect(maps.map(([k]) => k)).toEqual(['LogAttributes', 'ResourceAttributes', 'ScopeAttributes']);
  });
  it('names filter fields', () => {
    expect(attributeFilterField('LogAttributes', 'http.method', 'log')).toBe('http.method');
    expect(attributeFilterField('ResourceAttributes', 'service.name', 'log')).toBe('ResourceAttributes.service.name');
    expect(attributeFilterField('SpanAttributes', 'http.route', 'trace')).toBe('http.route');
  });
});
