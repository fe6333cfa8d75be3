// OpenTelemetry JS SDK exporters for the three OTLP transports, wrapped so a
// test can see what was exported and whether the server acknowledged it.
//
// Promises: makeExporter(signal, transport, server, opts) returns the real SDK
// exporter configured for `server` (url, authorization header or gRPC
// metadata, optional TLS); recording(exporter) returns {exporter, results,
// exported} where `exporter` delegates everything to the real one and records
// every export's items and ExportResult; `settled()` waits for all exports.
import { Metadata, credentials as grpcCredentials } from '@grpc/grpc-js';
import { ROOT_CONTEXT, trace } from '@opentelemetry/api';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { BasicTracerProvider } from '@opentelemetry/sdk-trace-base';
import { LoggerProvider } from '@opentelemetry/sdk-logs';
import { OTLPLogExporter as LogsHttp } from '@opentelemetry/exporter-logs-otlp-http';
import { OTLPLogExporter as LogsProto } from '@opentelemetry/exporter-logs-otlp-proto';
import { OTLPLogExporter as LogsGrpc } from '@opentelemetry/exporter-logs-otlp-grpc';
import { OTLPTraceExporter as TracesHttp } from '@opentelemetry/exporter-trace-otlp-http';
import { OTLPTraceExporter as TracesProto } from '@opentelemetry/exporter-trace-otlp-proto';
import { OTLPTraceExporter as TracesGrpc } from '@opentelemetry/exporter-trace-otlp-grpc';
import { OTLPMetricExporter as MetricsHttp } from '@opentelemetry/exporter-metrics-otlp-http';
import { OTLPMetricExporter as MetricsProto } from '@opentelemetry/exporter-metrics-otlp-proto';
import { OTLPMetricExporter as MetricsGrpc } from '@opentelemetry/exporter-metrics-otlp-grpc';

export const TRANSPORTS = ['http/json', 'http/protobuf', 'grpc'];

const CLASSES = {
  logs: { 'http/json': LogsHttp, 'http/protobuf': LogsProto, grpc: LogsGrpc },
  traces: { 'http/json': TracesHttp, 'http/protobuf': TracesProto, grpc: TracesGrpc },
  metrics: { 'http/json': MetricsHttp, 'http/protobuf': MetricsProto, grpc: MetricsGrpc },
};

// ExportResultCode.SUCCESS in @opentelemetry/core.
export const EXPORT_SUCCESS = 0;

// opts: key (null: no authorization), tls: {ca, key?, cert?: PEM Buffers}
// (https / SSL credentials; key and cert: a client certificate for mTLS),
// extra: more exporter options.
export function makeExporter(signal, transport, server, { key, tls, extra = {} } = {}) {
  const Exporter = CLASSES[signal][transport];
  if (transport === 'grpc') {
    const metadata = new Metadata();
    if (key !== null && key !== undefined) metadata.set('authorization', key);
    return new Exporter({
      url: server.grpcUrl(tls ? 'https' : 'http'),
      metadata,
      credentials: tls ? grpcCredentials.createSsl(tls.ca, tls.key, tls.cert) : grpcCredentials.createInsecure(),
      timeoutMillis: 20000,
      ...extra,
    });
  }
  const headers = {};
  if (key !== null && key !== undefined) headers.authorization = key;
  return new Exporter({
    url: `${server.httpUrl(tls ? 'https' : 'http')}/v1/${signal}`,
    headers,
    timeoutMillis: 20000,
    ...(tls ? { httpAgentOptions: { ca: tls.ca, key: tls.key, cert: tls.cert } } : {}),
    ...extra,
  });
}

export function recording(exporter) {
  const results = [];
  const exported = [];
  const pending = [];
  const wrappedExport = (items, callback) => {
    exported.push(items);
    pending.push(
      new Promise((resolve) => {
        exporter.export(items, (result) => {
          results.push(result);
          callback(result);
          resolve();
        });
      }),
    );
  };
  const proxy = new Proxy(exporter, {
    get(target, prop) {
      if (prop === 'export') return wrappedExport;
      const value = target[prop];
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
  // Resolves once every export started so far has completed (processors'
  // forceFlush does not always wait for exports already handed over).
  const settled = () => Promise.all(pending);
  return { exporter: proxy, results, exported, settled };
}

// Exports `items` once through `exporter` and resolves with the ExportResult.
export function exportOnce(exporter, items) {
  return new Promise((resolve) => exporter.export(items, resolve));
}

// Throws unless every recorded export succeeded (and there was at least one).
export function assertAllExported(rec, what) {
  if (rec.results.length === 0) throw new Error(`${what}: the SDK exported nothing`);
  const failed = rec.results.filter((r) => r.code !== EXPORT_SUCCESS);
  if (failed.length > 0) {
    const errors = failed.map((r) => (r.error ? `${r.error.message} (code ${r.error.code})` : 'no error')).join('; ');
    throw new Error(`${what}: ${failed.length}/${rec.results.length} exports failed: ${errors}`);
  }
}

// Finished ReadableLogRecords built by the real SDK (LoggerProvider + Logger),
// ready to hand to an exporter: one per element of `emits` (api-logs
// LogRecord objects, e.g. {body, attributes, severityNumber}).
export function makeLogRecords(service, emits, scope = 'itest') {
  const captured = [];
  const provider = new LoggerProvider({
    resource: resourceFromAttributes({ 'service.name': service }),
    processors: [{ onEmit: (r) => captured.push(r), forceFlush: async () => {}, shutdown: async () => {} }],
  });
  const logger = provider.getLogger(scope);
  for (const e of emits) logger.emit(e);
  return captured;
}

// Ended spans of one trace (a root named names[0] and one child per other
// name) of `service`, ready to hand to a trace exporter.
export function makeSpans(service, names) {
  const captured = [];
  const provider = new BasicTracerProvider({
    resource: resourceFromAttributes({ 'service.name': service }),
    spanProcessors: [
      { onStart() {}, onEnd: (s) => captured.push(s), forceFlush: async () => {}, shutdown: async () => {} },
    ],
  });
  const tracer = provider.getTracer('itest.e2e');
  const root = tracer.startSpan(names[0], {}, ROOT_CONTEXT);
  for (const name of names.slice(1)) tracer.startSpan(name, {}, trace.setSpan(ROOT_CONTEXT, root)).end();
  root.end();
  return captured;
}
