// Invitations as the API returns them, their status, and the link to send.

import type { Role } from '../../../api/types';

export interface Invitation {
  id: string;
  email: string; // "" when the invitation names no address
  role: Role;
  createdBy: string;
  createdAt: number;
  expiresAt: number;
  usedAt: number | null;
}

export interface CreatedInvitation {
  invitation: Invitation;
  token: string;
  url: string;
}

export type InvitationStatus = 'pending' | 'used' | 'expired';

export function invitationStatus(inv: Invitation, now: number): InvitationStatus {
  if (inv.usedAt !== null) return 'used';
  if (inv.expiresAt <= now) return 'expired';
  return 'pending';
}

// The full link for this browser's origin (the server's `url` is relative
// unless the operator configured a public URL).
export function invitationLink(origin: string, token: string): string {
  return `${origin}/join-team?token=${encodeURIComponent(token)}`;
}

// Pending first, then by creation, newest first.
export function sortInvitations(list: Invitation[], now: number): Invitation[] {
  const rank = (i: Invitation) => (invitationStatus(i, now) === 'pending' ? 0 : 1);
  return [...list].sort((a, b) => rank(a) - rank(b) || b.createdAt - a.createdAt);
}
