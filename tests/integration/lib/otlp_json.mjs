// Hand-built OTLP/JSON request bodies and a raw POST helper, for tests that
// must control the bytes on the wire (auth, malformed input, crash/shutdown
// load) instead of going through the SDK exporters.
//
// Promises: bodies follow the OTLP/JSON mapping (ids as hex strings, 64-bit
// integers as decimal strings, enums as integers).
import { randomBytes } from 'node:crypto';
import { gzipSync } from 'node:zlib';

export function randomTraceId() {
  return randomBytes(16).toString('hex');
}

export function randomSpanId() {
  return randomBytes(8).toString('hex');
}

export function nowNs() {
  return BigInt(Date.now()) * 1000000n;
}

// JS value -> OTLP/JSON AnyValue. Integers become intValue, other numbers
// doubleValue, Uint8Array bytesValue (base64), arrays and plain objects nest.
export function anyValue(value) {
  if (typeof value === 'string') return { stringValue: value };
  if (typeof value === 'boolean') return { boolValue: value };
  if (typeof value === 'bigint') return { intValue: value.toString() };
  if (typeof value === 'number') {
    return Number.isInteger(value) ? { intValue: String(value) } : { doubleValue: value };
  }
  if (value instanceof Uint8Array) return { bytesValue: Buffer.from(value).toString('base64') };
  if (Array.isArray(value)) return { arrayValue: { values: value.map(anyValue) } };
  if (value && typeof value === 'object') return { kvlistValue: { values: keyValues(value) } };
  return {};
}

export function keyValues(obj) {
  return Object.entries(obj).map(([key, value]) => ({ key, value: anyValue(value) }));
}

// records: [{body, attributes, timeNs, severityNumber, severityText, traceId, spanId}]
export function logsRequest({ service, scope = 'itest-raw', records }) {
  return {
    resourceLogs: [
      {
        resource: { attributes: keyValues({ 'service.name': service }) },
        scopeLogs: [
          {
            scope: { name: scope },
            logRecords: records.map((r) => ({
              timeUnixNano: String(r.timeNs ?? nowNs()),
              observedTimeUnixNano: String(r.timeNs ?? nowNs()),
              severityNumber: r.severityNumber ?? 9,
              severityText: r.severityText ?? 'INFO',
              body: anyValue(r.body ?? ''),
              attributes: keyValues(r.attributes ?? {}),
              ...(r.traceId ? { traceId: r.traceId } : {}),
              ...(r.spanId ? { spanId: r.spanId } : {}),
            })),
          },
        ],
      },
    ],
  };
}

// spans: [{name, traceId, spanId, parentSpanId, startNs, endNs, attributes, kind}]
export function tracesRequest({ service, scope = 'itest-raw', spans }) {
  return {
    resourceSpans: [
      {
        resource: { attributes: keyValues({ 'service.name': service }) },
        scopeSpans: [
          {
            scope: { name: scope },
            spans: spans.map((s) => {
              const start = s.startNs ?? nowNs();
              return {
                traceId: s.traceId ?? randomTraceId(),
                spanId: s.spanId ?? randomSpanId(),
                ...(s.parentSpanId ? { parentSpanId: s.parentSpanId } : {}),
                name: s.name,
                kind: s.kind ?? 1,
                startTimeUnixNano: String(start),
                endTimeUnixNano: String(s.endNs ?? start + 1000000n),
                attributes: keyValues(s.attributes ?? {}),
                status: {},
              };
            }),
          },
        ],
      },
    ],
  };
}

// One gauge data point per value.
export function metricsRequest({ service, scope = 'itest-raw', name, values }) {
  const t = String(nowNs());
  return {
    resourceMetrics: [
      {
        resource: { attributes: keyValues({ 'service.name': service }) },
        scopeMetrics: [
          {
            scope: { name: scope },
            metrics: [
              {
                name,
                gauge: { dataPoints: values.map((v) => ({ timeUnixNano: t, asDouble: v, attributes: [] })) },
              },
            ],
          },
        ],
      },
    ],
  };
}

// POSTs `body` (an object is JSON-encoded; a string/Buffer is sent as is) to
// baseUrl + path. Options: key (authorization header; null: none),
// contentType, gzip, headers, signal. Resolves {status, headers, text, json}
// (json: the parsed body when it is JSON, else undefined).
export async function post(baseUrl, path, body, options = {}) {
  const { key, contentType = 'application/json', gzip = false, headers = {}, signal } = options;
  let payload = typeof body === 'string' || Buffer.isBuffer(body) ? body : JSON.stringify(body);
  const allHeaders = { 'content-type': contentType, ...headers };
  if (key !== undefined && key !== null) allHeaders.authorization = key;
  if (gzip) {
    payload = gzipSync(payload);
    allHeaders['content-encoding'] = 'gzip';
  }
  const response = await fetch(`${baseUrl}${path}`, { method: 'POST', headers: allHeaders, body: payload, signal });
  const text = await response.text();
  let json;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  return { status: response.status, headers: response.headers, text, json };
}
