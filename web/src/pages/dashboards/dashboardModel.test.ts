import { describe, expect, it } from 'vitest';
import {
  appendTile,
  exportFileName,
  formToTileConfig,
  nextTilePosition,
  removeTile,
  replaceTileConfig,
  tileChart,
  tileToForm,
  type Dashboard,
  type Tile,
} from './dashboardModel';
import type { ChartForm } from '../charts/chartForm';

const form: ChartForm = {
  name: 'p95 by service',
  sourceId: '3',
  aggFn: 'p95',
  field: 'Duration',
  where: 'SpanKind:Server',
  whereLanguage: 'lucene',
  groupBy: 'ServiceName',
  granularity: '5 minute',
  displayType: 'line',
};
const tile = (over: Partial<Tile> = {}): Tile => ({ id: 't', x: 0, y: 0, w: 6, h: 4, config: formToTileConfig(form), ...over });

describe('tiles and forms', () => {
  it('round-trips a form through a tile config', () => {
    expect(tileToForm(tile())).toEqual({ form });
  });
  it('makes a chart spec with per-series conditions', () => {
    const t = tile();
    t.config = {
      ...t.config,
      select: [
        { aggFn: 'count', valueExpression: '', aggCondition: 'StatusCode:Error', aggConditionLanguage: 'lucene', alias: 'errors' },
        { aggFn: 'quantile', valueExpression: 'Duration', aggCondition: '', aggConditionLanguage: 'lucene', level: 0.5 },
      ],
    };
    const chart = tileChart(t);
    expect(chart.kind).toBe('chart');
    if (chart.kind !== 'chart') return;
    expect(chart.spec.series).toEqual([
      { aggFn: 'count', field: '', where: 'StatusCode:Error', whereLanguage: 'lucene', alias: 'errors' },
      { aggFn: 'quantile', field: 'Duration', level: 0.5 },
    ]);
    expect(tileToForm(t)).toEqual({ reason: expect.stringMatching(/2 series/) });
  });
  it('explains tiles it cannot show', () => {
    expect(tileChart(tile({ config: { ...formToTileConfig(form), displayType: 'search' } })).kind).toBe('unsupported');
    expect(tileChart(tile({ config: { ...formToTileConfig(form), source: undefined } })).kind).toBe('unsupported');
    expect(tileChart(tile({ config: { ...formToTileConfig(form), displayType: 'markdown', markdown: '# hi' } }))).toEqual({
      kind: 'markdown',
      text: '# hi',
    });
  });
});

describe('layout', () => {
  it('fills the first free spot', () => {
    expect(nextTilePosition([], 6, 4)).toEqual({ x: 0, y: 0 });
    expect(nextTilePosition([tile()], 6, 4)).toEqual({ x: 6, y: 0 });
    expect(nextTilePosition([tile(), tile({ x: 6 })], 6, 4)).toEqual({ x: 0, y: 4 });
    expect(nextTilePosition([tile({ w: 12 })], 12, 4)).toEqual({ x: 0, y: 4 });
  });
  it('appends, replaces and removes tiles', () => {
    const d: Dashboard = { id: '1', name: 'D', tiles: [tile()], tags: [] };
    const added = appendTile(d, formToTileConfig({ ...form, name: 'b' }));
    expect(added.tiles).toHaveLength(2);
    expect(added.tiles[1]).toMatchObject({ x: 6, y: 0, w: 6, h: 4 });
    expect(added.tiles[1].id).not.toBe('t');
    const replaced = replaceTileConfig(added, 't', formToTileConfig({ ...form, name: 'renamed' }));
    expect(replaced.tiles[0].config.name).toBe('renamed');
    expect(removeTile(replaced, 't').tiles.map((t) => t.config.name)).toEqual(['b']);
  });
  it('names export files', () => {
    expect(exportFileName('Service overview!')).toBe('service-overview.json');
    expect(exportFileName('***')).toBe('dashboard.json');
  });
});
