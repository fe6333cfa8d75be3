import { describe, expect, it } from 'vitest';
import { PALETTE, colorForName, colorsForNames } from './palette';

describe('palette', () => {
  it('is stable per name', () => {
    expect(colorForName('api')).toBe(colorForName('api'));
  });
  it('gives names of one set different colours', () => {
    const names = Array.from({ length: PALETTE.length }, (_, i) => `svc-${i}`);
    const colors = colorsForNames(names);
    expect(new Set(colors.values()).size).toBe(PALETTE.length);
    expect(colorsForNames(['b', 'a'])).toEqual(colorsForNames(['a', 'b']));
  });
});
