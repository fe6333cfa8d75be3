import { describe, expect, it } from 'vitest';
import { formatDurationNs, formatNumber, formatValue } from './format';

describe('format', () => {
  it('formats durations from nanoseconds', () => {
    expect(formatDurationNs(0)).toBe('0 ms');
    expect(formatDurationNs(450)).toBe('450 ns');
    expect(formatDurationNs(1_234_567)).toBe('1.23 ms');
    expect(formatDurationNs(120_000_000)).toBe('120 ms');
    expect(formatDurationNs(2_500_000_000)).toBe('2.5 s');
    expect(formatDurationNs(90e9)).toBe('1.5 min');
  });
  it('formats numbers compactly', () => {
    expect(formatNumber(42)).toBe('42');
    expect(formatNumber(12_345)).toBe('12.3k');
    expect(formatNumber(1.23456)).toBe('1.23');
    expect(formatValue(null, 'none')).toBe('—');
    expect(formatValue(5e6, 'ns')).toBe('5 ms');
  });
});
