import { describe, expect, it } from 'vitest';
import { invitationLink, invitationStatus, sortInvitations, type Invitation } from './invitations';

const inv = (over: Partial<Invitation>): Invitation => ({
  id: '1',
  email: '',
  role: 'viewer',
  createdBy: '1',
  createdAt: 100,
  expiresAt: 1000,
  usedAt: null,
  ...over,
});

describe('invitationStatus', () => {
  it('is used once accepted, whatever the expiry', () => {
    expect(invitationStatus(inv({ usedAt: 500 }), 2000)).toBe('used');
  });
  it('is expired at and after expiresAt', () => {
    expect(invitationStatus(inv({}), 1000)).toBe('expired');
    expect(invitationStatus(inv({}), 999)).toBe('pending');
  });
});

describe('invitationLink', () => {
  it('builds the join link on this origin', () => {
    expect(invitationLink('http://obs.local:8080', 'ab12')).toBe('http://obs.local:8080/join-team?token=ab12');
  });
});

describe('sortInvitations', () => {
  it('lists pending ones first, newest first', () => {
    const list = [
      inv({ id: 'used', createdAt: 300, usedAt: 400 }),
      inv({ id: 'p-old', createdAt: 100 }),
      inv({ id: 'p-new', createdAt: 200 }),
    ];
    expect(sortInvitations(list, 500).map((i) => i.id)).toEqual(['p-new', 'p-old', 'used']);
  });
});
