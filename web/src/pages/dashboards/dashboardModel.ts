// Dashboards in the API's shape (docs/api.md, src/api/dashboard_model.h):
// tiles on a 12-column grid, each with a HyperDX chart config. Converts tiles
// to chart specs and explorer forms and back, and places new tiles.
import { AGG_FNS, DISPLAY_TYPES, type AggFn, type ChartSpec, type DisplayType, type WhereLanguage } from '../charts/chartData';
import { DEFAULT_FORM, type ChartForm } from '../charts/chartForm';

export const GRID_COLUMNS = 12;

export interface TileSelect {
  aggFn: string;
  valueExpression: string;
  aggCondition: string;
  aggConditionLanguage: string;
  alias?: string;
  level?: number;
}

export interface TileConfig {
  name: string;
  source?: string;
  select: TileSelect[] | string;
  where: string;
  whereLanguage: string;
  groupBy: string;
  displayType: string;
  granularity?: string;
  markdown?: string;
}

export interface Tile {
  id: string;
  x: number;
  y: number;
  w: number;
  h: number;
  config: TileConfig;
}

export interface Dashboard {
  id: string;
  name: string;
  tiles: Tile[];
  tags: string[];
}

const language = (value: string | undefined): WhereLanguage => (value === 'sql' ? 'sql' : 'lucene');

export function formToTileConfig(form: ChartForm): TileConfig {
  return {
    name: form.name.trim(),
    source: form.sourceId,
    select: [
      {
        aggFn: form.aggFn,
        valueExpression: form.aggFn === 'count' ? '' : form.field.trim(),
        aggCondition: '',
        aggConditionLanguage: form.whereLanguage,
      },
    ],
    where: form.where,
    whereLanguage: form.whereLanguage,
    groupBy: form.groupBy,
    displayType: form.displayType,
    granularity: form.granularity,
  };
}

export type TileChart = { kind: 'chart'; spec: ChartSpec } | { kind: 'markdown'; text: string } | { kind: 'unsupported'; reason: string };

const knownAgg = (fn: string): fn is AggFn => fn === 'quantile' || (AGG_FNS as readonly string[]).includes(fn);

// What a tile shows: a chart, markdown text, or why it cannot be shown.
export function tileChart(tile: Tile): TileChart {
  const c = tile.config;
  if (c.displayType === 'markdown') return { kind: 'markdown', text: c.markdown ?? '' };
  if (c.displayType === 'search') return { kind: 'unsupported', reason: 'Search tiles (a list of rows) are not shown on dashboards yet.' };
  if (!(DISPLAY_TYPES as readonly string[]).includes(c.displayType)) {
    return { kind: 'unsupported', reason: `Unknown display type "${c.displayType}".` };
  }
  if (!c.source) return { kind: 'unsupported', reason: 'This tile has no source (it may have been deleted). Edit the tile to pick one.' };
  if (typeof c.select === 'string' || c.select.length === 0) return { kind: 'unsupported', reason: 'This tile has no aggregate to chart.' };
  if (c.select.length > 5) return { kind: 'unsupported', reason: 'A chart has at most 5 series; this tile has more.' };
  for (const s of c.select) {
    if (!knownAgg(s.aggFn)) return { kind: 'unsupported', reason: `The aggregate "${s.aggFn}" is not supported.` };
  }
  return {
    kind: 'chart',
    spec: {
      sourceId: c.source,
      series: c.select.map((s) => ({
        aggFn: s.aggFn as AggFn,
        field: s.valueExpression,
        ...(s.level !== undefined ? { level: s.level } : {}),
        ...(s.aggCondition ? { where: s.aggCondition, whereLanguage: language(s.aggConditionLanguage) } : {}),
        ...(s.alias ? { alias: s.alias } : {}),
      })),
      where: c.where,
      whereLanguage: language(c.whereLanguage),
      groupBy: c.groupBy,
      granularity: c.granularity || 'auto',
      displayType: c.displayType as DisplayType,
    },
  };
}

// The explorer form for a tile, when the form can express it (one
// aggregate of the form's list, no per-aggregate condition).
export function tileToForm(tile: Tile): { form: ChartForm } | { reason: string } {
  const chart = tileChart(tile);
  if (chart.kind !== 'chart') return { reason: chart.kind === 'markdown' ? 'Markdown tiles have no chart to edit.' : chart.reason };
  const { spec } = chart;
  if (spec.series.length !== 1) return { reason: `This tile has ${spec.series.length} series; the explorer edits one.` };
  const s = spec.series[0];
  if (s.aggFn === 'quantile') return { reason: 'Quantile tiles with a custom level cannot be edited in the explorer.' };
  if (s.where) return { reason: 'This tile has a per-aggregate condition, which the explorer cannot edit.' };
  return {
    form: {
      ...DEFAULT_FORM,
      name: tile.config.name,
      sourceId: spec.sourceId,
      aggFn: s.aggFn,
      field: s.field,
      where: spec.where,
      whereLanguage: spec.whereLanguage,
      groupBy: spec.groupBy,
      granularity: ['auto', '1 minute', '5 minute', '1 hour', '1 day'].includes(spec.granularity) ? spec.granularity : 'auto',
      displayType: spec.displayType,
    },
  };
}

const overlaps = (a: { x: number; y: number; w: number; h: number }, b: { x: number; y: number; w: number; h: number }) =>
  a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h && b.y < a.y + a.h;

// The first free spot scanning rows top to bottom, columns left to right.
export function nextTilePosition(tiles: Tile[], w: number, h: number): { x: number; y: number } {
  const width = Math.min(Math.max(1, w), GRID_COLUMNS);
  const bottom = tiles.reduce((m, t) => Math.max(m, t.y + t.h), 0);
  for (let y = 0; y <= bottom; y++) {
    for (let x = 0; x + width <= GRID_COLUMNS; x++) {
      const spot = { x, y, w: width, h };
      if (!tiles.some((t) => overlaps(t, spot))) return { x, y };
    }
  }
  return { x: 0, y: bottom };
}

export function newTileId(): string {
  return `tile-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}`;
}

export function appendTile(d: Dashboard, config: TileConfig, size = { w: 6, h: 4 }): Dashboard {
  const { x, y } = nextTilePosition(d.tiles, size.w, size.h);
  return { ...d, tiles: [...d.tiles, { id: newTileId(), x, y, w: size.w, h: size.h, config }] };
}

export function replaceTileConfig(d: Dashboard, tileId: string, config: TileConfig): Dashboard {
  return { ...d, tiles: d.tiles.map((t) => (t.id === tileId ? { ...t, config } : t)) };
}

export function removeTile(d: Dashboard, tileId: string): Dashboard {
  return { ...d, tiles: d.tiles.filter((t) => t.id !== tileId) };
}

// The PUT /api/v2/dashboards/:id body.
export function dashboardBody(d: Dashboard): { name: string; tiles: Tile[]; tags: string[] } {
  return { name: d.name, tiles: d.tiles, tags: d.tags };
}

// A file name for an exported dashboard: "Service overview" -> service-overview.json
export function exportFileName(name: string): string {
  const slug = name.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '');
  return `${slug || 'dashboard'}.json`;
}
