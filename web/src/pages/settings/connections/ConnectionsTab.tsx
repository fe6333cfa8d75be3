// Settings → Connections (admins): the built-in Embedded connection and
// ClickHouse connections (add, edit, test, delete). Sources may point at a
// ClickHouse connection, but this version queries only the Embedded store.

import { useState } from 'react';
import { del } from '../../../api/client';
import ConfirmButton from '../common/ConfirmButton';
import ErrorBox from '../common/ErrorBox';
import { errorText } from '../common/errors';
import { useApiData } from '../common/useApiData';
import ClickHouseForm from './ClickHouseForm';
import type { Connection } from './connections';

export default function ConnectionsTab({ isAdmin }: { isAdmin: boolean }) {
  const list = useApiData<{ data: Connection[] }>(isAdmin ? '/api/connections' : null);
  const [editing, setEditing] = useState<Connection | 'new' | null>(null);
  const [error, setError] = useState<string | null>(null);

  if (!isAdmin) {
    return (
      <section className="settings-section">
        <h2>Connections</h2>
        <p className="notice">Connections hold database credentials, so only admins can see and change them.</p>
      </section>
    );
  }

  async function remove(c: Connection) {
    setError(null);
    try {
      await del(`/api/connections/${c.id}`);
      if (editing !== 'new' && editing?.id === c.id) setEditing(null);
    } catch (e) {
      setError(errorText(e));
    }
    list.reload();
  }

  const saved = () => {
    setEditing(null);
    list.reload();
  };

  return (
    <section className="settings-section">
      <h2>Connections</h2>
      <p className="notice">
        Querying ClickHouse comes in a later version: you can store a ClickHouse connection and point sources at it,
        but searches on those sources answer “not supported yet” (501). The Embedded store is queried today.
      </p>
      <ErrorBox message={error} onDismiss={() => setError(null)} />
      {list.loading && !list.data && <div className="loading">Loading connections…</div>}
      <ErrorBox message={list.error} />
      {list.data && (
        <table className="simple settings-table">
          <thead>
            <tr>
              <th>Name</th>
              <th>Kind</th>
              <th>URL</th>
              <th>User</th>
              <th aria-label="Actions" />
            </tr>
          </thead>
          <tbody>
            {list.data.data.map((c) =>
              c.kind === 'embedded' ? (
                <tr key={c.id}>
                  <td>{c.name}</td>
                  <td>
                    <span className="badge badge-ok">built-in</span>
                  </td>
                  <td colSpan={2} className="muted">
                    This server’s own store: nothing to configure.
                  </td>
                  <td />
                </tr>
              ) : (
                <tr key={c.id}>
                  <td>{c.name}</td>
                  <td>ClickHouse</td>
                  <td className="mono">{c.url}</td>
                  <td>
                    {c.username || <span className="muted">—</span>}
                    {c.hasPassword && <span className="muted"> (password stored)</span>}
                  </td>
                  <td className="actions">
                    <button type="button" className="secondary" onClick={() => setEditing(c)}>
                      Edit
                    </button>
                    <ConfirmButton label="Delete" question={`Delete “${c.name}”?`} onConfirm={() => remove(c)} />
                  </td>
                </tr>
              ),
            )}
          </tbody>
        </table>
      )}
      {editing === null && (
        <button type="button" className="add-button" onClick={() => setEditing('new')}>
          Add a ClickHouse connection
        </button>
      )}
      {editing !== null && (
        <div className="card form-card">
          <h3>{editing === 'new' ? 'New ClickHouse connection' : `Edit “${editing.name}”`}</h3>
          <ClickHouseForm
            key={editing === 'new' ? 'new' : editing.id}
            existing={editing === 'new' ? undefined : editing}
            onSaved={saved}
            onCancel={() => setEditing(null)}
          />
        </div>
      )}
    </section>
  );
}
