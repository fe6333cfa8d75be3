import { describe, expect, it } from 'vitest';
import { barPosition, buildWaterfall, idToHex, parseTimestampNs, timeTicks, visibleRows } from './waterfall';

const span = (id: string, parent: string, start: string, durMs: number, extra: Record<string, unknown> = {}) => ({
  SpanId: id,
  ParentSpanId: parent,
  SpanName: `op-${id}`,
  ServiceName: extra.ServiceName ?? 'svc',
  Timestamp: `2026-11-22T04:52:53.${start}Z`,
  Duration: durMs * 1e6,
  StatusCode: extra.StatusCode ?? 'Unset',
});

describe('parseTimestampNs', () => {
  it('keeps nanoseconds exactly', () => {
    const a = parseTimestampNs('2026-11-22T04:52:53.403000001Z')!;
    const b = parseTimestampNs('2026-11-22T04:52:53.403000000Z')!;
    expect(a - b).toBe(1n);
    expect(Number(b / 1_000_000n)).toBe(Date.parse('2026-11-22T04:52:53.403Z'));
  });
  it('accepts short fractions, offsets and numbers', () => {
    expect(parseTimestampNs('2026-11-22T04:52:53Z')).toBe(BigInt(Date.parse('2026-11-22T04:52:53Z')) * 1_000_000n);
    expect(parseTimestampNs('2026-11-22T05:52:53.5+01:00')).toBe(
      BigInt(Date.parse('2026-11-22T04:52:53Z')) * 1_000_000n + 500_000_000n,
    );
    expect(parseTimestampNs(1000)).toBe(1000n);
    expect(parseTimestampNs(1795323173453000000)).toBe(1795323173453000000n);
    expect(parseTimestampNs('nope')).toBeNull();
  });
});

describe('buildWaterfall', () => {
  it('orders spans as a tree with depth and offsets', () => {
    const w = buildWaterfall([
      span('c', 'b', '413000000', 40),
      span('a', '', '403000000', 120, { ServiceName: 'frontend', StatusCode: 'Error' }),
      span('b', 'a', '408000000', 100, { ServiceName: 'api' }),
      span('d', 'b', '410000000', 5),
    ]);
    expect(w.rows.map((r) => [r.key, r.depth, r.offsetNs])).toEqual([
      ['a', 0, 0],
      ['b', 1, 5e6],
      ['d', 2, 7e6],
      ['c', 2, 10e6],
    ]);
    expect(w.totalNs).toBe(120e6);
    expect(w.services).toEqual(['api', 'frontend', 'svc']);
    expect(w.errorCount).toBe(1);
    expect(w.rows[1].childCount).toBe(2);
  });

  it('puts orphans at the root and marks them', () => {
    const w = buildWaterfall([span('a', '', '400000000', 10), span('x', 'missing', '401000000', 1)]);
    expect(w.rows.map((r) => [r.key, r.depth, r.orphan])).toEqual([
      ['a', 0, false],
      ['x', 0, true],
    ]);
  });

  it('survives parent cycles and repeated ids', () => {
    const w = buildWaterfall([
      span('a', 'b', '400000000', 10),
      span('b', 'a', '401000000', 10),
      span('c', '', '402000000', 1),
      span('c', '', '403000000', 1),
    ]);
    expect(w.rows).toHaveLength(4);
    expect(new Set(w.rows.map((r) => r.key)).size).toBe(4);
  });

  it('is empty without spans', () => {
    expect(buildWaterfall([]).rows).toEqual([]);
  });
});

describe('visibleRows', () => {
  it('hides the subtree of a collapsed row', () => {
    const w = buildWaterfall([
      span('a', '', '400000000', 100),
      span('b', 'a', '401000000', 50),
      span('c', 'b', '402000000', 10),
      span('d', 'a', '460000000', 10),
    ]);
    expect(visibleRows(w.rows, new Set(['b'])).map((r) => r.key)).toEqual(['a', 'b', 'd']);
    expect(visibleRows(w.rows, new Set(['a'])).map((r) => r.key)).toEqual(['a']);
  });
});

describe('timeTicks and barPosition', () => {
  it('uses 1-2-5 steps', () => {
    expect(timeTicks(120e6)).toEqual([0, 20e6, 40e6, 60e6, 80e6, 100e6, 120e6]);
    expect(timeTicks(1000, 4)).toEqual([0, 500, 1000]);
    expect(timeTicks(0)).toEqual([0]);
  });
  it('positions bars in percent', () => {
    expect(barPosition(25, 50, 100)).toEqual({ left: 25, width: 50 });
    expect(barPosition(90, 50, 100)).toEqual({ left: 90, width: 10 });
    expect(barPosition(0, 0, 0)).toEqual({ left: 0, width: 100 });
  });
});

describe('idToHex', () => {
  it('keeps hex and decodes base64', () => {
    expect(idToHex('AABB', 4)).toBe('aabb');
    expect(idToHex('qqqqqqqqqqqqqqqqqqqqqg==', 32)).toBe('a'.repeat(32));
    expect(idToHex('u7u7u7u7u7s=', 16)).toBe('b'.repeat(16));
  });
});
