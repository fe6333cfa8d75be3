-- ClickHouse 18.16 tables for the query benchmark: the best layout that
-- version offers for the OpenTelemetry exporter's logs and traces tables.
-- 18.16 has neither per-column CODECs nor data-skipping indexes (tokenbf_v1,
-- ngrambf_v1, minmax, set arrived in 19.x), so: zstd for every part through
-- the server's <compression> config (run_query_bench.sh), LowCardinality for
-- the repetitive strings (needs allow_experimental_low_cardinality_type=1),
-- raw FixedString ids, attribute maps as parallel key/value arrays (no Map
-- type yet), ORDER BY (ServiceName, Timestamp), one partition per day.
-- Timestamps are UInt64 nanoseconds (no DateTime64 yet).
-- Column order and names match `otelstack-export-clickhouse --columns`.
CREATE TABLE logs (
  Timestamp UInt64,
  ObservedTimestamp UInt64,
  TraceId FixedString(16),
  SpanId FixedString(8),
  TraceFlags UInt32,
  SeverityText LowCardinality(String),
  SeverityNumber Int32,
  ServiceName LowCardinality(String),
  Body String,
  ResourceSchemaUrl LowCardinality(String),
  ResourceAttributesKeys Array(LowCardinality(String)),
  ResourceAttributesValues Array(LowCardinality(String)),
  ResourceDroppedAttributesCount UInt32,
  ScopeSchemaUrl LowCardinality(String),
  ScopeName LowCardinality(String),
  ScopeVersion LowCardinality(String),
  ScopeAttributesKeys Array(LowCardinality(String)),
  ScopeAttributesValues Array(LowCardinality(String)),
  ScopeDroppedAttributesCount UInt32,
  LogAttributesKeys Array(LowCardinality(String)),
  LogAttributesValues Array(String),
  DroppedAttributesCount UInt32,
  EventName LowCardinality(String)
) ENGINE = MergeTree
PARTITION BY toDate(toDateTime(intDiv(Timestamp, 1000000000)))
ORDER BY (ServiceName, Timestamp);

CREATE TABLE traces (
  Timestamp UInt64,
  TraceId FixedString(16),
  SpanId FixedString(8),
  ParentSpanId FixedString(8),
  TraceState String,
  SpanName LowCardinality(String),
  SpanKind LowCardinality(String),
  ServiceName LowCardinality(String),
  ResourceSchemaUrl LowCardinality(String),
  ResourceAttributesKeys Array(LowCardinality(String)),
  ResourceAttributesValues Array(LowCardinality(String)),
  ResourceDroppedAttributesCount UInt32,
  ScopeSchemaUrl LowCardinality(String),
  ScopeName LowCardinality(String),
  ScopeVersion LowCardinality(String),
  ScopeAttributesKeys Array(LowCardinality(String)),
  ScopeAttributesValues Array(LowCardinality(String)),
  ScopeDroppedAttributesCount UInt32,
  SpanAttributesKeys Array(LowCardinality(String)),
  SpanAttributesValues Array(String),
  DroppedAttributesCount UInt32,
  Duration UInt64,
  StatusCode LowCardinality(String),
  StatusMessage String,
  Flags UInt32,
  EventsTimestamp Array(UInt64),
  EventsName Array(LowCardinality(String)),
  EventsAttributes Array(String),
  DroppedEventsCount UInt32,
  Links String,
  DroppedLinksCount UInt32
) ENGINE = MergeTree
PARTITION BY toDate(toDateTime(intDiv(Timestamp, 1000000000)))
ORDER BY (ServiceName, Timestamp);
