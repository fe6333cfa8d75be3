import { describe, expect, it } from 'vitest';
import {
  buildSeriesRequest,
  combineWhere,
  granularitySeconds,
  parseGroupBy,
  rangeFromPreset,
  seriesUnit,
  toNumber,
  toTable,
  toTimeSeries,
  wholeRangeGranularity,
  type ChartSpec,
} from './chartData';
import type { Source } from '../../api/types';

const spec = (over: Partial<ChartSpec> = {}): ChartSpec => ({
  sourceId: '3',
  series: [{ aggFn: 'p95', field: 'Duration' }],
  where: 'ServiceName:api',
  whereLanguage: 'lucene',
  groupBy: 'ServiceName, SpanName',
  granularity: 'auto',
  displayType: 'line',
  ...over,
});
const hour = { startTime: 1_700_000_000_000, endTime: 1_700_003_600_000 };

describe('granularity', () => {
  it('mirrors the server auto ladder', () => {
    expect(granularitySeconds('auto', hour)).toBe(30);
    expect(granularitySeconds('auto', { startTime: 0, endTime: 15 * 60_000 })).toBe(10);
    expect(granularitySeconds('auto', { startTime: 0, endTime: 7 * 86_400_000 })).toBe(7200);
    expect(granularitySeconds('5 minute', hour)).toBe(300);
    expect(granularitySeconds('1 day', hour)).toBe(86400);
    expect(granularitySeconds('30s', hour)).toBe(30);
  });
  it('has one whole-range bucket starting at the epoch', () => {
    const g = wholeRangeGranularity(hour);
    const days = Number(g.split(' ')[0]);
    expect(days * 86_400_000).toBeGreaterThan(hour.endTime);
  });
});

describe('parseGroupBy', () => {
  it('splits on top-level commas', () => {
    expect(parseGroupBy(" ServiceName , Map['a,b'],http.route,,")).toEqual(['ServiceName', "Map['a,b']", 'http.route']);
    expect(parseGroupBy('')).toEqual([]);
  });
});

describe('combineWhere', () => {
  it('ANDs same-language conditions and skips others', () => {
    const l = (where: string) => ({ where, whereLanguage: 'lucene' as const });
    expect(combineWhere(l('a'), l('b'))).toEqual({ where: '(a) AND (b)', whereLanguage: 'lucene', skipped: false });
    expect(combineWhere(l(''), { where: 'x = 1', whereLanguage: 'sql' })).toEqual({ where: 'x = 1', whereLanguage: 'sql', skipped: false });
    expect(combineWhere(l('a'), { where: 'x = 1', whereLanguage: 'sql' }).skipped).toBe(true);
    expect(combineWhere(l('a'), l('  '))).toEqual({ where: 'a', whereLanguage: 'lucene', skipped: false });
  });
});

describe('buildSeriesRequest', () => {
  it('builds a bucketed request for line charts', () => {
    const built = buildSeriesRequest(spec(), hour, { where: 'env:prod', whereLanguage: 'lucene' });
    expect(built.bucketMs).toBe(30_000);
    expect(built.request).toEqual({
      startTime: hour.startTime,
      endTime: hour.endTime,
      granularity: '30 second',
      series: [
        {
          sourceId: '3',
          aggFn: 'p95',
          field: 'Duration',
          where: '(ServiceName:api) AND (env:prod)',
          whereLanguage: 'lucene',
          groupBy: ['ServiceName', 'SpanName'],
        },
      ],
    });
  });
  it('omits field for count and grouping for number', () => {
    const built = buildSeriesRequest(spec({ series: [{ aggFn: 'count', field: 'x' }], displayType: 'number' }), hour);
    expect(built.bucketMs).toBeNull();
    expect(built.request.granularity).toBe(wholeRangeGranularity(hour));
    expect(built.request.series[0]).not.toHaveProperty('field');
    expect(built.request.series[0].groupBy).toEqual([]);
  });
  it('adds per-series conditions and reports a skipped filter', () => {
    const built = buildSeriesRequest(
      spec({ series: [{ aggFn: 'count', field: '', where: 'StatusCode:Error', whereLanguage: 'lucene' }], displayType: 'table' }),
      hour,
      { where: "x = 'y'", whereLanguage: 'sql' },
    );
    expect(built.filterSkipped).toBe(true);
    expect(built.request.series[0].where).toBe('(ServiceName:api) AND (StatusCode:Error)');
    expect(built.request.series[0].groupBy).toEqual(['ServiceName', 'SpanName']);
  });
});

