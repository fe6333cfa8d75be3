// /chart: build a chart from a source, an aggregate, a filter and a grouping;
// see it as a line, stacked bars, a number or a table; add it to a
// dashboard. With ?dashboard=&tile= it edits that tile and saves it back.
// The form lives in the URL after each run, so charts can be linked.
import { useEffect, useRef, useState, type FormEvent } from 'react';
import { Link, useNavigate, useSearchParams } from 'react-router-dom';
import { get, put } from '../../api/client';
import { useAuth } from '../../auth/AuthContext';
import ChartView from './ChartView';
import ChartFormFields from './ChartFormFields';
import AddToDashboard from './AddToDashboard';
import { chartableSources, useSources } from './useSources';
import { RANGE_PRESETS, rangeFromPreset, seriesLabel, type ChartSpec, type RangePreset, type TimeRange } from './chartData';
import { formFromParams, formProblem, formToParams, formToSpec, type ChartForm } from './chartForm';
import { dashboardBody, formToTileConfig, replaceTileConfig, tileToForm, type Dashboard } from '../dashboards/dashboardModel';
import './ChartExplorerPage.css';

// Changing one of these re-runs the chart at once; text fields wait for Run.
const RUN_ON_CHANGE: (keyof ChartForm)[] = ['sourceId', 'aggFn', 'whereLanguage', 'granularity', 'displayType'];

interface Ran {
  spec: ChartSpec;
  range: TimeRange;
}

