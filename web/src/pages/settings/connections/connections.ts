// Connections as the API returns them, and the body the ClickHouse form
// sends: on edit a blank password keeps the stored one (the field is left
// out), and "remove the password" sends "".

export type Connection =
  | { id: string; name: string; kind: 'embedded' }
  | { id: string; name: string; kind: 'clickhouse'; url: string; username: string; hasPassword: boolean };

export interface ClickHouseDraft {
  name: string;
  url: string;
  username: string;
  password: string;
  removePassword: boolean;
}

export const EMPTY_DRAFT: ClickHouseDraft = { name: '', url: '', username: '', password: '', removePassword: false };

export function draftFrom(c: Connection): ClickHouseDraft {
  if (c.kind !== 'clickhouse') return { ...EMPTY_DRAFT, name: c.name };
  return { name: c.name, url: c.url, username: c.username, password: '', removePassword: false };
}

export interface ConnectionBody {
  name: string;
  url: string;
  username: string;
  password?: string;
}

export function connectionBody(d: ClickHouseDraft, editing: boolean): ConnectionBody {
  const body: ConnectionBody = { name: d.name.trim(), url: d.url.trim(), username: d.username.trim() };
  if (d.password !== '') body.password = d.password;
  else if (editing && d.removePassword) body.password = '';
  return body;
}

export function testBody(d: ClickHouseDraft): { url: string; username?: string; password?: string } {
  const body: { url: string; username?: string; password?: string } = { url: d.url.trim() };
  if (d.username.trim()) body.username = d.username.trim();
  if (d.password) body.password = d.password;
  return body;
}
