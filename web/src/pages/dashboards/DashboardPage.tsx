// /dashboards/:id: the tiles on a 12-column grid, all run with one time
// range and one filter (ANDed with each tile's where), plus rename, remove
// tile, edit tile (in the chart explorer) and Export JSON. The range and
// filter are kept in the URL (?range=&where=&whereLanguage=).
import { useEffect, useMemo, useState, type FormEvent } from 'react';
import { Link, useParams, useSearchParams } from 'react-router-dom';
import { ApiError, get, put } from '../../api/client';
import { useAuth } from '../../auth/AuthContext';
import { useSources } from '../charts/useSources';
import { RANGE_PRESETS, isRangePreset, rangeFromPreset, type RangePreset, type TimeRange, type WhereLanguage } from '../charts/chartData';
import DashboardTile from './DashboardTile';
import { dashboardBody, exportFileName, removeTile, type Dashboard, type Tile } from './dashboardModel';
import './Dashboards.css';

export default function DashboardPage() {
  const { id = '' } = useParams();
  const { me } = useAuth();
  const canEdit = me?.user.role === 'admin' || me?.user.role === 'editor';
  const [params, setParams] = useSearchParams();
  const preset: RangePreset = isRangePreset(params.get('range')) ? (params.get('range') as RangePreset) : '1h';
  const filter = useMemo(
    () => ({ where: params.get('where') ?? '', whereLanguage: (params.get('whereLanguage') === 'sql' ? 'sql' : 'lucene') as WhereLanguage }),
    [params],
  );

  const { sources, error: sourcesError, loading: sourcesLoading } = useSources();
  const [dashboard, setDashboard] = useState<Dashboard | null>(null);
  const [loadError, setLoadError] = useState<{ status: number; message: string } | null>(null);
  const [range, setRange] = useState<TimeRange>(() => rangeFromPreset(preset, Date.now()));
  const [runKey, setRunKey] = useState(0);
  const [saving, setSaving] = useState(false);
  const [actionError, setActionError] = useState<string | null>(null);
  const [renaming, setRenaming] = useState<string | null>(null);
  const [draftWhere, setDraftWhere] = useState(filter.where);
  const [draftLanguage, setDraftLanguage] = useState<WhereLanguage>(filter.whereLanguage);

  useEffect(() => {
    setDashboard(null);
    setLoadError(null);
    const controller = new AbortController();
    get<Dashboard>(`/api/v2/dashboards/${encodeURIComponent(id)}`, { signal: controller.signal })
      .then(setDashboard)
      .catch((e) => {
        if (!controller.signal.aborted) setLoadError({ status: e instanceof ApiError ? e.status : 0, message: e instanceof Error ? e.message : String(e) });
      });
    return () => controller.abort();
  }, [id]);

  const updateParams = (changes: Record<string, string | null>) => {
    const next = new URLSearchParams(params);
    for (const [k, v] of Object.entries(changes)) {
      if (v === null || v === '') next.delete(k);
      else next.set(k, v);
    }
    setParams(next, { replace: true });
  };

  const refresh = (nextPreset: RangePreset = preset) => {
    setRange(rangeFromPreset(nextPreset, Date.now()));
    setRunKey((k) => k + 1);
  };

  const save = async (next: Dashboard) => {
    setSaving(true);
    setActionError(null);
    try {
      setDashboard(await put<Dashboard>(`/api/v2/dashboards/${encodeURIComponent(next.id)}`, dashboardBody(next)));
      return true;
    } catch (err) {
      setActionError(err instanceof Error ? err.message : String(err));
      return false;
    } finally {
      setSaving(false);
    }
  };

  const rename = async (e: FormEvent) => {
    e.preventDefault();
    if (!dashboard || renaming === null) return;
    if (await save({ ...dashboard, name: renaming.trim() })) setRenaming(null);
  };

  const remove = (tile: Tile) => {
    if (!dashboard) return;
    if (!window.confirm(`Remove the tile “${tile.config.name || 'Untitled'}” from this dashboard?`)) return;
    void save(removeTile(dashboard, tile.id));
  };

  const exportJson = async () => {
    if (!dashboard) return;
    setActionError(null);
    try {
      const doc = await get<unknown>(`/api/v2/dashboards/${encodeURIComponent(dashboard.id)}/export`);
      const url = URL.createObjectURL(new Blob([JSON.stringify(doc, null, 2)], { type: 'application/json' }));
      const a = document.createElement('a');
      a.href = url;
      a.download = exportFileName(dashboard.name);
      document.body.appendChild(a);
      a.click();
      a.remove();
      setTimeout(() => URL.revokeObjectURL(url), 1000);
    } catch (err) {
      setActionError(`Export failed: ${err instanceof Error ? err.message : String(err)}`);
    }
  };

  const applyFilter = (e: FormEvent) => {
    e.preventDefault();
    updateParams({ where: draftWhere.trim(), whereLanguage: draftLanguage === 'sql' ? 'sql' : null });
    refresh();
  };

  if (loadError) {
    return (
      <div className="dashboard-page">
        <div className="error-box" role="alert">
          {loadError.status === 404 ? 'This dashboard does not exist (it may have been deleted).' : `Could not load the dashboard: ${loadError.message}`}
        </div>
        <Link to="/dashboards">All dashboards</Link>
      </div>
    );
  }
  if (!dashboard) return <div className="loading">Loading dashboard…</div>;

  return (
    <div className="dashboard-page">
      <header className="dash-head">
        <div className="dash-title">
          <Link to="/dashboards" className="muted">
            Dashboards
          </Link>
          <span className="muted">/</span>
          {renaming !== null ? (
            <form onSubmit={rename} className="dash-rename">
              <label>
                <span className="dash-sr-only">Dashboard name</span>
                <input value={renaming} onChange={(e) => setRenaming(e.target.value)} autoFocus required />
              </label>
              <button type="submit" disabled={saving || !renaming.trim()}>
                Save
              </button>
              <button type="button" className="secondary" onClick={() => setRenaming(null)}>
                Cancel
              </button>
            </form>
          ) : (
            <>
              <h2>{dashboard.name}</h2>
              {canEdit && (
                <button type="button" className="link" onClick={() => setRenaming(dashboard.name)}>
                  Rename
                </button>
              )}
            </>
          )}
        </div>
        <div className="dash-head-actions">
          {canEdit && (
            <Link to="/chart" className="dash-add-link">
              Add a chart
            </Link>
          )}
          <button type="button" className="secondary" onClick={exportJson}>
            Export JSON
          </button>
        </div>
      </header>

      <div className="dash-controls card">
        <form onSubmit={applyFilter} className="dash-filter">
          <label className="dash-filter-where">
            <span>Filter every tile</span>
            <input
              value={draftWhere}
              onChange={(e) => setDraftWhere(e.target.value)}
              placeholder={draftLanguage === 'sql' ? "ServiceName = 'api'" : 'ServiceName:api'}
              className="mono"
              spellCheck={false}
            />
          </label>
          <label>
            <span>Language</span>
            <select value={draftLanguage} onChange={(e) => setDraftLanguage(e.target.value === 'sql' ? 'sql' : 'lucene')}>
              <option value="lucene">Search syntax</option>
              <option value="sql">SQL</option>
            </select>
          </label>
          <button type="submit">Apply</button>
        </form>
        <label>
          <span>Time range</span>
          <select
            value={preset}
            onChange={(e) => {
              const next = e.target.value as RangePreset;
              updateParams({ range: next === '1h' ? null : next });
              refresh(next);
            }}
          >
            {RANGE_PRESETS.map((p) => (
              <option key={p.key} value={p.key}>
                {p.label}
              </option>
            ))}
          </select>
        </label>
        <button type="button" className="secondary" onClick={() => refresh()}>
          Refresh
        </button>
      </div>
      {filter.where && (
        <div className="muted dash-filter-note">
          Every tile's where is ANDed with <span className="mono">{filter.where}</span> ({filter.whereLanguage === 'sql' ? 'SQL' : 'search syntax'}); tiles written
          in the other language are not filtered and say so.
        </div>
      )}
      {actionError && (
        <div className="error-box" role="alert">
          {actionError}
        </div>
      )}
      {sourcesError && <div className="error-box">Could not load sources: {sourcesError}</div>}

      {dashboard.tiles.length === 0 ? (
        <div className="notice">
          This dashboard has no tiles yet. Build a chart in the <Link to="/chart">chart explorer</Link> and use “Add to
          dashboard”.
        </div>
      ) : sourcesLoading ? (
        <div className="loading">Loading sources…</div>
      ) : (
        <div className="dash-grid">
          {dashboard.tiles.map((tile) => (
            <DashboardTile
              key={tile.id}
              dashboardId={dashboard.id}
              tile={tile}
              range={range}
              filter={filter}
              sources={sources}
              runKey={runKey}
              canEdit={canEdit}
              busy={saving}
              onRemove={remove}
            />
          ))}
        </div>
      )}
    </div>
  );
}
