import { describe, expect, it } from 'vitest';
import { passwordAcceptable, passwordRules } from './passwordRules';

const ok = (pw: string, confirm = pw) =>
  Object.fromEntries(passwordRules(pw, confirm).map((r) => [r.id, r.ok]));

describe('passwordRules', () => {
  it('ticks nothing for an empty password', () => {
    expect(ok('')).toEqual({ length: false, lower: false, upper: false, digit: false, special: false, confirm: false });
  });

  it('ticks each class as it appears', () => {
    expect(ok('a')).toMatchObject({ lower: true, upper: false, digit: false, special: false });
    expect(ok('aB')).toMatchObject({ lower: true, upper: true });
    expect(ok('aB3')).toMatchObject({ digit: true, special: false });
    expect(ok('aB3 ')).toMatchObject({ special: true });
  });

  it('counts length in UTF-8 bytes like the server', () => {
    expect(ok('Abcdefgh123!').length).toBe(true); // 12
    expect(ok('Abcdefgh12!').length).toBe(false); // 11
    expect(ok('Abcdefgh12é').length).toBe(true); // é is two bytes
    expect(ok('A1!' + 'a'.repeat(69)).length).toBe(true); // 72
    expect(ok('A1!' + 'a'.repeat(70)).length).toBe(false); // 73
  });

  it('treats non-ASCII letters as special, as the server does', () => {
    expect(ok('é')).toMatchObject({ lower: false, special: true });
  });

  it('requires the confirmation to match', () => {
    expect(ok('Abcdefgh123!', 'Abcdefgh123?').confirm).toBe(false);
    expect(passwordAcceptable('Abcdefgh123!', 'Abcdefgh123!')).toBe(true);
    expect(passwordAcceptable('Abcdefgh123!', '')).toBe(false);
  });

  it('says how many characters too many', () => {
    const length = passwordRules('A1!' + 'a'.repeat(72), '').find((r) => r.id === 'length')!;
    expect(length.label).toContain('3 too many');
  });
});
