// Settings → Sources: the team's sources (what search, charts and traces
// read), with a form to create, edit and delete them (editors and admins;
// viewers can open a source read-only).

import { useState } from 'react';
import { del } from '../../../api/client';
import type { Source } from '../../../api/types';
import ConfirmButton from '../common/ConfirmButton';
import ErrorBox from '../common/ErrorBox';
import { errorText } from '../common/errors';
import { useApiData } from '../common/useApiData';
import type { Connection } from '../connections/connections';
import SourceForm, { type ConnectionChoice } from './SourceForm';

function connectionChoices(sources: Source[], connections: Connection[] | null): ConnectionChoice[] {
  if (connections) {
    return connections.map((c) => ({
      id: c.id,
      label: c.kind === 'embedded' ? `${c.name} (built-in)` : `${c.name} (ClickHouse)`,
      embedded: c.kind === 'embedded',
    }));
  }
  const ids = [...new Set(sources.map((s) => s.connection))];
  return ids.map((id) => ({ id, label: `connection ${id}`, embedded: null }));
}

export default function SourcesTab({ canEdit, isAdmin }: { canEdit: boolean; isAdmin: boolean }) {
  const sources = useApiData<{ data: Source[] }>('/api/v2/sources');
  const connections = useApiData<{ data: Connection[] }>(isAdmin ? '/api/connections' : null);
  const [open, setOpen] = useState<Source | 'new' | null>(null);
  const [error, setError] = useState<string | null>(null);

  const list = sources.data?.data ?? [];
  const byId = new Map(list.map((s) => [s.id, s]));
  const connectionName = (id: string) => connections.data?.data.find((c) => c.id === id)?.name ?? `connection ${id}`;
  const choices = connectionChoices(list, connections.data?.data ?? null);

  async function remove(s: Source) {
    setError(null);
    try {
      await del(`/api/v2/sources/${s.id}`);
      if (open !== 'new' && open?.id === s.id) setOpen(null);
    } catch (e) {
      setError(errorText(e));
    }
    sources.reload();
  }

  const linkName = (id: unknown) =>
    typeof id === 'string' && id !== '' ? (byId.get(id)?.name ?? <span className="muted">deleted ({id})</span>) : null;

  return (
    <section className="settings-section">
      <h2>Sources</h2>
      <p className="muted">
        A source is a table with its column mappings. Log and trace sources can link to each other so a log line opens
        its trace and a trace shows its logs.
      </p>
      {!canEdit && <p className="notice">Viewers can look at sources; editors and admins change them.</p>}
      <ErrorBox message={error} onDismiss={() => setError(null)} />
      {sources.loading && !sources.data && <div className="loading">Loading sources…</div>}
      <ErrorBox message={sources.error} />
      <ErrorBox message={connections.error} />
      {sources.data && list.length === 0 && <p className="notice">No sources. Create one to start searching.</p>}
      {list.length > 0 && (
        <table className="simple settings-table">
          <thead>
            <tr>
              <th>Name</th>
              <th>Kind</th>
              <th>Connection</th>
              <th>Table</th>
              <th>Linked to</th>
              <th aria-label="Actions" />
            </tr>
          </thead>
          <tbody>
            {list.map((s) => (
              <tr key={s.id}>
                <td>{s.name}</td>
                <td>{s.kind}</td>
                <td>{connectionName(s.connection)}</td>
                <td className="mono">
                  {s.from.databaseName}.{s.from.tableName}
                </td>
                <td>{s.kind === 'log' ? linkName(s.traceSourceId) : s.kind === 'trace' ? linkName(s.logSourceId) : null}</td>
                <td className="actions">
                  <button type="button" className="secondary" onClick={() => setOpen(s)}>
                    {canEdit ? 'Edit' : 'View'}
                  </button>
                  {canEdit && (
                    <ConfirmButton
                      label="Delete"
                      question={`Delete “${s.name}”? Links, saved searches and dashboard tiles that use it stop working.`}
                      onConfirm={() => remove(s)}
                    />
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {canEdit && open === null && sources.data && (
        <button type="button" className="add-button" onClick={() => setOpen('new')}>
          New source
        </button>
      )}
      {open !== null && (
        <div className="card form-card">
          <h3>{open === 'new' ? 'New source' : canEdit ? `Edit “${open.name}”` : `Source “${open.name}”`}</h3>
          <SourceForm
            key={open === 'new' ? 'new' : open.id}
            existing={open === 'new' ? undefined : open}
            sources={list}
            connections={choices}
            isAdmin={isAdmin}
            readOnly={!canEdit}
            onSaved={() => {
              setOpen(null);
              sources.reload();
            }}
            onCancel={() => setOpen(null)}
          />
        </div>
      )}
    </section>
  );
}
