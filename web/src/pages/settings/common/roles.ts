// Role order (viewer < editor < admin) for hiding actions a user cannot take;
// the server enforces the same rule and answers 403 otherwise.

import type { Role } from '../../../api/types';

const RANK: Record<Role, number> = { viewer: 0, editor: 1, admin: 2 };

export function hasRole(role: Role | undefined, minimum: Role): boolean {
  return role !== undefined && RANK[role] >= RANK[minimum];
}

export const ROLES: Role[] = ['viewer', 'editor', 'admin'];
