// End to end through the app server: register, log in, send data with the
// OpenTelemetry JS SDK using the team's ingestion key (created through the
// API), then find it through /api/v2 with a personal access key: search,
// trace, chart. Also: the per-key rate limit and the query audit log.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';

import { SeverityNumber } from '@opentelemetry/api-logs';

import { KEY, startServer, waitFor } from './lib/harness.mjs';
import { logsRequest, post } from './lib/otlp_json.mjs';
import { AppClient, GOOD_PASSWORD, registerAdmin } from './lib/app_client.mjs';
import { EXPORT_SUCCESS, exportOnce, makeExporter, makeLogRecords, makeSpans } from './lib/sdk.mjs';

const SERVICE = 'e2e-checkout';

describe('app server end to end', () => {
  let server, admin, ingestionKey, personalKey, sources;
  const start = Date.now() - 60_000;

  before(async () => {
    // No seeded ingestion key: the test uses the one it creates through the API.
    server = await startServer(null, { key: null, env: { OTELSTACK_SESSION_SECRET: 'e2e'.repeat(4) + '9f2c7a1e5b3d8f6a0c4e2b7d9a1f3c5e' } });
    admin = await registerAdmin(server, 'Owner@Example.com');
    const login = await new AppClient(server.appUrl()).login('owner@example.com', GOOD_PASSWORD);
    assert.equal(login.status, 200, 'emails are case-insensitive');
    const created = await admin.post('/api/ingestion-keys', { name: 'e2e' });
    assert.equal(created.status, 201, created.text);
    ingestionKey = created.json.raw;
    const pk = await admin.post('/api/me/keys', { name: 'e2e script' });
    assert.equal(pk.status, 201, pk.text);
    personalKey = pk.json.raw;
    sources = (await admin.get('/api/v2/sources', { bearer: personalKey })).json.data;
  });
  after(async () => {
    await server.stop();
  });

  const source = (name) => {
    const s = sources.find((x) => x.name === name);
    assert.ok(s, `source ${name} in ${JSON.stringify(sources.map((x) => x.name))}`);
    return s;
  };

  test('logs sent with the SDK and the team ingestion key are found with a personal key', async () => {
    const exporter = makeExporter('logs', 'http/protobuf', server, { key: ingestionKey });
    const records = makeLogRecords(SERVICE, [
      { severityNumber: SeverityNumber.ERROR, severityText: 'ERROR', body: 'payment declined for order 4711', attributes: { 'order.id': '4711' } },
      { severityNumber: SeverityNumber.INFO, severityText: 'INFO', body: 'order 4712 shipped', attributes: { 'order.id': '4712' } },
    ]);
    const result = await exportOnce(exporter, records);
    assert.equal(result.code, EXPORT_SUCCESS, result.error?.message);
    await exporter.shutdown();

    const res = await admin.post(
      '/api/v2/search',
      { sourceId: source('Logs').id, query: 'declined', whereLanguage: 'lucene', startTime: start, endTime: Date.now() + 60_000, limit: 10 },
      { bearer: personalKey },
    );
    assert.equal(res.status, 200, res.text);
    assert.equal(res.json.data.length, 1, res.text);
    assert.equal(res.json.data[0].Body, 'payment declined for order 4711');
    assert.equal(res.json.data[0].ServiceName, SERVICE);

    const sql = await admin.post(
      '/api/v2/search',
      { sourceId: source('Logs').id, query: "LogAttributes['order.id'] = '4712'", whereLanguage: 'sql', startTime: start, endTime: Date.now() + 60_000 },
      { bearer: personalKey },
    );
    assert.equal(sql.status, 200, sql.text);
    assert.deepEqual(sql.json.data.map((r) => r.Body), ['order 4712 shipped']);
  });

  test('a wrong ingestion key stores nothing', async () => {
    const exporter = makeExporter('logs', 'http/json', server, { key: 'not-a-key-0123456789' });
    const result = await exportOnce(exporter, makeLogRecords(SERVICE, [{ body: 'must not be stored' }]));
    assert.notEqual(result.code, EXPORT_SUCCESS);
    await exporter.shutdown();
    const res = await admin.post(
      '/api/v2/search',
      { sourceId: source('Logs').id, query: '"must not be stored"', startTime: start, endTime: Date.now() + 60_000 },
      { bearer: personalKey },
    );
    assert.equal(res.status, 200, res.text);
    assert.equal(res.json.data.length, 0);
  });

  test('a trace sent with the SDK is assembled by id, and charted', async () => {
    const spans = makeSpans(SERVICE, ['GET /checkout', 'charge card', 'reserve stock']);
    const exporter = makeExporter('traces', 'grpc', server, { key: ingestionKey });
    const result = await exportOnce(exporter, spans);
    assert.equal(result.code, EXPORT_SUCCESS, result.error?.message);
    await exporter.shutdown();
    const traceId = spans[0].spanContext().traceId;

    const res = await admin.get(`/api/v2/traces/${traceId}?sourceId=${source('Traces').id}`, { bearer: personalKey });
    assert.equal(res.status, 200, res.text);
    assert.deepEqual(res.json.spans.map((s) => s.SpanName).sort(), ['GET /checkout', 'charge card', 'reserve stock']);

    const chart = await admin.post(
      '/api/v2/charts/series',
      {
        startTime: start,
        endTime: Date.now() + 60_000,
        granularity: '1 minute',
        series: [{ sourceId: source('Traces').id, aggFn: 'count', where: `ServiceName:${SERVICE}`, groupBy: ['SpanName'] }],
      },
      { bearer: personalKey },
    );
    assert.equal(chart.status, 200, chart.text);
    const total = chart.json.data.reduce((sum, row) => sum + Number(row['series_0.data'] ?? 0), 0);
    assert.equal(total, 3, chart.text);
  });

  test('queries are recorded in the query log, which only admins can search', async () => {
    const audit = source('Audit');
    const res = await admin.post('/api/v2/search', {
      sourceId: audit.id,
      query: 'audit.log:query_log AND query.text:declined',
      startTime: start,
      endTime: Date.now() + 60_000,
    });
    assert.equal(res.status, 200, res.text);
    assert.ok(res.json.data.length >= 1, res.text);
    const attrs = res.json.data[0].LogAttributes;
    assert.equal(attrs['user.email'], 'owner@example.com');
    assert.equal(attrs['query.kind'], 'search');
  });

  test('a personal key is limited to 100 requests a minute', async () => {
    // A token bucket: a burst of 100, refilled at 100 a minute (one per
    // 0.6 s), so the burst lasts 100 requests plus what refilled meanwhile.
    const pk = (await admin.post('/api/me/keys', { name: 'rate limit' })).json.raw;
    const started = Date.now();
    let ok = 0;
    let limited;
    for (let i = 0; i < 300 && !limited; i++) {
      const res = await admin.get('/api/me', { bearer: pk });
      if (res.status === 200) ok++;
      else limited = res;
    }
    const refilled = Math.ceil((Date.now() - started) / 600);
    assert.ok(limited, 'a request beyond the burst is refused');
    assert.equal(limited.status, 429);
    assert.ok(ok >= 100 && ok <= 100 + refilled, `${ok} requests passed before the first 429 (${refilled} refills)`);
    assert.ok(Number(limited.headers.get('retry-after')) >= 1);
    assert.equal((await admin.get('/api/me', { bearer: personalKey })).status, 200, 'other keys are not affected');
  });

  test('admins set a retention override per signal, which the server applies', async () => {
    const before = await admin.get('/api/team/retention');
    assert.equal(before.status, 200, before.text);
    const logs = () => before.json.signals.find((s) => s.signal === 'logs');
    assert.equal(logs().overrideSeconds, null);
    assert.equal(logs().effectiveSeconds, logs().configuredSeconds);
    assert.equal((await admin.put('/api/team/retention/logs', { seconds: 30 })).status, 400, 'under a minute');
    assert.equal((await admin.put('/api/team/retention/spans', { seconds: 3600 })).status, 404);
    const set = await admin.put('/api/team/retention/logs', { seconds: 86400 });
    assert.equal(set.status, 200, set.text);
    assert.equal(set.json.signals.find((s) => s.signal === 'logs').effectiveSeconds, 86400);
    await waitFor('the server applies the override', async () =>
      /retention of logs: 1d from override/.test(server.stderr) ? true : undefined,
    );
    const cleared = await admin.delete('/api/team/retention/logs');
    assert.equal(cleared.json.signals.find((s) => s.signal === 'logs').overrideSeconds, null);
  });

  test('/api/v2 without a key or with a bad key is 401', async () => {
    const anonymous = new AppClient(server.appUrl());
    assert.equal((await anonymous.post('/api/v2/search', {})).status, 401);
    assert.equal((await anonymous.post('/api/v2/search', {}, { bearer: 'osk_' + '0'.repeat(64) })).status, 401);
  });
});

