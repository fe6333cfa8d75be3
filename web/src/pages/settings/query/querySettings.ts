// Per-role query limits (GET/PUT /api/team/query-settings) as form fields and
// back. A blank number (or 0) means "server default" and is left out; a role
// with nothing set is left out, which also means server defaults.

import type { Role } from '../../../api/types';

export type OverflowMode = 'throw' | 'break';

export interface RoleLimits {
  max_rows_to_read?: number;
  read_overflow_mode?: OverflowMode;
  max_execution_time?: number;
  timeout_overflow_mode?: OverflowMode;
}

export type LimitsByRole = Partial<Record<Role, RoleLimits>>;

export interface QuerySettingsResponse {
  settings: LimitsByRole;
  effective: Record<Role, Required<RoleLimits>>;
}

export interface RoleDraft {
  maxRowsToRead: string;
  readOverflowMode: OverflowMode | '';
  maxExecutionTime: string;
  timeoutOverflowMode: OverflowMode | '';
}

export type SettingsDraft = Record<Role, RoleDraft>;

export const LIMIT_ROLES: Role[] = ['viewer', 'editor', 'admin'];

function numberText(n: number | undefined): string {
  return n === undefined || n === 0 ? '' : String(n);
}

export function draftFromSettings(settings: LimitsByRole): SettingsDraft {
  const out = {} as SettingsDraft;
  for (const role of LIMIT_ROLES) {
    const s = settings[role] ?? {};
    out[role] = {
      maxRowsToRead: numberText(s.max_rows_to_read),
      readOverflowMode: s.read_overflow_mode ?? '',
      maxExecutionTime: numberText(s.max_execution_time),
      timeoutOverflowMode: s.timeout_overflow_mode ?? '',
    };
  }
  return out;
}

// The PUT body, or an error naming the field the user must fix.
export function settingsBody(draft: SettingsDraft): { body: LimitsByRole } | { error: string } {
  const body: LimitsByRole = {};
  for (const role of LIMIT_ROLES) {
    const d = draft[role];
    const limits: RoleLimits = {};
    const rows = d.maxRowsToRead.replace(/[\s,_]/g, '');
    if (rows !== '') {
      if (!/^\d+$/.test(rows)) return { error: `${role}: rows to read must be a whole number` };
      if (Number(rows) > 0) limits.max_rows_to_read = Number(rows);
    }
    const time = d.maxExecutionTime.trim();
    if (time !== '') {
      const seconds = Number(time);
      if (!Number.isFinite(seconds) || seconds < 0 || seconds > 86400) {
        return { error: `${role}: execution time must be a number of seconds from 0 to 86400` };
      }
      if (seconds > 0) limits.max_execution_time = seconds;
    }
    if (d.readOverflowMode) limits.read_overflow_mode = d.readOverflowMode;
    if (d.timeoutOverflowMode) limits.timeout_overflow_mode = d.timeoutOverflowMode;
    if (Object.keys(limits).length > 0) body[role] = limits;
  }
  return { body };
}

export function describeRows(n: number): string {
  return n > 0 ? `${n.toLocaleString('en-US')} rows` : 'unlimited';
}

export function describeSeconds(n: number): string {
  return n > 0 ? `${n} s` : 'unlimited';
}
