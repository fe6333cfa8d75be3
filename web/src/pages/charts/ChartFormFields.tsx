// The explorer's inputs: source, aggregate, field, where (+ language),
// group by, granularity, display type. Controlled by the page.
import type { Source } from '../../api/types';
import { AGG_FNS, DISPLAY_TYPES, GRANULARITIES, type AggFn, type DisplayType } from './chartData';
import type { ChartForm } from './chartForm';

const DISPLAY_LABELS: Record<DisplayType, string> = {
  line: 'Line',
  stacked_bar: 'Stacked bars',
  number: 'Number',
  table: 'Table',
};

const AGG_LABELS: Record<string, string> = {
  count: 'Count of rows',
  sum: 'Sum',
  avg: 'Average',
  min: 'Minimum',
  max: 'Maximum',
  count_distinct: 'Count distinct',
  p50: 'p50 (median)',
  p90: 'p90',
  p95: 'p95',
  p99: 'p99',
};

// Column names a source declares (Duration, ServiceName, …): field hints.
export function fieldSuggestions(source: Source | undefined): string[] {
  if (!source) return [];
  const names = new Set<string>();
  for (const [key, value] of Object.entries(source)) {
    if (key.endsWith('Expression') && typeof value === 'string' && /^[A-Za-z_][\w.]*$/.test(value)) names.add(value);
  }
  return [...names].sort();
}

interface Props {
  form: ChartForm;
  sources: Source[];
  onChange: (form: ChartForm) => void;
}

export default function ChartFormFields({ form, sources, onChange }: Props) {
  const set = <K extends keyof ChartForm>(key: K, value: ChartForm[K]) => onChange({ ...form, [key]: value });
  const source = sources.find((s) => s.id === form.sourceId);
  const suggestions = fieldSuggestions(source);
  const isNumber = form.displayType === 'number';

  return (
    <div className="chart-form-grid">
      <label>
        <span>Source</span>
        <select value={form.sourceId} onChange={(e) => set('sourceId', e.target.value)} required>
          {!source && <option value="">{form.sourceId ? `Unknown source ${form.sourceId}` : 'Choose a source'}</option>}
          {sources.map((s) => (
            <option key={s.id} value={s.id}>
              {s.name} ({s.kind})
            </option>
          ))}
        </select>
      </label>
      <label>
        <span>Aggregate</span>
        <select value={form.aggFn} onChange={(e) => set('aggFn', e.target.value as AggFn)}>
          {AGG_FNS.map((fn) => (
            <option key={fn} value={fn}>
              {AGG_LABELS[fn]}
            </option>
          ))}
        </select>
      </label>
      <label>
        <span>Field</span>
        <input
          value={form.aggFn === 'count' ? '' : form.field}
          onChange={(e) => set('field', e.target.value)}
          disabled={form.aggFn === 'count'}
          placeholder={form.aggFn === 'count' ? 'not needed for count' : 'e.g. Duration, http.status_code'}
          list="chart-field-suggestions"
          spellCheck={false}
        />
        <datalist id="chart-field-suggestions">
          {suggestions.map((f) => (
            <option key={f} value={f} />
          ))}
        </datalist>
      </label>
      <label className="chart-form-where">
        <span>Where</span>
        <input
          value={form.where}
          onChange={(e) => set('where', e.target.value)}
          placeholder={form.whereLanguage === 'sql' ? "ServiceName = 'api' AND Duration > 1000000" : 'ServiceName:api StatusCode:Error'}
          spellCheck={false}
          className="mono"
        />
      </label>
      <label>
        <span>Language</span>
        <select value={form.whereLanguage} onChange={(e) => set('whereLanguage', e.target.value === 'sql' ? 'sql' : 'lucene')}>
          <option value="lucene">Search syntax</option>
          <option value="sql">SQL</option>
        </select>
      </label>
      <label>
        <span>Group by</span>
        <input
          value={isNumber ? '' : form.groupBy}
          onChange={(e) => set('groupBy', e.target.value)}
          placeholder={isNumber ? 'not used by Number' : 'ServiceName, SpanName'}
          disabled={isNumber}
          spellCheck={false}
        />
      </label>
      <label>
        <span>Granularity</span>
        <select
          value={form.granularity}
          onChange={(e) => set('granularity', e.target.value)}
          disabled={form.displayType === 'number' || form.displayType === 'table'}
          title={form.displayType === 'number' || form.displayType === 'table' ? 'Number and Table aggregate the whole range' : undefined}
        >
          {GRANULARITIES.map((g) => (
            <option key={g} value={g}>
              {g === 'auto' ? 'Auto' : g}
            </option>
          ))}
        </select>
      </label>
      <label>
        <span>Display</span>
        <select value={form.displayType} onChange={(e) => set('displayType', e.target.value as DisplayType)}>
          {DISPLAY_TYPES.map((d) => (
            <option key={d} value={d}>
              {DISPLAY_LABELS[d]}
            </option>
          ))}
        </select>
      </label>
    </div>
  );
}
