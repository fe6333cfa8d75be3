// The ClickHouse connection form (name, URL, user, password) with Test and
// Save; used in Settings → Connections and in onboarding. On edit, a blank
// password keeps the stored one.

import { useId, useState, type FormEvent } from 'react';
import { post, put } from '../../../api/client';
import ErrorBox from '../common/ErrorBox';
import { errorText } from '../common/errors';
import ConnectionTest from './ConnectionTest';
import { connectionBody, draftFrom, EMPTY_DRAFT, type ClickHouseDraft, type Connection } from './connections';

interface Props {
  existing?: Connection;
  onSaved: (c: Connection) => void;
  onCancel?: () => void;
  submitLabel?: string;
}

export default function ClickHouseForm({ existing, onSaved, onCancel, submitLabel }: Props) {
  const [draft, setDraft] = useState<ClickHouseDraft>(existing ? draftFrom(existing) : EMPTY_DRAFT);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const id = useId();
  const editing = existing !== undefined;
  const hasStoredPassword = existing?.kind === 'clickhouse' && existing.hasPassword;
  const set = (patch: Partial<ClickHouseDraft>) => setDraft((d) => ({ ...d, ...patch }));

  async function submit(e: FormEvent) {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const body = connectionBody(draft, editing);
      const saved = editing
        ? await put<Connection>(`/api/connections/${existing.id}`, body)
        : await post<Connection>('/api/connections', body);
      onSaved(saved);
    } catch (err) {
      setError(errorText(err));
    } finally {
      setBusy(false);
    }
  }

  return (
    <form className="stacked-form" onSubmit={submit}>
      <label htmlFor={`${id}-name`}>Name</label>
      <input id={`${id}-name`} required value={draft.name} onChange={(e) => set({ name: e.target.value })} placeholder="e.g. prod ClickHouse" />
      <label htmlFor={`${id}-url`}>URL</label>
      <input
        id={`${id}-url`}
        required
        value={draft.url}
        onChange={(e) => set({ url: e.target.value })}
        placeholder="https://clickhouse.example.com:8443"
      />
      <label htmlFor={`${id}-user`}>User</label>
      <input id={`${id}-user`} value={draft.username} onChange={(e) => set({ username: e.target.value })} placeholder="default" autoComplete="off" />
      <label htmlFor={`${id}-password`}>Password</label>
      <input
        id={`${id}-password`}
        type="password"
        autoComplete="new-password"
        value={draft.password}
        disabled={draft.removePassword}
        onChange={(e) => set({ password: e.target.value })}
        placeholder={hasStoredPassword ? 'unchanged (a password is stored)' : ''}
      />
      {hasStoredPassword && (
        <label className="checkbox">
          <input type="checkbox" checked={draft.removePassword} onChange={(e) => set({ removePassword: e.target.checked, password: '' })} />
          Remove the stored password
        </label>
      )}
      <ConnectionTest draft={draft} hasStoredPassword={hasStoredPassword} />
      <ErrorBox message={error} onDismiss={() => setError(null)} />
      <div className="form-buttons">
        <button type="submit" disabled={busy || !draft.name.trim() || !draft.url.trim()}>
          {busy ? 'Saving…' : (submitLabel ?? (editing ? 'Save' : 'Create connection'))}
        </button>
        {onCancel && (
          <button type="button" className="secondary" onClick={onCancel} disabled={busy}>
            Cancel
          </button>
        )}
      </div>
    </form>
  );
}
