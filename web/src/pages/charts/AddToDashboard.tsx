// "Add to dashboard": pick an existing dashboard or name a new one, then
// append the chart as a tile (PUT /api/v2/dashboards/:id with the whole
// dashboard, fetched fresh so concurrent edits of other tiles survive).
import { useEffect, useId, useState, type FormEvent } from 'react';
import { Link } from 'react-router-dom';
import { get, post, put } from '../../api/client';
import { appendTile, dashboardBody, type Dashboard, type TileConfig } from '../dashboards/dashboardModel';

interface Props {
  config: TileConfig;
  onClose: () => void;
}

const NEW = '__new__';
const LAST_KEY = 'otelstack.lastDashboard'; // preselected next time

export default function AddToDashboard({ config, onClose }: Props) {
  const [dashboards, setDashboards] = useState<Dashboard[] | null>(null);
  const [loadError, setLoadError] = useState<string | null>(null);
  const [target, setTarget] = useState<string>(NEW);
  const [newName, setNewName] = useState('');
  const [tileName, setTileName] = useState(config.name);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [added, setAdded] = useState<Dashboard | null>(null);
  const dashboardSelectId = useId();

  useEffect(() => {
    get<{ data: Dashboard[] }>('/api/v2/dashboards')
      .then((r) => {
        setDashboards(r.data);
        const last = localStorage.getItem(LAST_KEY);
        const preferred = r.data.find((d) => d.id === last) ?? r.data[0];
        if (preferred) setTarget(preferred.id);
      })
      .catch((e) => setLoadError(e instanceof Error ? e.message : String(e)));
  }, []);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const dashboard =
        target === NEW
          ? await post<Dashboard>('/api/v2/dashboards', { name: newName.trim(), tiles: [], tags: [] })
          : await get<Dashboard>(`/api/v2/dashboards/${encodeURIComponent(target)}`);
      const next = appendTile(dashboard, { ...config, name: tileName.trim() });
      const saved = await put<Dashboard>(`/api/v2/dashboards/${encodeURIComponent(dashboard.id)}`, dashboardBody(next));
      localStorage.setItem(LAST_KEY, saved.id);
      setAdded(saved);
    } catch (err) {
      setError(err instanceof Error ? err.message : String(err));
    } finally {
      setBusy(false);
    }
  };

  return (
    <div className="card add-to-dashboard" role="dialog" aria-label="Add to dashboard">
      <div className="add-head">
        <h3>Add to dashboard</h3>
        <button type="button" className="secondary" onClick={onClose} aria-label="Close">
          ✕
        </button>
      </div>
      {added ? (
        <div className="add-done" role="status">
          Added “{tileName || 'Untitled chart'}” to <Link to={`/dashboards/${added.id}`}>{added.name}</Link>.
        </div>
      ) : loadError ? (
        <div className="error-box">Could not load dashboards: {loadError}</div>
      ) : dashboards === null ? (
        <div className="muted">Loading dashboards…</div>
      ) : (
        <form onSubmit={submit} className="add-form">
          <label>
            <span>Tile name</span>
            <input value={tileName} onChange={(e) => setTileName(e.target.value)} placeholder="e.g. p95 latency by service" />
          </label>
          {/* A separate label: wrapping the select would add the chosen option's text to its name. */}
          <div className="add-field">
            <label htmlFor={dashboardSelectId}>Dashboard</label>
            <select id={dashboardSelectId} value={target} onChange={(e) => setTarget(e.target.value)}>
              {dashboards.map((d) => (
                <option key={d.id} value={d.id}>
                  {d.name} ({d.tiles.length} tiles)
                </option>
              ))}
              <option value={NEW}>New dashboard…</option>
            </select>
          </div>
          {target === NEW && (
            <label>
              <span>New dashboard name</span>
              <input value={newName} onChange={(e) => setNewName(e.target.value)} required placeholder="e.g. Service overview" />
            </label>
          )}
          {error && (
            <div className="error-box" role="alert">
              {error}
            </div>
          )}
          <div className="add-actions">
            <button type="submit" disabled={busy || (target === NEW && !newName.trim())}>
              {busy ? 'Adding…' : 'Add tile'}
            </button>
          </div>
        </form>
      )}
    </div>
  );
}
