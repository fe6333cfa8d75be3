// One dashboard tile: its title, edit/remove actions, and its chart run with
// the dashboard's time range and filter. Placed on the 12-column grid by
// x/y/w/h.
import { Link } from 'react-router-dom';
import type { Source } from '../../api/types';
import ChartView from '../charts/ChartView';
import { seriesLabel, type TimeRange, type WhereLanguage } from '../charts/chartData';
import { tileChart, tileToForm, type Tile } from './dashboardModel';

interface Props {
  dashboardId: string;
  tile: Tile;
  range: TimeRange;
  filter: { where: string; whereLanguage: WhereLanguage };
  sources: Source[];
  runKey: number;
  canEdit: boolean;
  busy: boolean;
  onRemove: (tile: Tile) => void;
}

export default function DashboardTile({ dashboardId, tile, range, filter, sources, runKey, canEdit, busy, onRemove }: Props) {
  const chart = tileChart(tile);
  const editable = tileToForm(tile);
  const title = tile.config.name || (chart.kind === 'chart' ? chart.spec.series.map(seriesLabel).join(', ') : 'Untitled');
  const sourceName = chart.kind === 'chart' ? sources.find((s) => s.id === chart.spec.sourceId)?.name : undefined;
  const missingSource = chart.kind === 'chart' && sourceName === undefined;

  return (
    <section
      className="dash-tile card"
      style={{ gridColumn: `${tile.x + 1} / span ${Math.min(tile.w, 12)}`, gridRow: `${tile.y + 1} / span ${tile.h}` }}
      aria-label={title}
    >
      <header className="dash-tile-head">
        <h3 title={title}>{title}</h3>
        {sourceName && <span className="muted dash-tile-source">{sourceName}</span>}
        {canEdit && (
          <div className="dash-tile-actions">
            {'form' in editable ? (
              <Link
                className="dash-tile-action"
                to={`/chart?dashboard=${encodeURIComponent(dashboardId)}&tile=${encodeURIComponent(tile.id)}`}
                aria-label={`Edit ${title}`}
              >
                Edit
              </Link>
            ) : (
              <span className="dash-tile-action disabled" title={editable.reason}>
                Edit
              </span>
            )}
            <button type="button" className="link dash-tile-action" onClick={() => onRemove(tile)} disabled={busy} aria-label={`Remove ${title}`}>
              Remove
            </button>
          </div>
        )}
      </header>
      <div className="dash-tile-body">
        {chart.kind === 'markdown' && <div className="dash-markdown">{chart.text}</div>}
        {chart.kind === 'unsupported' && <div className="muted dash-tile-msg">{chart.reason}</div>}
        {chart.kind === 'chart' && missingSource && (
          <div className="muted dash-tile-msg">
            Source {chart.spec.sourceId} does not exist (deleted, or not visible to you). Edit the tile to choose another.
          </div>
        )}
        {chart.kind === 'chart' && !missingSource && (
          <ChartView spec={chart.spec} range={range} filter={filter} sources={sources} runKey={runKey} />
        )}
      </div>
    </section>
  );
}
