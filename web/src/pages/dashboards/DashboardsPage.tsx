// /dashboards: the team's dashboards (name, tile count), creating one,
// deleting one, and importing an exported dashboard document.
import { useEffect, useState, type FormEvent } from 'react';
import { Link, useNavigate } from 'react-router-dom';
import { del, get, post } from '../../api/client';
import { useAuth } from '../../auth/AuthContext';
import ImportDashboard from './ImportDashboard';
import type { Dashboard } from './dashboardModel';
import './Dashboards.css';

export default function DashboardsPage() {
  const { me } = useAuth();
  const canEdit = me?.user.role === 'admin' || me?.user.role === 'editor';
  const navigate = useNavigate();
  const [dashboards, setDashboards] = useState<Dashboard[] | null>(null);
  const [loadError, setLoadError] = useState<string | null>(null);
  const [name, setName] = useState('');
  const [creating, setCreating] = useState(false);
  const [actionError, setActionError] = useState<string | null>(null);
  const [importing, setImporting] = useState(false);
  const [deleting, setDeleting] = useState<string | null>(null);

  const load = () => {
    setLoadError(null);
    get<{ data: Dashboard[] }>('/api/v2/dashboards')
      .then((r) => setDashboards([...r.data].sort((a, b) => a.name.localeCompare(b.name))))
      .catch((e) => setLoadError(e instanceof Error ? e.message : String(e)));
  };
  useEffect(load, []);

  const create = async (e: FormEvent) => {
    e.preventDefault();
    setCreating(true);
    setActionError(null);
    try {
      const d = await post<Dashboard>('/api/v2/dashboards', { name: name.trim(), tiles: [], tags: [] });
      navigate(`/dashboards/${d.id}`);
    } catch (err) {
      setActionError(err instanceof Error ? err.message : String(err));
      setCreating(false);
    }
  };

  const remove = async (d: Dashboard) => {
    if (!window.confirm(`Delete the dashboard “${d.name}” and its ${d.tiles.length} tiles? This cannot be undone.`)) return;
    setDeleting(d.id);
    setActionError(null);
    try {
      await del(`/api/v2/dashboards/${encodeURIComponent(d.id)}`);
      setDashboards((list) => (list ? list.filter((x) => x.id !== d.id) : list));
    } catch (err) {
      setActionError(err instanceof Error ? err.message : String(err));
    } finally {
      setDeleting(null);
    }
  };

  return (
    <div className="dashboards-page">
      <header className="dash-list-head">
        <h2>Dashboards</h2>
        {canEdit && (
          <div className="dash-list-actions">
            <form onSubmit={create} className="dash-create">
              <label className="dash-inline-label">
                <span className="dash-sr-only">New dashboard name</span>
                <input value={name} onChange={(e) => setName(e.target.value)} placeholder="New dashboard name" required />
              </label>
              <button type="submit" disabled={creating || !name.trim()}>
                {creating ? 'Creating…' : 'Create'}
              </button>
            </form>
            <button type="button" className="secondary" onClick={() => setImporting((v) => !v)} aria-expanded={importing}>
              Import JSON
            </button>
          </div>
        )}
      </header>
      {!canEdit && <div className="muted">You are a viewer: you can open dashboards but not create, import or delete them.</div>}
      {actionError && (
        <div className="error-box" role="alert">
          {actionError}
        </div>
      )}
      {importing && canEdit && (
        <ImportDashboard onImported={(d) => navigate(`/dashboards/${d.id}`)} onCancel={() => setImporting(false)} />
      )}

      {loadError ? (
        <div className="error-box" role="alert">
          Could not load dashboards: {loadError}{' '}
          <button type="button" className="secondary" onClick={load}>
            Try again
          </button>
        </div>
      ) : dashboards === null ? (
        <div className="loading">Loading dashboards…</div>
      ) : dashboards.length === 0 ? (
        <div className="notice">
          No dashboards yet.{' '}
          {canEdit
            ? 'Create one above, import an exported JSON document, or build a chart in the '
            : 'An editor can create one; charts are built in the '}
          <Link to="/chart">chart explorer</Link>
          {canEdit ? ' and use “Add to dashboard”.' : '.'}
        </div>
      ) : (
        <table className="simple dash-table">
          <thead>
            <tr>
              <th>Name</th>
              <th>Tiles</th>
              <th>Tags</th>
              {canEdit && (
                <th>
                  <span className="dash-sr-only">Actions</span>
                </th>
              )}
            </tr>
          </thead>
          <tbody>
            {dashboards.map((d) => (
              <tr key={d.id}>
                <td>
                  <Link to={`/dashboards/${d.id}`}>{d.name}</Link>
                </td>
                <td>{d.tiles.length}</td>
                <td className="muted">{d.tags.join(', ')}</td>
                {canEdit && (
                  <td className="dash-row-actions">
                    <button type="button" className="danger" onClick={() => remove(d)} disabled={deleting === d.id}>
                      {deleting === d.id ? 'Deleting…' : 'Delete'}
                    </button>
                  </td>
                )}
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </div>
  );
}
