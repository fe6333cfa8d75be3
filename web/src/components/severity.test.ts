import { describe, expect, it } from 'vitest';
import { knownLevelColor, LEVEL_COLORS, levelColor } from './severity';

describe('levelColor', () => {
  it('colours severities', () => {
    expect(levelColor('ERROR', 'log')).toBe(LEVEL_COLORS.error);
    expect(levelColor('fatal', 'log')).toBe(LEVEL_COLORS.error);
    expect(levelColor('WARN', 'log')).toBe(LEVEL_COLORS.warn);
    expect(levelColor('Warning', 'log')).toBe(LEVEL_COLORS.warn);
    expect(levelColor('INFO', 'log')).toBe(LEVEL_COLORS.info);
    expect(levelColor('INFO2', 'log')).toBe(LEVEL_COLORS.info);
    expect(levelColor('DEBUG', 'log')).toBe(LEVEL_COLORS.debug);
    expect(levelColor('TRACE', 'log')).toBe(LEVEL_COLORS.debug);
    expect(levelColor('custom', 'log')).toBe(LEVEL_COLORS.other);
    expect(levelColor('', 'log')).toBe(LEVEL_COLORS.none);
  });
  it('colours span status codes', () => {
    expect(levelColor('Error', 'trace')).toBe(LEVEL_COLORS.error);
    expect(levelColor('STATUS_CODE_ERROR', 'trace')).toBe(LEVEL_COLORS.error);
    expect(levelColor('Ok', 'trace')).toBe(LEVEL_COLORS.ok);
    expect(levelColor('Unset', 'trace')).toBe(LEVEL_COLORS.debug);
  });
});

describe('knownLevelColor', () => {
  it('knows severities and span statuses', () => {
    expect(knownLevelColor('ERROR')).toBe(LEVEL_COLORS.error);
    expect(knownLevelColor('Error')).toBe(LEVEL_COLORS.error);
    expect(knownLevelColor('WARN')).toBe(LEVEL_COLORS.warn);
    expect(knownLevelColor('INFO')).toBe(LEVEL_COLORS.info);
    expect(knownLevelColor('DEBUG')).toBe(LEVEL_COLORS.debug);
    expect(knownLevelColor('Ok')).toBe(LEVEL_COLORS.ok);
    expect(knownLevelColor('Unset')).toBe(LEVEL_COLORS.debug);
  });
  it('leaves other values to the palette', () => {
    expect(knownLevelColor('checkout')).toBeNull();
    expect(knownLevelColor('')).toBeNull();
    expect(knownLevelColor('(empty)')).toBeNull();
  });
});