describe('the operator ceiling on query limits', () => {
  test('--query-max-rows-to-read bounds every query, whatever the team settings', async (t) => {
    const server = await startServer(t, {
      args: ['--query-max-rows-to-read', '3'],
      env: { OTELSTACK_SESSION_SECRET: 'c31l1ng'.repeat(2) + '7f3a9c2e5b8d1f4a6c0e9b2d7a5f3c1e' },
    });
    const admin = await registerAdmin(server);
    const records = Array.from({ length: 10 }, (_, i) => ({ body: `ceiling row ${i}` }));
    const sent = await post(server.httpUrl(), '/v1/logs', logsRequest({ service: 'ceiling', records }), { key: KEY });
    assert.equal(sent.status, 200);
    const logs = (await admin.get('/api/v2/sources')).json.data.find((s) => s.name === 'Logs');
    const search = () =>
      admin.post('/api/v2/search', { sourceId: logs.id, query: 'ceiling', startTime: Date.now() - 3600_000, endTime: Date.now() + 60_000 });
    const refused = await search();
    assert.equal(refused.status, 429, refused.text);
    assert.match(refused.json.error, /max_rows_to_read/);

    // The team asks for more in break mode: the ceiling still holds, the result is partial.
    const settings = await admin.put('/api/team/query-settings', { admin: { max_rows_to_read: 1000000, read_overflow_mode: 'break' } });
    assert.equal(settings.status, 200, settings.text);
    const partial = await search();
    assert.equal(partial.status, 200, partial.text);
    assert.equal(partial.json.meta.partial, true);
    assert.ok(partial.json.data.length < 10, `at most the ceiling's rows, got ${partial.json.data.length}`);
    await server.stop();
  });
});