describe('toTimeSeries', () => {
  const range = { startTime: 60_000, endTime: 240_000 };
  it('makes one filled line per group', () => {
    const data = toTimeSeries(
      {
        data: [
          { ts_bucket: 60_000, group: ['api'], 'series_0.data': 2 },
          { ts_bucket: 60_000, group: ['db'], 'series_0.data': 1 },
          { ts_bucket: 180_000, group: ['api'], 'series_0.data': 5 },
        ],
      },
      [{ aggFn: 'count', field: '' }],
      range,
      60_000,
    );
    expect(data.x).toEqual([60_000, 120_000, 180_000, 240_000]);
    expect(data.series.map((s) => [s.label, s.values])).toEqual([
      ['api', [2, 0, 5, 0]],
      ['db', [1, 0, 0, 0]],
    ]);
  });
  it('leaves gaps for non-count aggregates and names ungrouped series', () => {
    const data = toTimeSeries(
      { data: [{ ts_bucket: 120_000, group: [], 'series_0.data': 7 }, { ts_bucket: 180_000, group: [], 'series_0.data': null }] },
      [{ aggFn: 'avg', field: 'Duration' }],
      range,
      60_000,
    );
    expect(data.series).toEqual([{ key: expect.any(String), label: 'avg(Duration)', seriesIndex: 0, group: [], values: [null, 7, null, null] }]);
  });
  it('keeps the largest lines when over the cap', () => {
    const rows = ['a', 'b', 'c'].map((g, i) => ({ ts_bucket: 60_000, group: [g], 'series_0.data': i + 1 }));
    const data = toTimeSeries({ data: rows }, [{ aggFn: 'count', field: '' }], range, 60_000, 2);
    expect(data.totalSeries).toBe(3);
    expect(data.series.map((s) => s.label)).toEqual(['c', 'b']);
  });
});

describe('toNumber and toTable', () => {
  it('reads the whole-range value', () => {
    expect(toNumber({ data: [{ ts_bucket: 0, group: [], 'series_0.data': 42 }] }, { aggFn: 'sum', field: 'x' })).toBe(42);
    expect(toNumber({ data: [] }, { aggFn: 'count', field: '' })).toBe(0);
    expect(toNumber({ data: [] }, { aggFn: 'avg', field: 'x' })).toBeNull();
  });
  it('orders table rows by value', () => {
    const t = toTable(
      {
        data: [
          { ts_bucket: 0, group: ['api', null], 'series_0.data': 1 },
          { ts_bucket: 0, group: ['db', 'q'], 'series_0.data': 3 },
        ],
      },
      [{ aggFn: 'count', field: '' }],
      ['ServiceName', 'SpanName'],
    );
    expect(t.valueColumns).toEqual(['count()']);
    expect(t.rows.map((r) => [r.group, r.values])).toEqual([
      [['db', 'q'], [3]],
      [['api', '(empty)'], [1]],
    ]);
  });
});

describe('units and ranges', () => {
  const traces = { kind: 'trace', durationExpression: 'Duration' } as Source;
  it('shows duration aggregates in time units', () => {
    expect(seriesUnit({ aggFn: 'p99', field: 'Duration' }, traces)).toBe('ns');
    expect(seriesUnit({ aggFn: 'count_distinct', field: 'Duration' }, traces)).toBe('none');
    expect(seriesUnit({ aggFn: 'avg', field: 'http.status_code' }, traces)).toBe('none');
  });
  it('ends presets now', () => {
    expect(rangeFromPreset('15m', 1_000_000_000)).toEqual({ startTime: 1_000_000_000 - 900_000, endTime: 1_000_000_000 });
  });
});
