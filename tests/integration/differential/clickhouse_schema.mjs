// The ClickHouse mirror of otelstack's logs/traces/metrics tables, for
// ClickHouse 18.16 (no Map type, no DateTime64).
//
// Promises:
//   - TABLES: CREATE TABLE statements (tables `logs`, `traces`, `metrics`).
//     Timestamps are UInt64 nanoseconds; attribute maps are parallel arrays
//     `X.keys` / `X.values`, values as strings (ints in decimal, bools as
//     "true"/"false"), which is how otelstack compares and groups attributes.
//   - ALIAS helper columns mirror otelstack's free-text semantics:
//       TextValues  every value free text searches: logs: Body; traces:
//                   SpanName and StatusMessage; metrics: MetricName; plus
//                   every attribute value (record and resource attributes;
//                   the dataset has no scope attributes);
//       TextTokens  their tokens, lower-cased (maximal runs of ASCII letters,
//                   digits and bytes >= 0x80);
//       TextNorm    each value as ' tok1 tok2 ... ' so that a phrase is
//                   `position(v, ' a b ') > 0` for some v.
//   - toClickHouseRow(signal, record) maps a dataset.mjs record to one
//     JSONEachRow object.
//   - expandAttributeAccess(sql) rewrites `LogAttributes['k']` (also
//     SpanAttributes, ResourceAttributes, Attributes) into
//     `LogAttributes.values`[indexOf(`LogAttributes.keys`, 'k')] ('' when
//     missing) and `mapContains(X, 'k')` into has(`X.keys`, 'k').

// Token characters complement: ASCII bytes that are not letters or digits.
export const TOKEN_REGEXP = "'[^\\\\x00-/:-@\\\\[-`{-\\\\x7f]+'";

function attrs(name) {
  return `\`${name}.keys\` Array(String), \`${name}.values\` Array(String)`;
}

function textColumns(valuesExpr) {
  const tokensOf = (expr) => `extractAll(lower(${expr}), ${TOKEN_REGEXP})`;
  return [
    `TextValues Array(String) ALIAS ${valuesExpr}`,
    // ClickHouse 18.16 cannot chain ALIAS columns: each one repeats valuesExpr.
    `TextTokens Array(String) ALIAS ${tokensOf(`arrayStringConcat(${valuesExpr}, ' ')`)}`,
    `TextNorm Array(String) ALIAS arrayMap(v -> concat(' ', arrayStringConcat(${tokensOf('v')}, ' '), ' '),\n` +
      `    ${valuesExpr})`,
  ].join(',\n  ');
}

export const TABLES = {
  logs: `CREATE TABLE logs (
  Timestamp UInt64,
  ObservedTimestamp UInt64,
  TraceId String,
  SpanId String,
  SeverityText String,
  SeverityNumber Int32,
  ServiceName String,
  Body String,
  ScopeName String,
  ${attrs('ResourceAttributes')},
  ${attrs('LogAttributes')},
  ${textColumns('arrayConcat([Body], `LogAttributes.values`, `ResourceAttributes.values`)')}
) ENGINE = MergeTree ORDER BY Timestamp`,
  traces: `CREATE TABLE traces (
  Timestamp UInt64,
  TraceId String,
  SpanId String,
  ParentSpanId String,
  SpanName String,
  SpanKind String,
  ServiceName String,
  ${attrs('ResourceAttributes')},
  ${attrs('SpanAttributes')},
  Duration UInt64,
  StatusCode String,
  StatusMessage String,
  ${textColumns('arrayConcat([SpanName, StatusMessage], `SpanAttributes.values`, `ResourceAttributes.values`)')}
) ENGINE = MergeTree ORDER BY Timestamp`,
  metrics: `CREATE TABLE metrics (
  TimeUnix UInt64,
  StartTimeUnix UInt64,
  ServiceName String,
  MetricName String,
  MetricDescription String,
  MetricUnit String,
  MetricType String,
  ${attrs('ResourceAttributes')},
  ${attrs('Attributes')},
  Value Float64,
  IntValue Int64,
  IsIntValue UInt8,
  AggregationTemporality Int32,
  IsMonotonic UInt8,
  Count UInt64,
  Sum Nullable(Float64),
  Min Nullable(Float64),
  Max Nullable(Float64),
  ${textColumns('arrayConcat([MetricName], `Attributes.values`, `ResourceAttributes.values`)')}
) ENGINE = MergeTree ORDER BY TimeUnix`,
};

