import { describe, expect, it } from 'vitest';
import { hasIsolatedValues } from './gaps';

describe('hasIsolatedValues', () => {
  it('finds values between gaps', () => {
    expect(hasIsolatedValues([null, 1, null])).toBe(true);
    expect(hasIsolatedValues([1])).toBe(true);
    expect(hasIsolatedValues([1, 2, null, 3, 4])).toBe(false);
    expect(hasIsolatedValues([])).toBe(false);
  });
});
