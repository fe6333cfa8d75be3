// Turns dataset records (dataset.mjs) into OTLP/JSON export requests and
// sends them to an otelstack server.
//
// Promises: one request per batch, records grouped by resource and scope as
// an SDK would; typed attribute values keep their OTLP type (intValue,
// boolValue, stringValue); 64-bit integers are decimal strings.
import { keyValues, post } from '../lib/otlp_json.mjs';

function groupBy(records, keyOf) {
  const groups = new Map();
  for (const r of records) {
    const key = keyOf(r);
    if (!groups.has(key)) groups.set(key, []);
    groups.get(key).push(r);
  }
  return groups;
}

const resourceKey = (r) => JSON.stringify(r.resource.attributes);

export function logsRequest(records) {
  const resourceLogs = [];
  for (const group of groupBy(records, resourceKey).values()) {
    const scopeLogs = [];
    for (const [scope, recs] of groupBy(group, (r) => r.scope)) {
      scopeLogs.push({
        scope: { name: scope },
        logRecords: recs.map((r) => ({
          timeUnixNano: String(r.timeNs),
          observedTimeUnixNano: String(r.observedNs),
          severityNumber: r.severityNumber,
          severityText: r.severityText,
          body: { stringValue: r.body },
          attributes: keyValues(r.attributes),
          ...(r.traceId ? { traceId: r.traceId, spanId: r.spanId } : {}),
        })),
      });
    }
    resourceLogs.push({ resource: { attributes: keyValues(group[0].resource.attributes) }, scopeLogs });
  }
  return { resourceLogs };
}

export function tracesRequest(spans) {
  const resourceSpans = [];
  for (const group of groupBy(spans, resourceKey).values()) {
    resourceSpans.push({
      resource: { attributes: keyValues(group[0].resource.attributes) },
      scopeSpans: [
        {
          scope: { name: 'diff-tracer' },
          spans: group.map((s) => ({
            traceId: s.traceId,
            spanId: s.spanId,
            ...(s.parentSpanId ? { parentSpanId: s.parentSpanId } : {}),
            name: s.name,
            kind: s.kind,
            startTimeUnixNano: String(s.startNs),
            endTimeUnixNano: String(s.startNs + s.durationNs),
            attributes: keyValues(s.attributes),
            status: s.statusCode ? { code: s.statusCode, message: s.statusMessage } : {},
          })),
        },
      ],
    });
  }
  return { resourceSpans };
}

function dataPoint(p) {
  const base = {
    attributes: keyValues(p.attributes),
    startTimeUnixNano: String(p.startTimeNs),
    timeUnixNano: String(p.timeNs),
  };
  if (p.type === 'Histogram') {
    return {
      ...base,
      count: String(p.count),
      sum: p.sum,
      ...(p.min !== undefined ? { min: p.min, max: p.max } : {}),
      bucketCounts: p.bucketCounts.map(String),
      explicitBounds: p.explicitBounds,
    };
  }
  return p.intValue !== undefined ? { ...base, asInt: String(p.intValue) } : { ...base, asDouble: p.value };
}

export function metricsRequest(points) {
  const resourceMetrics = [];
  for (const group of groupBy(points, resourceKey).values()) {
    const metrics = [];
    for (const [, pts] of groupBy(group, (p) => p.name)) {
      const m = pts[0];
      const metric = { name: m.name, description: m.description, unit: m.unit };
      const dataPoints = pts.map(dataPoint);
      if (m.type === 'Gauge') metric.gauge = { dataPoints };
      else if (m.type === 'Sum') {
        metric.sum = { dataPoints, aggregationTemporality: m.temporality, isMonotonic: m.isMonotonic };
      } else metric.histogram = { dataPoints, aggregationTemporality: m.temporality };
      metrics.push(metric);
    }
    resourceMetrics.push({
      resource: { attributes: keyValues(group[0].resource.attributes) },
      scopeMetrics: [{ scope: { name: 'diff-meter' }, metrics }],
    });
  }
  return { resourceMetrics };
}

const ENDPOINTS = {
  logs: ['/v1/logs', logsRequest],
  traces: ['/v1/traces', tracesRequest],
  metrics: ['/v1/metrics', metricsRequest],
};

// POSTs `records` of `signal` in batches of batchSize (in the given order);
// throws on any non-200 answer or partial success.
export async function sendSignal(baseUrl, key, signal, records, { batchSize = 500 } = {}) {
  const [path, build] = ENDPOINTS[signal];
  for (let i = 0; i < records.length; i += batchSize) {
    const body = build(records.slice(i, i + batchSize));
    const res = await post(baseUrl, path, body, { key });
    if (res.status !== 200) {
      throw new Error(`POST ${path} batch ${i / batchSize} answered ${res.status}: ${res.text.slice(0, 500)}`);
    }
    const rejected = res.json?.partialSuccess?.rejectedLogRecords ?? res.json?.partialSuccess?.rejectedSpans ??
      res.json?.partialSuccess?.rejectedDataPoints;
    if (rejected && Number(rejected) !== 0) {
      throw new Error(`POST ${path} batch ${i / batchSize}: partial success, ${rejected} rejected: ${res.text}`);
    }
  }
}
