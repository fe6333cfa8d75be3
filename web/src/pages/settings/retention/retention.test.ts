import { describe, expect, it } from 'vitest';
import { formatRetention, parseRetention } from './retention';

describe('retention durations', () => {
  it('formats in the largest whole unit', () => {
    expect(formatRetention(259200)).toBe('3d');
    expect(formatRetention(129600)).toBe('36h');
    expect(formatRetention(5400)).toBe('90m');
    expect(formatRetention(61)).toBe('61s');
    expect(formatRetention(0)).toBe('forever');
  });

  it('parses what it formats, and 0 for forever', () => {
    expect(parseRetention('3d')).toBe(259200);
    expect(parseRetention(' 72H ')).toBe(259200);
    expect(parseRetention('90m')).toBe(5400);
    expect(parseRetention('0')).toBe(0);
    expect(parseRetention('forever')).toBe(0);
  });

  it('refuses what the server refuses', () => {
    expect(parseRetention('30s')).toEqual({ error: expect.stringContaining('at least 1m') });
    expect(parseRetention('3 days')).toEqual({ error: expect.stringContaining('72h') });
    expect(parseRetention('')).toEqual({ error: expect.any(String) });
  });
});
