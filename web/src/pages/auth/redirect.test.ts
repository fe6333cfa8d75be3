import { describe, expect, it } from 'vitest';
import { safeNextPath } from './redirect';

describe('safeNextPath', () => {
  it('keeps app paths with their query', () => {
    expect(safeNextPath('/dashboards/3?from=1')).toBe('/dashboards/3?from=1');
  });
  it('falls back without a next', () => {
    expect(safeNextPath(null)).toBe('/search');
    expect(safeNextPath('')).toBe('/search');
  });
  it('refuses other sites and odd forms', () => {
    expect(safeNextPath('https://evil.example')).toBe('/search');
    expect(safeNextPath('//evil.example/x')).toBe('/search');
    expect(safeNextPath('/\\evil.example')).toBe('/search');
    expect(safeNextPath('/a\nb')).toBe('/search');
  });
  it('does not loop back to the sign-in pages', () => {
    expect(safeNextPath('/login?next=/x')).toBe('/search');
  });
});
