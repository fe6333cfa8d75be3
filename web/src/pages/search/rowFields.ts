// Reading fields out of whole result rows, the way the server resolves names
// (docs/search.md): a column by name, `Map['key']` or `Map.key` for a key of
// an attribute map, and an unqualified key looked up in the record's own
// attributes, then ResourceAttributes, then ScopeAttributes. Also the
// columns each signal has (src/store/schema/schema.cc) for autocomplete and
// the column chooser, and the attribute keys seen in loaded rows.
import type { Row } from '../../api/types';

export type SignalKind = 'log' | 'trace';

export const SIGNAL_COLUMNS: Record<SignalKind, string[]> = {
  log: [
    'Timestamp', 'ObservedTimestamp', 'TraceId', 'SpanId', 'TraceFlags', 'SeverityText', 'SeverityNumber',
    'ServiceName', 'Body', 'ResourceSchemaUrl', 'ResourceAttributes', 'ResourceDroppedAttributesCount',
    'ScopeSchemaUrl', 'ScopeName', 'ScopeVersion', 'ScopeAttributes', 'ScopeDroppedAttributesCount',
    'LogAttributes', 'DroppedAttributesCount', 'EventName',
  ],
  trace: [
    'Timestamp', 'TraceId', 'SpanId', 'ParentSpanId', 'TraceState', 'SpanName', 'SpanKind', 'ServiceName',
    'ResourceSchemaUrl', 'ResourceAttributes', 'ResourceDroppedAttributesCount', 'ScopeSchemaUrl', 'ScopeName',
    'ScopeVersion', 'ScopeAttributes', 'ScopeDroppedAttributesCount', 'SpanAttributes', 'DroppedAttributesCount',
    'Duration', 'StatusCode', 'StatusMessage', 'Flags', 'Events', 'DroppedEventsCount', 'Links', 'DroppedLinksCount',
  ],
};

// Attribute maps in lookup order for unqualified keys.
export const ATTRIBUTE_MAPS: Record<SignalKind, string[]> = {
  log: ['LogAttributes', 'ResourceAttributes', 'ScopeAttributes'],
  trace: ['SpanAttributes', 'ResourceAttributes', 'ScopeAttributes'],
};

export const DEFAULT_COLUMNS: Record<SignalKind, string[]> = {
  log: ['Timestamp', 'ServiceName', 'SeverityText', 'Body'],
  trace: ['Timestamp', 'ServiceName', 'SpanName', 'Duration', 'StatusCode'],
};

// The level-like column that colours rows and groups the histogram.
export const LEVEL_COLUMN: Record<SignalKind, string> = { log: 'SeverityText', trace: 'StatusCode' };

function isMap(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

// The value of `field` in `row`, or undefined when the row lacks it.
export function getFieldValue(row: Row, field: string, kind: SignalKind): unknown {
  if (field in row) return row[field];
  const bracket = /^([A-Za-z_]\w*)\['((?:[^'\\]|\\.)*)'\]$/.exec(field);
  if (bracket) {
    const map = row[bracket[1]];
    return isMap(map) ? map[bracket[2].replace(/\\(.)/g, '$1')] : undefined;
  }
  const dot = field.indexOf('.');
  if (dot > 0) {
    const map = row[field.slice(0, dot)];
    if (isMap(map) && ATTRIBUTE_MAPS[kind].includes(field.slice(0, dot))) return map[field.slice(dot + 1)];
  }
  for (const name of ATTRIBUTE_MAPS[kind]) {
    const map = row[name];
    if (isMap(map) && field in map) return map[field];
  }
  return undefined;
}

// Text for a table cell: objects as JSON, missing as ''.
export function formatValue(value: unknown): string {
  if (value === undefined || value === null) return '';
  if (typeof value === 'object') return JSON.stringify(value);
  return String(value);
}

// Span Duration (nanoseconds) as milliseconds text: "12.35 ms".
export function formatDurationNs(value: unknown): string {
  const n = typeof value === 'number' ? value : Number(value);
  if (!Number.isFinite(n)) return formatValue(value);
  const ms = n / 1e6;
  const digits = ms >= 100 ? 0 : ms >= 10 ? 1 : ms >= 1 ? 2 : 3;
  return `${ms.toFixed(digits)} ms`;
}

// Attribute keys present in `rows`, most frequent first (ties by name).
export function attributeKeys(rows: Row[], kind: SignalKind): string[] {
  const counts = new Map<string, number>();
  for (const row of rows) {
    for (const name of ATTRIBUTE_MAPS[kind]) {
      const map = row[name];
      if (!isMap(map)) continue;
      for (const key of Object.keys(map)) counts.set(key, (counts.get(key) ?? 0) + 1);
    }
  }
  return [...counts.entries()].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])).map(([k]) => k);
}

// The row's non-map fields, in row order, and its attribute maps.
export function splitRow(row: Row, kind: SignalKind): { top: [string, unknown][]; maps: [string, Record<string, unknown>][] } {
  const top: [string, unknown][] = [];
  const maps: [string, Record<string, unknown>][] = [];
  const mapNames = ATTRIBUTE_MAPS[kind];
  for (const [k, v] of Object.entries(row)) {
    if (mapNames.includes(k) && isMap(v)) continue;
    top.push([k, v]);
  }
  for (const name of mapNames) {
    const v = row[name];
    if (isMap(v)) maps.push([name, v]);
  }
  return { top, maps };
}

// The field name that filters on `key` of map `mapName`: the bare key for
// the record's own attributes (as people type it), qualified otherwise.
export function attributeFilterField(mapName: string, key: string, kind: SignalKind): string {
  return mapName === ATTRIBUTE_MAPS[kind][0] ? key : `${mapName}.${key}`;
}
