import { describe, expect, it } from 'vitest';
import { stackMax, stackValues } from './stack';

describe('stackValues', () => {
  it('adds each series onto the ones before it', () => {
    const s = stackValues([
      [1, null, 3],
      [2, 2, null],
    ]);
    expect(s).toEqual([
      [1, 0, 3],
      [3, 2, 3],
    ]);
    expect(stackMax(s)).toBe(3);
    expect(stackValues([])).toEqual([]);
  });
});
