import { describe, expect, it } from 'vitest';
import { connectionBody, EMPTY_DRAFT, testBody } from './connections';

const draft = { ...EMPTY_DRAFT, name: ' prod ', url: ' http://ch:8123 ', username: 'reader' };

describe('connectionBody', () => {
  it('creates without a password when none is typed', () => {
    expect(connectionBody(draft, false)).toEqual({ name: 'prod', url: 'http://ch:8123', username: 'reader' });
  });
  it('sends a typed password', () => {
    expect(connectionBody({ ...draft, password: 'pw' }, true).password).toBe('pw');
  });
  it('keeps the stored password on edit when blank', () => {
    expect('password' in connectionBody(draft, true)).toBe(false);
  });
  it('removes the stored password on request', () => {
    expect(connectionBody({ ...draft, removePassword: true }, true).password).toBe('');
  });
});

describe('testBody', () => {
  it('leaves out empty credentials', () => {
    expect(testBody({ ...draft, username: '' })).toEqual({ url: 'http://ch:8123' });
  });
});
