import { describe, expect, it } from 'vitest';
import { buildHistogram, chooseGranularity, stackCounts } from './histogramData';

const MIN = 60_000;

describe('chooseGranularity', () => {
  it('keeps about 120 buckets at most', () => {
    expect(chooseGranularity(5 * MIN)).toEqual({ ms: 5000, label: '5 second' });
    expect(chooseGranularity(15 * MIN)).toEqual({ ms: 10_000, label: '10 second' });
    expect(chooseGranularity(60 * MIN)).toEqual({ ms: 30_000, label: '30 second' });
    expect(chooseGranularity(24 * 60 * MIN)).toEqual({ ms: 15 * MIN, label: '15 minute' });
    expect(chooseGranularity(7 * 24 * 60 * MIN)).toEqual({ ms: 2 * 3_600_000, label: '2 hour' });
    expect(chooseGranularity(10_000)).toEqual({ ms: 1000, label: '1 second' });
  });
  it('caps at 30 days', () => {
    expect(chooseGranularity(1e13).label).toBe('30 day');
  });
});

describe('buildHistogram', () => {
  const from = 1_000_000_000_000; // multiple of 10 s
  const step = 10_000;
  const points = [
    { ts_bucket: from, group: ['INFO'], 'series_0.data': 3 },
    { ts_bucket: from, group: ['ERROR'], 'series_0.data': 1 },
    { ts_bucket: from + 2 * step, group: ['INFO'], 'series_0.data': 2 },
    { ts_bucket: from + 2 * step, group: [''], 'series_0.data': 4 },
    { ts_bucket: from + 2 * step, group: ['WARN'], 'series_0.data': 5 },
  ];
  it('fills every bucket and sums to the API counts', () => {
    const h = buildHistogram(points, from + 3000, from + 3 * step - 1, step, 'log');
    expect(h.xs).toEqual([from / 1000, (from + step) / 1000, (from + 2 * step) / 1000]);
    expect(h.total).toBe(15);
    expect(h.groups.map((g) => g.name)).toEqual(['ERROR', 'WARN', 'INFO', '']);
    expect(h.groups.find((g) => g.name === 'INFO')!.counts).toEqual([3, 0, 2]);
    expect(h.groups.reduce((s, g) => s + g.total, 0)).toBe(15);
  });
  it('handles no data', () => {
    const h = buildHistogram([], from, from + 5 * step, step, 'log');
    expect(h.total).toBe(0);
    expect(h.groups).toEqual([]);
    expect(h.xs).toHaveLength(6);
  });
  it('orders status codes', () => {
    const h = buildHistogram(
      [
        { ts_bucket: from, group: ['Unset'], 'series_0.data': 1 },
        { ts_bucket: from, group: ['Error'], 'series_0.data': 1 },
        { ts_bucket: from, group: ['Ok'], 'series_0.data': 1 },
      ],
      from, from, step, 'trace',
    );
    expect(h.groups.map((g) => g.name)).toEqual(['Error', 'Ok', 'Unset']);
  });
  it('stacks counts', () => {
    const h = buildHistogram(points, from, from + 2 * step, step, 'log');
    const stacks = stackCounts(h.groups);
    // groups: ERROR, WARN, INFO, '' -> the top (ERROR) is the bucket total
    expect(stacks[0]).toEqual([4, 0, 11]);
    expect(stacks[3]).toEqual([0, 0, 4]);
  });
});
