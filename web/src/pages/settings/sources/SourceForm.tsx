// Create or edit a source: name, kind, connection, table, the column-mapping
// expressions and the log ↔ trace link. Read-only for viewers.

import { useId, useState, type FormEvent } from 'react';
import { post, put } from '../../../api/client';
import type { Source } from '../../../api/types';
import ErrorBox from '../common/ErrorBox';
import { errorText } from '../common/errors';
import {
  draftFromSource,
  embeddedTables,
  emptyDraft,
  EXPRESSION_FIELDS,
  SOURCE_KINDS,
  sourceBody,
  type SourceDraft,
  type SourceKind,
} from './sourceForm';

export interface ConnectionChoice {
  id: string;
  label: string;
  embedded: boolean | null; // null: unknown (non-admins cannot list connections)
}

interface Props {
  existing?: Source;
  sources: Source[];
  connections: ConnectionChoice[];
  isAdmin: boolean;
  readOnly: boolean;
  onSaved: () => void;
  onCancel: () => void;
}

export default function SourceForm({ existing, sources, connections, isAdmin, readOnly, onSaved, onCancel }: Props) {
  const defaultConnection = connections.find((c) => c.embedded)?.id ?? connections[0]?.id ?? '';
  const [draft, setDraft] = useState<SourceDraft>(existing ? draftFromSource(existing) : emptyDraft(defaultConnection));
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const id = useId();
  const set = (patch: Partial<SourceDraft>) => setDraft((d) => ({ ...d, ...patch }));
  const connection = connections.find((c) => c.id === draft.connection);
  const tables = embeddedTables(draft.kind, isAdmin);
  const tableIsChoice = connection?.embedded === true;
  const others = sources.filter((s) => s.id !== existing?.id);

  function changeKind(kind: SourceKind) {
    const patch: Partial<SourceDraft> = { kind };
    if (tableIsChoice) patch.tableName = embeddedTables(kind, isAdmin)[0] ?? '';
    set(patch);
  }

  async function submit(e: FormEvent) {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const body = sourceBody(draft);
      if (existing) await put(`/api/v2/sources/${existing.id}`, body);
      else await post('/api/v2/sources', body);
      onSaved();
    } catch (err) {
      setError(errorText(err));
    } finally {
      setBusy(false);
    }
  }

  return (
    <form className="source-form" onSubmit={submit}>
      <fieldset disabled={readOnly || busy}>
        <div className="source-grid">
          <label htmlFor={`${id}-name`}>Name</label>
          <input id={`${id}-name`} required value={draft.name} onChange={(e) => set({ name: e.target.value })} />

          <label htmlFor={`${id}-kind`}>Kind</label>
          <select id={`${id}-kind`} value={draft.kind} onChange={(e) => changeKind(e.target.value as SourceKind)}>
            {SOURCE_KINDS.map((k) => (
              <option key={k} value={k}>
                {k}
              </option>
            ))}
          </select>

          <label htmlFor={`${id}-connection`}>Connection</label>
          <select id={`${id}-connection`} value={draft.connection} onChange={(e) => set({ connection: e.target.value })}>
            {connections.map((c) => (
              <option key={c.id} value={c.id}>
                {c.label}
              </option>
            ))}
          </select>

          <label htmlFor={`${id}-db`}>Database</label>
          <input id={`${id}-db`} value={draft.databaseName} onChange={(e) => set({ databaseName: e.target.value })} />

          <label htmlFor={`${id}-table`}>Table</label>
          {tableIsChoice ? (
            tables.length > 0 ? (
              <select id={`${id}-table`} value={draft.tableName} onChange={(e) => set({ tableName: e.target.value })}>
                {!tables.includes(draft.tableName) && <option value={draft.tableName}>{draft.tableName || '—'}</option>}
                {tables.map((t) => (
                  <option key={t} value={t}>
                    {t}
                  </option>
                ))}
              </select>
            ) : (
              <span className="muted">The Embedded connection has no table for {draft.kind} sources.</span>
            )
          ) : (
            <>
              <input
                id={`${id}-table`}
                required
                list={`${id}-tables`}
                value={draft.tableName}
                onChange={(e) => set({ tableName: e.target.value })}
              />
              <datalist id={`${id}-tables`}>
                {(connection?.embedded === false ? [] : tables).map((t) => (
                  <option key={t} value={t} />
                ))}
              </datalist>
            </>
          )}

          {draft.kind === 'log' && (
            <>
              <label htmlFor={`${id}-trace`}>Trace source</label>
              <select id={`${id}-trace`} value={draft.traceSourceId} onChange={(e) => set({ traceSourceId: e.target.value })}>
                <option value="">none</option>
                <LinkOptions sources={others} kind="trace" current={draft.traceSourceId} />
              </select>
            </>
          )}
          {draft.kind === 'trace' && (
            <>
              <label htmlFor={`${id}-log`}>Log source</label>
              <select id={`${id}-log`} value={draft.logSourceId} onChange={(e) => set({ logSourceId: e.target.value })}>
                <option value="">none</option>
                <LinkOptions sources={others} kind="log" current={draft.logSourceId} />
              </select>
            </>
          )}
          {draft.kind === 'trace' && (
            <>
              <label htmlFor={`${id}-precision`}>Duration precision</label>
              <select
                id={`${id}-precision`}
                value={draft.durationPrecision}
                onChange={(e) => set({ durationPrecision: e.target.value })}
              >
                <option value="9">nanoseconds (9)</option>
                <option value="6">microseconds (6)</option>
                <option value="3">milliseconds (3)</option>
                <option value="0">seconds (0)</option>
              </select>
            </>
          )}
        </div>

        <h4>Column mappings</h4>
        <p className="muted small">SQL expressions over the table’s columns; leave blank what the table lacks.</p>
        <div className="source-grid">
          {EXPRESSION_FIELDS.map(({ key, label }) => (
            <ExpressionField
              key={key}
              id={`${id}-${key}`}
              label={label}
              field={key}
              value={draft.expressions[key] ?? ''}
              onChange={(v) => setDraft((d) => ({ ...d, expressions: { ...d.expressions, [key]: v } }))}
            />
          ))}
        </div>
      </fieldset>
      <ErrorBox message={error} onDismiss={() => setError(null)} />
      <div className="form-buttons">
        {!readOnly && (
          <button type="submit" disabled={busy || !draft.name.trim() || !draft.tableName.trim()}>
            {busy ? 'Saving…' : existing ? 'Save source' : 'Create source'}
          </button>
        )}
        <button type="button" className="secondary" onClick={onCancel} disabled={busy}>
          {readOnly ? 'Close' : 'Cancel'}
        </button>
      </div>
    </form>
  );
}

function ExpressionField(props: { id: string; label: string; field: string; value: string; onChange: (v: string) => void }) {
  return (
    <>
      <label htmlFor={props.id} title={props.field}>
        {props.label}
      </label>
      <input id={props.id} className="mono" value={props.value} onChange={(e) => props.onChange(e.target.value)} spellCheck={false} />
    </>
  );
}

function LinkOptions({ sources, kind, current }: { sources: Source[]; kind: SourceKind; current: string }) {
  const matching = sources.filter((s) => s.kind === kind);
  const dangling = current !== '' && !sources.some((s) => s.id === current);
  return (
    <>
      {dangling && <option value={current}>unknown source {current} (deleted)</option>}
      {matching.map((s) => (
        <option key={s.id} value={s.id}>
          {s.name}
        </option>
      ))}
    </>
  );
}
