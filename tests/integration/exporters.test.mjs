// Every signal through every OTLP transport with the official JS SDK
// exporters; every field the SDK sends is read back with `otelstack search`.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';

import {
  ROOT_CONTEXT,
  SpanKind,
  SpanStatusCode,
  TraceFlags,
  ValueType,
  createTraceState,
  trace,
} from '@opentelemetry/api';
import { SeverityNumber } from '@opentelemetry/api-logs';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { LoggerProvider, SimpleLogRecordProcessor } from '@opentelemetry/sdk-logs';
import { BasicTracerProvider, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { AggregationType, MeterProvider, PeriodicExportingMetricReader } from '@opentelemetry/sdk-metrics';

import { KEY, hrTimeToNs, rfc3339ToNs, search, startServer } from './lib/harness.mjs';
import { randomSpanId, randomTraceId } from './lib/otlp_json.mjs';
import { TRANSPORTS, assertAllExported, makeExporter, recording } from './lib/sdk.mjs';

const RESOURCE_SCHEMA = 'https://opentelemetry.io/schemas/1.30.0';
const SCOPE_SCHEMA = 'https://example.com/itest/scope-schema';

const nsToHr = (ns) => [Number(ns / 1000000000n), Number(ns % 1000000000n)];
const tagOf = (transport) => transport.replace('/', '-');

function resourceFor(service) {
  return resourceFromAttributes(
    { 'service.name': service, 'deployment.environment': 'itest', 'res.int': 7, 'res.list': ['r1', 'r2'] },
    { schemaUrl: RESOURCE_SCHEMA },
  );
}

const EXPECTED_RESOURCE = (service) => ({
  'service.name': service,
  'deployment.environment': 'itest',
  'res.int': 7,
  'res.list': ['r1', 'r2'],
});

function byKey(rows, keyOf) {
  const map = new Map();
  for (const row of rows) {
    const key = keyOf(row);
    assert.ok(!map.has(key), `duplicate row for ${key}: ${JSON.stringify(row)}`);
    map.set(key, row);
  }
  return map;
}

// Asserts a JSON number read back for a 64-bit nanosecond value is within a
// microsecond (JSON.parse turns integers above 2^53 into doubles).
function assertNsClose(actual, expectedNs, what) {
  assert.equal(typeof actual, 'number', `${what}: expected a number, got ${JSON.stringify(actual)}`);
  const diff = Math.abs(actual - Number(expectedNs));
  assert.ok(diff < 1000, `${what}: ${actual} differs from ${expectedNs} by ${diff} ns`);
}

describe('SDK exporters -> otelstack search', () => {
  let server;

  before(async () => {
    server = await startServer(null);
  });

  after(async () => {
    if (server?.running) await server.stop();
  });

  for (const transport of TRANSPORTS) {
    test(`logs over ${transport}`, async () => {
      const service = `itest-logs-${tagOf(transport)}`;
      const rec = recording(makeExporter('logs', transport, server, { key: KEY }));
      const provider = new LoggerProvider({
        resource: resourceFor(service),
        processors: [new SimpleLogRecordProcessor({ exporter: rec.exporter })],
      });
      const logger = provider.getLogger('itest.logs.scope', '1.2.3', {
        schemaUrl: SCOPE_SCHEMA,
        attributes: { 'scope.attr': 'sv', 'scope.n': 5 },
      });

      const traceId = randomTraceId();
      const spanId = randomSpanId();
      const spanCtx = trace.setSpanContext(ROOT_CONTEXT, { traceId, spanId, traceFlags: TraceFlags.SAMPLED });
      const t0 = BigInt(Date.now() - 60000) * 1000000n + 123457n;
      const observed0 = t0 + 1000000789n;
      const attributes = {
        'itest.id': 'plain',
        str: 'value',
        'str.empty': '',
        int: 42,
        neg: -7,
        big: 2 ** 40,
        dbl: 3.25,
        'bool.true': true,
        'bool.false': false,
        strs: ['a', 'b', 'c'],
        ints: [1, 2, 3],
        dbls: [1.5, -2.5],
        mixed: ['x', 1, false, 0.5],
        bytes: new Uint8Array([0xde, 0xad, 0xbe, 0xef]),
        nested: { level1: { level2: 'deep', n: 1 }, list: [{ k: 'v' }, [1, 2]] },
      };
      logger.emit({
        timestamp: nsToHr(t0),
        observedTimestamp: nsToHr(observed0),
        severityNumber: SeverityNumber.WARN,
        severityText: 'WARN',
        body: `hello from ${transport} \u00e9\u4e2d "quoted"\n`,
        attributes,
        context: spanCtx,
      });
      const structuredBody = {
        msg: 'structured',
        n: 3,
        f: 2.5,
        ok: true,
        nested: { list: [1, 'two', true, 4.5], deeper: { x: 'y' } },
        raw: new Uint8Array([1, 2, 3]),
      };
      const t1 = t0 + 5000000n;
      logger.emit({
        timestamp: nsToHr(t1),
        severityNumber: SeverityNumber.ERROR2,
        severityText: 'ERROR2',
        body: structuredBody,
        attributes: { 'itest.id': 'structured' },
        eventName: 'itest.event',
      });
      await provider.forceFlush();
      await rec.settled();
      assertAllExported(rec, `logs over ${transport}`);
      await provider.shutdown();
      const sent = rec.exported.flat();
      assert.equal(sent.length, 2, 'the SDK exported both records');
      const sentStructured = sent.find((r) => r.attributes['itest.id'] === 'structured');

      const rows = await search(server.dataDir, { signal: 'logs', service, limit: 100 });
      assert.equal(rows.length, 2, `expected 2 log rows for ${service}, got ${JSON.stringify(rows)}`);
      const byId = byKey(rows, (r) => r.LogAttributes?.['itest.id']);
      // Newest first: the structured record has the later Timestamp.
      assert.equal(rows[0].LogAttributes['itest.id'], 'structured', 'rows are ordered newest first');

      const plain = byId.get('plain');
      assert.ok(plain, 'the plain record is found');
      assert.equal(rfc3339ToNs(plain.Timestamp), t0);
      assert.equal(rfc3339ToNs(plain.ObservedTimestamp), observed0);
      assert.equal(plain.TraceId, traceId);
      assert.equal(plain.SpanId, spanId);
      assert.equal(plain.TraceFlags, 1);
      assert.equal(plain.SeverityText, 'WARN');
      assert.equal(plain.SeverityNumber, 13);
      assert.equal(plain.ServiceName, service);
      assert.equal(plain.Body, `hello from ${transport} \u00e9\u4e2d "quoted"\n`);
      assert.equal(plain.ResourceSchemaUrl, RESOURCE_SCHEMA);
      assert.deepEqual(plain.ResourceAttributes, EXPECTED_RESOURCE(service));
      assert.equal(plain.ResourceDroppedAttributesCount, 0);
      assert.equal(plain.ScopeName, 'itest.logs.scope');
      assert.equal(plain.ScopeVersion, '1.2.3');
      assert.equal(plain.ScopeSchemaUrl, SCOPE_SCHEMA);
      assert.deepEqual(plain.ScopeAttributes, { 'scope.attr': 'sv', 'scope.n': 5 });
      assert.deepEqual(plain.LogAttributes, { ...attributes, bytes: '3q2+7w==' });
      assert.equal(plain.DroppedAttributesCount, 0);
      assert.equal(plain.EventName, '');

      const structured = byId.get('structured');
      assert.ok(structured, 'the structured record is found');
      assert.equal(rfc3339ToNs(structured.Timestamp), t1);
      // No explicit observed time: the SDK stamps one at emit time.
      assert.equal(rfc3339ToNs(structured.ObservedTimestamp), hrTimeToNs(sentStructured.hrTimeObserved));
      assert.equal(structured.TraceId, '');
      assert.equal(structured.SpanId, '');
      assert.equal(structured.TraceFlags, 0);
      assert.equal(structured.SeverityText, 'ERROR2');
      assert.equal(structured.SeverityNumber, 18);
      assert.deepEqual(structured.Body, { ...structuredBody, raw: 'AQID' });
      assert.equal(structured.EventName, 'itest.event');
      assert.equal(structured.ServiceName, service);
    });

    test(`traces over ${transport}`, async () => {
      const service = `itest-traces-${tagOf(transport)}`;
      const rec = recording(makeExporter('traces', transport, server, { key: KEY }));
      const provider = new BasicTracerProvider({
        resource: resourceFor(service),
        spanProcessors: [new SimpleSpanProcessor(rec.exporter)],
      });
      const tracer = provider.getTracer('itest.traces.scope', '2.0.0', { schemaUrl: SCOPE_SCHEMA });

      const traceId = randomTraceId();
      const remoteSpanId = randomSpanId();
      const traceState = createTraceState('vendor=itest,k2=v2');
      const remoteCtx = trace.setSpanContext(ROOT_CONTEXT, {
        traceId,
        spanId: remoteSpanId,
        traceFlags: TraceFlags.SAMPLED,
        isRemote: true,
        traceState,
      });
      const base = BigInt(Date.now() - 60000) * 1000000n + 111n;
      const spanAttributes = {
        'http.method': 'GET',
        'http.status_code': 200,
        ratio: 0.75,
        ok: true,
        tags: ['a', 'b'],
        codes: [1, 2],
        flags: [true, false],
        ratios: [0.5, 1.5],
      };
      const parent = tracer.startSpan(
        'GET /itest',
        { kind: SpanKind.SERVER, attributes: spanAttributes, startTime: nsToHr(base) },
        remoteCtx,
      );
      const linked = { traceId: randomTraceId(), spanId: randomSpanId(), traceFlags: TraceFlags.SAMPLED };
      const child = tracer.startSpan(
        'db query',
        {
          kind: SpanKind.CLIENT,
          startTime: nsToHr(base + 1000000n),
          links: [{ context: linked, attributes: { 'link.attr': 'l1', 'link.n': 2 } }],
        },
        trace.setSpan(remoteCtx, parent),
      );
      child.addEvent('cache.miss', { 'event.key': 'k1', 'event.n': 3, 'event.ok': false }, nsToHr(base + 2000000n));
      child.addEvent('retry', {}, nsToHr(base + 3000000n));
      child.setStatus({ code: SpanStatusCode.ERROR, message: 'boom: connection refused' });
      child.end(nsToHr(base + 250123456n));
      parent.setStatus({ code: SpanStatusCode.OK });
      parent.end(nsToHr(base + 1234567891n));

      // A span timed by the SDK's own clock.
      const timed = tracer.startSpan('timed', { kind: SpanKind.PRODUCER });
      await new Promise((r) => setTimeout(r, 30));
      timed.end();

      await provider.forceFlush();
      await rec.settled();
      assertAllExported(rec, `traces over ${transport}`);
      await provider.shutdown();
      const sent = rec.exported.flat();
      assert.equal(sent.length, 3, 'the SDK exported all three spans');
      const sentTimed = sent.find((s) => s.name === 'timed');
      const timedNs = hrTimeToNs(sentTimed.endTime) - hrTimeToNs(sentTimed.startTime);

      const rows = await search(server.dataDir, { signal: 'traces', service, limit: 100 });
      assert.equal(rows.length, 3, `expected 3 span rows for ${service}, got ${JSON.stringify(rows)}`);
      const byName = byKey(rows, (r) => r.SpanName);
      assert.equal(rows[0].SpanName, 'timed', 'rows are ordered newest first');

      const p = byName.get('GET /itest');
      assert.ok(p, 'the parent span is found');
      assert.equal(rfc3339ToNs(p.Timestamp), base);
      assert.equal(p.TraceId, traceId);
      assert.equal(p.SpanId, parent.spanContext().spanId);
      assert.equal(p.ParentSpanId, remoteSpanId);
      assert.equal(p.TraceState, traceState.serialize());
      assert.equal(p.SpanKind, 'Server');
      assert.equal(p.ServiceName, service);
      assert.equal(p.ResourceSchemaUrl, RESOURCE_SCHEMA);
      assert.deepEqual(p.ResourceAttributes, EXPECTED_RESOURCE(service));
      assert.equal(p.ScopeName, 'itest.traces.scope');
      assert.equal(p.ScopeVersion, '2.0.0');
      assert.equal(p.ScopeSchemaUrl, SCOPE_SCHEMA);
      assert.deepEqual(p.SpanAttributes, spanAttributes);
      assert.equal(p.DroppedAttributesCount, 0);
      assert.equal(p.Duration, 1234567891);
      assert.equal(p.StatusCode, 'Ok');
      assert.equal(p.StatusMessage, '');
      // W3C sampled flag | HAS_IS_REMOTE | IS_REMOTE (the parent is remote).
      assert.equal(p.Flags, 0x301);
      assert.deepEqual(p.Events, []);
      assert.deepEqual(p.Links, []);
      assert.equal(p.DroppedEventsCount, 0);
      assert.equal(p.DroppedLinksCount, 0);

      const c = byName.get('db query');
      assert.ok(c, 'the child span is found');
      assert.equal(rfc3339ToNs(c.Timestamp), base + 1000000n);
      assert.equal(c.TraceId, traceId);
      assert.equal(c.SpanId, child.spanContext().spanId);
      assert.equal(c.ParentSpanId, parent.spanContext().spanId);
      assert.equal(c.SpanKind, 'Client');
      assert.equal(c.Duration, 249123456);
      assert.equal(c.StatusCode, 'Error');
      assert.equal(c.StatusMessage, 'boom: connection refused');
      assert.equal(c.Flags, 0x101);
      assert.deepEqual(c.SpanAttributes, {});
      assert.ok(Array.isArray(c.Events), `Events is an array: ${JSON.stringify(c.Events)}`);
      assert.equal(c.Events.length, 2);
      assert.equal(c.Events[0].Name, 'cache.miss');
      assertNsClose(c.Events[0].Timestamp, base + 2000000n, 'event 0 Timestamp');
      assert.deepEqual(c.Events[0].Attributes, { 'event.key': 'k1', 'event.n': 3, 'event.ok': false });
      assert.equal(c.Events[0].DroppedAttributesCount, 0);
      assert.equal(c.Events[1].Name, 'retry');
      assertNsClose(c.Events[1].Timestamp, base + 3000000n, 'event 1 Timestamp');
      assert.deepEqual(c.Events[1].Attributes, {});
      assert.ok(Array.isArray(c.Links), `Links is an array: ${JSON.stringify(c.Links)}`);
      assert.equal(c.Links.length, 1);
      assert.equal(c.Links[0].TraceId, linked.traceId, 'link ids are hex like the TraceId column');
      assert.equal(c.Links[0].SpanId, linked.spanId);
      assert.deepEqual(c.Links[0].Attributes, { 'link.attr': 'l1', 'link.n': 2 });
      if ('TraceState' in c.Links[0]) assert.equal(c.Links[0].TraceState, '');
      if ('DroppedAttributesCount' in c.Links[0]) assert.equal(c.Links[0].DroppedAttributesCount, 0);

      const tm = byName.get('timed');
      assert.ok(tm, 'the timed span is found');
      assert.notEqual(tm.TraceId, traceId, 'a root span starts a new trace');
      assert.equal(tm.ParentSpanId, '');
      assert.equal(tm.SpanKind, 'Producer');
      assert.equal(tm.StatusCode, 'Unset');
      assert.equal(tm.Flags, 0x101);
      assert.equal(BigInt(tm.Duration), timedNs);
      assert.ok(tm.Duration >= 25e6 && tm.Duration < 10e9, `timed span Duration ${tm.Duration} ns is about 30 ms`);
      assert.equal(rfc3339ToNs(tm.Timestamp), hrTimeToNs(sentTimed.startTime));
    });

    test(`metrics over ${transport}`, async () => {
      const service = `itest-metrics-${tagOf(transport)}`;
      const rec = recording(makeExporter('metrics', transport, server, { key: KEY }));
      const reader = new PeriodicExportingMetricReader({
        exporter: rec.exporter,
        exportIntervalMillis: 3600000,
        exportTimeoutMillis: 30000,
      });
      const provider = new MeterProvider({
        resource: resourceFor(service),
        readers: [reader],
        views: [{ instrumentName: 'itest.exphist', aggregation: { type: AggregationType.EXPONENTIAL_HISTOGRAM } }],
      });
      const meter = provider.getMeter('itest.metrics.scope', '3.0.0');

      const counter = meter.createCounter('itest.counter', {
        description: 'counts things',
        unit: '{thing}',
        valueType: ValueType.INT,
      });
      counter.add(5, { route: '/a' });
      counter.add(7, { route: '/a' });
      counter.add(1, { route: '/b' });
      const upDown = meter.createUpDownCounter('itest.updown', { valueType: ValueType.DOUBLE });
      upDown.add(10.5, { pool: 'p1' });
      upDown.add(-3.25, { pool: 'p1' });
      const histogram = meter.createHistogram('itest.histogram', {
        unit: 'ms',
        advice: { explicitBucketBoundaries: [1, 10, 100] },
      });
      for (const v of [0.5, 5, 7, 50, 500]) histogram.record(v, { op: 'read' });
      const gauge = meter.createObservableGauge('itest.gauge', { description: 'observed' });
      gauge.addCallback((result) => {
        result.observe(42.5, { core: '0' });
        result.observe(17.25, { core: '1' });
      });
      const expHist = meter.createHistogram('itest.exphist');
      for (const v of [0, 1, 2, 4, 8]) expHist.record(v);

      // shutdown() collects and exports exactly once.
      await provider.shutdown();
      await rec.settled();
      assertAllExported(rec, `metrics over ${transport}`);
      assert.equal(rec.exported.length, 1, 'one export');
      const sentMetrics = new Map(
        rec.exported[0].scopeMetrics.flatMap((sm) => sm.metrics).map((m) => [m.descriptor.name, m]),
      );

      const rows = await search(server.dataDir, { signal: 'metrics', service, limit: 1000 });
      const rowsOf = (name) => rows.filter((r) => r.MetricName === name);
      assert.equal(rows.length, 7, `expected 7 data point rows for ${service}, got ${JSON.stringify(rows)}`);
      for (const row of rows) {
        assert.equal(row.ServiceName, service);
        assert.deepEqual(row.ResourceAttributes, EXPECTED_RESOURCE(service));
        assert.equal(row.ResourceSchemaUrl, RESOURCE_SCHEMA);
        assert.equal(row.ScopeName, 'itest.metrics.scope');
        assert.equal(row.ScopeVersion, '3.0.0');
        const sent = sentMetrics.get(row.MetricName);
        assert.ok(sent, `row for a metric the SDK exported: ${row.MetricName}`);
        const point = sent.dataPoints.find((dp) => JSON.stringify(dp.attributes) === JSON.stringify(row.Attributes));
        assert.ok(point, `${row.MetricName}: row attributes ${JSON.stringify(row.Attributes)} match a data point`);
        assert.equal(rfc3339ToNs(row.TimeUnix), hrTimeToNs(point.endTime), `${row.MetricName} TimeUnix`);
        assert.equal(rfc3339ToNs(row.StartTimeUnix), hrTimeToNs(point.startTime), `${row.MetricName} StartTimeUnix`);
      }

      const counterRows = byKey(rowsOf('itest.counter'), (r) => r.Attributes.route);
      assert.equal(counterRows.size, 2);
      for (const [route, value] of [['/a', 12], ['/b', 1]]) {
        const r = counterRows.get(route);
        assert.ok(r, `counter point for ${route}`);
        assert.equal(r.MetricType, 'Sum');
        assert.equal(r.MetricDescription, 'counts things');
        assert.equal(r.MetricUnit, '{thing}');
        assert.equal(r.IsMonotonic, 1);
        assert.equal(r.AggregationTemporality, 2, 'cumulative');
        assert.equal(r.IsIntValue, 1);
        assert.equal(r.IntValue, value);
      }

      const [ud] = rowsOf('itest.updown');
      assert.ok(ud, 'up-down counter point');
      assert.equal(ud.MetricType, 'Sum');
      assert.equal(ud.IsMonotonic, 0);
      assert.equal(ud.AggregationTemporality, 2);
      assert.equal(ud.IsIntValue, 0);
      assert.equal(ud.Value, 7.25);
      assert.deepEqual(ud.Attributes, { pool: 'p1' });

      const [h] = rowsOf('itest.histogram');
      assert.ok(h, 'histogram point');
      assert.equal(h.MetricType, 'Histogram');
      assert.equal(h.MetricUnit, 'ms');
      assert.equal(h.AggregationTemporality, 2);
      assert.equal(h.Count, 5);
      assert.equal(h.Sum, 562.5);
      assert.equal(h.Min, 0.5);
      assert.equal(h.Max, 500);
      assert.deepEqual(h.BucketCounts, [1, 2, 1, 1]);
      assert.deepEqual(h.ExplicitBounds, [1, 10, 100]);
      assert.deepEqual(h.Attributes, { op: 'read' });

      const gauges = byKey(rowsOf('itest.gauge'), (r) => r.Attributes.core);
      assert.equal(gauges.size, 2);
      for (const [core, value] of [['0', 42.5], ['1', 17.25]]) {
        const g = gauges.get(core);
        assert.ok(g, `gauge point for core ${core}`);
        assert.equal(g.MetricType, 'Gauge');
        assert.equal(g.MetricDescription, 'observed');
        assert.equal(g.IsIntValue, 0);
        assert.equal(g.Value, value);
      }

      const [e] = rowsOf('itest.exphist');
      assert.ok(e, 'exponential histogram point');
      const sentExp = sentMetrics.get('itest.exphist').dataPoints[0].value;
      assert.equal(e.MetricType, 'ExponentialHistogram');
      assert.equal(e.AggregationTemporality, 2);
      assert.equal(e.Count, 5);
      assert.equal(e.Sum, 15);
      assert.equal(e.Min, 0);
      assert.equal(e.Max, 8);
      assert.equal(e.ZeroCount, 1);
      assert.equal(e.Scale, sentExp.scale);
      assert.equal(e.PositiveOffset, sentExp.positive.offset);
      assert.deepEqual(e.PositiveBucketCounts, sentExp.positive.bucketCounts);
      assert.equal(
        e.PositiveBucketCounts.reduce((a, b) => a + b, 0),
        4,
        'the four positive values are in positive buckets',
      );
      assert.ok(
        e.NegativeBucketCounts === null ||
          (Array.isArray(e.NegativeBucketCounts) && e.NegativeBucketCounts.length === 0),
        `no negative buckets: ${JSON.stringify(e.NegativeBucketCounts)}`,
      );
    });
  }
});
