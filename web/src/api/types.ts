// Shapes of the API's answers (docs/api.md).

export type Role = 'admin' | 'editor' | 'viewer';

export interface User {
  id: string;
  email: string;
  name: string;
  role: Role;
  teamId: string;
  createdAt: number;
}

export interface Team {
  id: string;
  name: string;
}

export interface Me {
  user: User;
  team: Team;
  csrfToken?: string;
}

export interface Source {
  id: string;
  name: string;
  kind: 'log' | 'trace' | 'metric' | 'session';
  connection: string;
  from: { databaseName: string; tableName: string };
  timestampValueExpression?: string;
  bodyExpression?: string;
  serviceNameExpression?: string;
  severityTextExpression?: string;
  traceIdExpression?: string;
  spanIdExpression?: string;
  durationExpression?: string;
  spanNameExpression?: string;
  traceSourceId?: string;
  logSourceId?: string;
  [key: string]: unknown;
}

export interface SearchMeta {
  rowsRead: number;
  partial: boolean;
  partialReason: string | null;
  durationMs: number;
}

export type Row = Record<string, unknown>;
