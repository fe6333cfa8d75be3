// The explorer form's state (one aggregate), its defaults, how it becomes a
// chart spec, and how it round-trips through the URL (/chart?source=…), so
// a chart can be linked, reloaded, and opened from a dashboard tile.
import {
  AGG_FNS,
  DISPLAY_TYPES,
  GRANULARITIES,
  isRangePreset,
  type AggFn,
  type ChartSpec,
  type DisplayType,
  type RangePreset,
  type WhereLanguage,
} from './chartData';

export interface ChartForm {
  name: string;
  sourceId: string;
  aggFn: AggFn;
  field: string;
  where: string;
  whereLanguage: WhereLanguage;
  groupBy: string;
  granularity: string;
  displayType: DisplayType;
}

export const DEFAULT_FORM: ChartForm = {
  name: '',
  sourceId: '',
  aggFn: 'count',
  field: '',
  where: '',
  whereLanguage: 'lucene',
  groupBy: '',
  granularity: 'auto',
  displayType: 'line',
};

export function formToSpec(form: ChartForm): ChartSpec {
  return {
    sourceId: form.sourceId,
    series: [{ aggFn: form.aggFn, field: form.aggFn === 'count' ? '' : form.field.trim() }],
    where: form.where,
    whereLanguage: form.whereLanguage,
    groupBy: form.groupBy,
    granularity: form.granularity,
    displayType: form.displayType,
  };
}

// What must be fixed before the chart can run; null when it can.
export function formProblem(form: ChartForm): string | null {
  if (!form.sourceId) return 'Choose a source.';
  if (form.aggFn !== 'count' && !form.field.trim()) return `${form.aggFn} needs a field (a column or an attribute).`;
  return null;
}

export interface ExplorerUrlState {
  form: ChartForm;
  range: RangePreset;
  dashboardId: string | null; // editing a tile of this dashboard
  tileId: string | null;
  hasForm: boolean; // the URL describes a chart (else: defaults)
}

const pick = <T extends string>(value: string | null, allowed: readonly T[], fallback: T): T =>
  value !== null && (allowed as readonly string[]).includes(value) ? (value as T) : fallback;

export function formFromParams(params: URLSearchParams): ExplorerUrlState {
  const granularity = params.get('granularity');
  const form: ChartForm = {
    name: params.get('name') ?? '',
    sourceId: params.get('source') ?? '',
    aggFn: pick(params.get('aggFn'), [...AGG_FNS], DEFAULT_FORM.aggFn),
    field: params.get('field') ?? '',
    where: params.get('where') ?? '',
    whereLanguage: params.get('whereLanguage') === 'sql' ? 'sql' : 'lucene',
    groupBy: params.get('groupBy') ?? '',
    granularity: granularity && (GRANULARITIES as readonly string[]).includes(granularity) ? granularity : 'auto',
    displayType: pick(params.get('display'), DISPLAY_TYPES, DEFAULT_FORM.displayType),
  };
  const range = params.get('range');
  return {
    form,
    range: isRangePreset(range) ? range : '1h',
    dashboardId: params.get('dashboard'),
    tileId: params.get('tile'),
    hasForm: params.has('source'),
  };
}

export function formToParams(
  form: ChartForm,
  range: RangePreset,
  edit: { dashboardId: string | null; tileId: string | null } = { dashboardId: null, tileId: null },
): URLSearchParams {
  const params = new URLSearchParams();
  if (edit.dashboardId && edit.tileId) {
    params.set('dashboard', edit.dashboardId);
    params.set('tile', edit.tileId);
  }
  if (form.name) params.set('name', form.name);
  params.set('source', form.sourceId);
  params.set('aggFn', form.aggFn);
  if (form.aggFn !== 'count' && form.field) params.set('field', form.field);
  if (form.where) params.set('where', form.where);
  if (form.whereLanguage !== 'lucene') params.set('whereLanguage', form.whereLanguage);
  if (form.groupBy) params.set('groupBy', form.groupBy);
  if (form.granularity !== 'auto') params.set('granularity', form.granularity);
  params.set('display', form.displayType);
  params.set('range', range);
  return params;
}