// The time column of each table.
export const TIME_COLUMN = { logs: 'Timestamp', traces: 'Timestamp', metrics: 'TimeUnix' };

export function attributeString(value) {
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  return String(value);
}

function splitAttrs(name, obj) {
  const entries = Object.entries(obj ?? {});
  return {
    [`${name}.keys`]: entries.map(([k]) => k),
    [`${name}.values`]: entries.map(([, v]) => attributeString(v)),
  };
}

const SPAN_KINDS = ['Unspecified', 'Internal', 'Server', 'Client', 'Producer', 'Consumer'];
const STATUS_CODES = ['Unset', 'Ok', 'Error'];

export function toClickHouseRow(signal, r) {
  switch (signal) {
    case 'logs':
      return {
        Timestamp: String(r.timeNs),
        ObservedTimestamp: String(r.observedNs),
        TraceId: r.traceId,
        SpanId: r.spanId,
        SeverityText: r.severityText,
        SeverityNumber: r.severityNumber,
        ServiceName: r.resource.attributes['service.name'] ?? '',
        Body: r.body,
        ScopeName: r.scope,
        ...splitAttrs('ResourceAttributes', r.resource.attributes),
        ...splitAttrs('LogAttributes', r.attributes),
      };
    case 'traces':
      return {
        Timestamp: String(r.startNs),
        TraceId: r.traceId,
        SpanId: r.spanId,
        ParentSpanId: r.parentSpanId,
        SpanName: r.name,
        SpanKind: SPAN_KINDS[r.kind],
        ServiceName: r.resource.attributes['service.name'] ?? '',
        ...splitAttrs('ResourceAttributes', r.resource.attributes),
        ...splitAttrs('SpanAttributes', r.attributes),
        Duration: String(r.durationNs),
        StatusCode: STATUS_CODES[r.statusCode],
        StatusMessage: r.statusMessage,
      };
    case 'metrics': {
      const isInt = r.intValue !== undefined;
      const isHistogram = r.type === 'Histogram';
      return {
        TimeUnix: String(r.timeNs),
        StartTimeUnix: String(r.startTimeNs),
        ServiceName: r.resource.attributes['service.name'] ?? '',
        MetricName: r.name,
        MetricDescription: r.description,
        MetricUnit: r.unit,
        MetricType: r.type,
        ...splitAttrs('ResourceAttributes', r.resource.attributes),
        ...splitAttrs('Attributes', r.attributes),
        Value: isHistogram ? 0 : isInt ? r.intValue : r.value,
        IntValue: isInt ? r.intValue : 0,
        IsIntValue: isInt ? 1 : 0,
        AggregationTemporality: r.temporality ?? 0,
        IsMonotonic: r.isMonotonic ? 1 : 0,
        Count: isHistogram ? r.count : 0,
        Sum: isHistogram ? r.sum : null,
        Min: isHistogram ? (r.min ?? null) : null,
        Max: isHistogram ? (r.max ?? null) : null,
      };
    }
    default:
      throw new Error(`unknown signal ${signal}`);
  }
}

const MAPS = '(LogAttributes|SpanAttributes|ResourceAttributes|Attributes)';

export function expandAttributeAccess(sql) {
  return sql
    .replace(new RegExp(`\\b${MAPS}\\['((?:[^'\\\\]|\\\\.)*)'\\]`, 'g'), (_, map, key) => {
      return `\`${map}.values\`[indexOf(\`${map}.keys\`, '${key}')]`;
    })
    .replace(new RegExp(`\\bmapContains\\(\\s*${MAPS}\\s*,`, 'g'), (_, map) => `has(\`${map}.keys\`,`);
}

// Creates the three tables (dropping old ones) in `ch` (a clickhouse.mjs server).
export async function createTables(ch) {
  for (const [name, ddl] of Object.entries(TABLES)) {
    await ch.raw(`DROP TABLE IF EXISTS ${name}`);
    await ch.raw(ddl);
  }
}

// Loads dataset records of `signal` into its table.
export async function loadSignal(ch, signal, records, options) {
  await ch.insertJsonEachRow(signal, records.map((r) => toClickHouseRow(signal, r)), options);
}