export default function ChartExplorerPage() {
  const { me } = useAuth();
  const canEdit = me?.user.role === 'admin' || me?.user.role === 'editor';
  const navigate = useNavigate();
  const [searchParams, setSearchParams] = useSearchParams();
  const [initial] = useState(() => formFromParams(searchParams));
  const { sources: allSources, loading: sourcesLoading, error: sourcesError } = useSources();
  const sources = chartableSources(allSources);

  const [form, setForm] = useState<ChartForm>(initial.form);
  const [preset, setPreset] = useState<RangePreset>(initial.range);
  const [ran, setRan] = useState<Ran | null>(null);
  const [runKey, setRunKey] = useState(0);
  const [problem, setProblem] = useState<string | null>(null);
  const [adding, setAdding] = useState(false);

  const edit = { dashboardId: initial.dashboardId, tileId: initial.tileId };
  const editing = edit.dashboardId !== null && edit.tileId !== null;
  const [editDashboard, setEditDashboard] = useState<Dashboard | null>(null);
  const [editError, setEditError] = useState<string | null>(null);
  const [saving, setSaving] = useState(false);

  const run = (next: ChartForm, nextPreset: RangePreset) => {
    const issue = formProblem(next);
    setProblem(issue);
    if (issue) return;
    setRan({ spec: formToSpec(next), range: rangeFromPreset(nextPreset, Date.now()) });
    setRunKey((k) => k + 1);
    setSearchParams(formToParams(next, nextPreset, edit), { replace: true });
  };

  // First load: a chart from the URL, the edited tile, or a default
  // (count of spans of the first trace source).
  const started = useRef(false);
  useEffect(() => {
    if (started.current || sourcesLoading) return;
    if (editing && !editDashboard && !editError) return; // wait for the tile
    started.current = true;
    let start = form;
    if (editing && editDashboard && !initial.hasForm) {
      const tile = editDashboard.tiles.find((t) => t.id === edit.tileId);
      const loaded = tile ? tileToForm(tile) : { reason: `Tile ${edit.tileId} is not on this dashboard any more.` };
      if ('form' in loaded) start = loaded.form;
      else setEditError(loaded.reason);
    }
    if (!start.sourceId && sources.length > 0) {
      start = { ...start, sourceId: (sources.find((s) => s.kind === 'trace') ?? sources[0]).id };
    }
    setForm(start);
    if (start.sourceId) run(start, preset);
  }, [sourcesLoading, editDashboard, editError]); // runs once, when its inputs have arrived

  useEffect(() => {
    if (!editing) return;
    get<Dashboard>(`/api/v2/dashboards/${encodeURIComponent(edit.dashboardId!)}`)
      .then(setEditDashboard)
      .catch((e) => setEditError(`Could not load the dashboard: ${e instanceof Error ? e.message : String(e)}`));
  }, [editing, edit.dashboardId]);

  const onFormChange = (next: ChartForm) => {
    const rerun = RUN_ON_CHANGE.some((k) => next[k] !== form[k]);
    setForm(next);
    if (rerun) run(next, preset);
  };

  const submit = (e: FormEvent) => {
    e.preventDefault();
    run(form, preset);
  };

  const saveTile = async () => {
    if (!editing) return;
    setSaving(true);
    setEditError(null);
    try {
      const fresh = await get<Dashboard>(`/api/v2/dashboards/${encodeURIComponent(edit.dashboardId!)}`);
      if (!fresh.tiles.some((t) => t.id === edit.tileId)) throw new Error('This tile was removed from the dashboard meanwhile.');
      const next = replaceTileConfig(fresh, edit.tileId!, formToTileConfig(form));
      await put(`/api/v2/dashboards/${encodeURIComponent(fresh.id)}`, dashboardBody(next));
      navigate(`/dashboards/${fresh.id}`);
    } catch (err) {
      setEditError(err instanceof Error ? err.message : String(err));
    } finally {
      setSaving(false);
    }
  };

  const ranLabel = ran ? seriesLabel(ran.spec.series[0]) : '';

  return (
    <div className="explorer">
      <header className="explorer-head">
        <h2>Chart explorer</h2>
        {editing && (
          <div className="explorer-editing">
            Editing a tile of{' '}
            <Link to={`/dashboards/${edit.dashboardId}`}>{editDashboard?.name ?? `dashboard ${edit.dashboardId}`}</Link>
          </div>
        )}
      </header>

      {sourcesError && <div className="error-box">Could not load sources: {sourcesError}</div>}
      {!sourcesLoading && !sourcesError && sources.length === 0 && (
        <div className="notice">
          There is no source to chart. Create one in <Link to="/settings">Team settings</Link>.
        </div>
      )}
      {editError && (
        <div className="error-box" role="alert">
          {editError}
        </div>
      )}

      <form className="card explorer-form" onSubmit={submit} aria-label="Chart">
        <label className="explorer-name">
          <span>Chart name</span>
          <input value={form.name} onChange={(e) => setForm({ ...form, name: e.target.value })} placeholder="Untitled chart" />
        </label>
        <ChartFormFields form={form} sources={sources} onChange={onFormChange} />
        <div className="explorer-actions">
          <label className="explorer-range">
            <span>Time range</span>
            <select
              value={preset}
              onChange={(e) => {
                const next = e.target.value as RangePreset;
                setPreset(next);
                run(form, next);
              }}
            >
              {RANGE_PRESETS.map((p) => (
                <option key={p.key} value={p.key}>
                  {p.label}
                </option>
              ))}
            </select>
          </label>
          <button type="submit" disabled={sourcesLoading}>
            Run
          </button>
          {editing ? (
            <button type="button" onClick={saveTile} disabled={!canEdit || saving || formProblem(form) !== null}>
              {saving ? 'Saving…' : 'Save tile'}
            </button>
          ) : (
            <button
              type="button"
              className="secondary"
              onClick={() => setAdding(true)}
              disabled={!canEdit || formProblem(form) !== null}
              title={canEdit ? undefined : 'Viewers cannot change dashboards'}
            >
              Add to dashboard
            </button>
          )}
          {!canEdit && <span className="muted explorer-hint">Viewers can explore but not save to dashboards.</span>}
        </div>
        {problem && (
          <div className="error-box" role="alert">
            {problem}
          </div>
        )}
      </form>

      {adding && !editing && <AddToDashboard config={formToTileConfig(form)} onClose={() => setAdding(false)} />}

      <section className="card explorer-chart" aria-label="Result">
        {ran ? (
          <>
            <div className="explorer-chart-title">
              <strong>{form.name || ranLabel}</strong>
              <button type="button" className="link" onClick={() => run(form, preset)}>
                Refresh
              </button>
            </div>
            <ChartView spec={ran.spec} range={ran.range} sources={sources} height={ran.spec.displayType === 'table' ? undefined : 320} runKey={runKey} />
          </>
        ) : (
          <div className="muted">{sourcesLoading ? 'Loading sources…' : 'Choose a source and press Run.'}</div>
        )}
      </section>
    </div>
  );
}
