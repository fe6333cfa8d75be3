// The whole ClickHouse path as an operator sets it up: `otelstack clickhouse
// init` makes the database and prints the 18.16 users.xml fragment (ingestion
// user and readonly query user), ClickHouse runs with it, `otelstack serve
// --storage clickhouse` writes as the ingestion user and queries as the
// query user; data sent with the OTel JS SDK is found through /api/v2
// (search in both languages, trace by id, chart) with a personal key.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';

import { runCli, startServer, waitFor } from './lib/harness.mjs';
import { registerAdmin } from './lib/app_client.mjs';
import { EXPORT_SUCCESS, exportOnce, makeExporter, makeLogRecords, makeSpans } from './lib/sdk.mjs';
import { startClickHouse } from './differential/clickhouse.mjs';

const DB = 'otel_api';
const PASSWORDS = {
  OTELSTACK_CLICKHOUSE_INGEST_PASSWORD: 'ingest-Secret-4711',
  OTELSTACK_CLICKHOUSE_QUERY_PASSWORD: 'query-Secret-4712',
};
const SERVICE = 'ch-api';

// The <profiles> and <users> contents of a users.xml fragment.
function splitUsersXml(xml) {
  const inner = (tag) => {
    const m = new RegExp(`<${tag}>([\\s\\S]*)</${tag}>`).exec(xml);
    assert.ok(m, `no <${tag}> in:\n${xml}`);
    return m[1];
  };
  return { extraProfiles: inner('profiles'), extraUsers: inner('users') };
}

describe('ClickHouse storage through the API', () => {
  let ch, server, admin, personalKey, sources;
  const start = Date.now() - 60_000;

  before(async () => {
    const printed = await runCli(
      ['clickhouse', 'init', '--url', 'http://127.0.0.1:8123', '--admin-user', 'default', '--print-only',
        '--server-version', '18.16.1', '--database', DB, '--networks', '127.0.0.1'],
      { env: PASSWORDS },
    );
    const xml = printed.stdout.slice(printed.stdout.indexOf('<?xml'));
    ch = await startClickHouse({ users: splitUsersXml(xml) });
    // For real this time: creates the database (the users come from the XML).
    await runCli(['clickhouse', 'init', '--url', ch.url, '--admin-user', 'default', '--database', DB, '--networks',
      '127.0.0.1'], { env: PASSWORDS });

    server = await startServer(null, {
      key: null,
      args: ['--storage', 'clickhouse', '--clickhouse-url', ch.url, '--clickhouse-database', DB,
        '--clickhouse-user', 'otelstack_ingest', '--clickhouse-query-user', 'otelstack_query',
        '--clickhouse-flush-interval', '0.2'],
      env: {
        OTELSTACK_CLICKHOUSE_PASSWORD: PASSWORDS.OTELSTACK_CLICKHOUSE_INGEST_PASSWORD,
        OTELSTACK_CLICKHOUSE_QUERY_PASSWORD: PASSWORDS.OTELSTACK_CLICKHOUSE_QUERY_PASSWORD,
        OTELSTACK_SESSION_SECRET: 'ch-api-session-secret-9f2c7a1e5b3d8f6a0c4e2b7d9a1f3c5e',
      },
    });
    admin = await registerAdmin(server, 'owner@example.com');
    const pk = await admin.post('/api/me/keys', { name: 'ch script' });
    assert.equal(pk.status, 201, pk.text);
    personalKey = pk.json.raw;
    sources = (await admin.get('/api/v2/sources', { bearer: personalKey })).json.data;
  });

  after(async () => {
    if (server) await server.stop();
    if (ch) await ch.stop();
  });

  const source = (name) => {
    const s = sources.find((x) => x.name === name);
    assert.ok(s, `source ${name} in ${JSON.stringify(sources.map((x) => x.name))}`);
    return s;
  };
  const ingestionKey = async () => {
    const created = await admin.post('/api/ingestion-keys', { name: `k${Date.now()}` });
    assert.equal(created.status, 201, created.text);
    return created.json.raw;
  };
  const search = (body) =>
    admin.post('/api/v2/search', { sourceId: source('Logs').id, startTime: start, endTime: Date.now() + 60_000, ...body }, {
      bearer: personalKey,
    });

  test('logs from the SDK are found with Lucene and SQL searches, as the readonly user', async () => {
    const exporter = makeExporter('logs', 'http/protobuf', server, { key: await ingestionKey() });
    const result = await exportOnce(
      exporter,
      makeLogRecords(SERVICE, [
        { severityText: 'ERROR', body: 'payment declined for order 4711', attributes: { 'order.id': '4711', 'http.status_code': 402 } },
        { severityText: 'INFO', body: 'order 4712 shipped', attributes: { 'order.id': '4712' } },
      ]),
    );
    assert.equal(result.code, EXPORT_SUCCESS, result.error?.message);
    await exporter.shutdown();

    let res;
    await waitFor('the log in ClickHouse, found by /api/v2/search', async () => {
      res = await search({ query: 'declined', whereLanguage: 'lucene', limit: 10 });
      return res.status === 200 && res.json.data.length === 1;
    }, { timeoutMs: 30000 });
    assert.equal(res.json.data[0].Body, 'payment declined for order 4711');
    assert.equal(res.json.data[0].ServiceName, SERVICE);
    assert.equal(res.json.data[0].SeverityText, 'ERROR');

    const sql = await search({ query: "LogAttributes['order.id'] = '4712'", whereLanguage: 'sql' });
    assert.equal(sql.status, 200, sql.text);
    assert.deepEqual(sql.json.data.map((r) => r.Body), ['order 4712 shipped']);
    const numeric = await search({ query: 'http.status_code:>=400', whereLanguage: 'lucene' });
    assert.deepEqual(numeric.json.data.map((r) => r.Body), ['payment declined for order 4711']);

    // With team limits set, the queries ask for them; otelstack_query's
    // readonly=1 profile refuses any other value, so its own limits apply
    // (and the server says so): proof the queries run as the query user.
    const limits = await admin.put('/api/team/query-settings', { admin: { max_rows_to_read: 500000 } });
    assert.equal(limits.status, 200, limits.text);
    const limited = await search({ query: 'shipped', whereLanguage: 'lucene' });
    assert.equal(limited.status, 200, limited.text);
    assert.deepEqual(limited.json.data.map((r) => r.Body), ['order 4712 shipped']);
    assert.match(server.stderr, /ClickHouse user otelstack_query is readonly/);
  });

  test('a trace from the SDK is assembled by id and charted', async () => {
    const spans = makeSpans(SERVICE, ['GET /checkout', 'charge card', 'reserve stock']);
    const exporter = makeExporter('traces', 'grpc', server, { key: await ingestionKey() });
    const result = await exportOnce(exporter, spans);
    assert.equal(result.code, EXPORT_SUCCESS, result.error?.message);
    await exporter.shutdown();
    const traceId = spans[0].spanContext().traceId;

    let res;
    await waitFor('the trace', async () => {
      res = await admin.get(`/api/v2/traces/${traceId}?sourceId=${source('Traces').id}`, { bearer: personalKey });
      return res.status === 200 && res.json.spans.length === 3;
    }, { timeoutMs: 30000 });
    assert.deepEqual(res.json.spans.map((s) => s.SpanName).sort(), ['GET /checkout', 'charge card', 'reserve stock']);
    assert.ok(res.json.spans.every((s) => s.TraceId === traceId));

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
    const total = chart.json.data.reduce((n, row) => n + Number(row['series_0.data'] ?? 0), 0);
    assert.equal(total, 3, chart.text);
  });

  test('a source on a table of its own is read through its column expressions', async () => {
    // A table no collector wrote: other column names, attributes as two arrays
    // (18.16 has no Map), times in whole seconds.
    await ch.raw(`CREATE TABLE ${DB}.app_logs (ts DateTime, msg String, svc String, lvl String, trace String,
      attrs_k Array(String), attrs_v Array(String)) ENGINE = MergeTree ORDER BY ts`);
    const t0 = Math.floor(Date.now() / 1000) - 30;
    await ch.raw(`INSERT INTO ${DB}.app_logs VALUES
      (${t0}, 'checkout started', 'checkout', 'info', '0AF7651916CD43DD8448EB211C80319C', ['order.id'], ['o1']),
      (${t0 + 1}, 'payment declined', 'checkout', 'error', '', ['order.id'], ['o1']),
      (${t0 + 2}, 'cart updated', 'cart', 'info', '', [], []),
      (${t0 + 3}, 'payment retried', 'billing', 'Error', '', [], [])`);

    const connection = await admin.post('/api/connections', {
      name: 'app ClickHouse',
      url: ch.url,
      username: 'otelstack_query',
      password: PASSWORDS.OTELSTACK_CLICKHOUSE_QUERY_PASSWORD,
    });
    assert.equal(connection.status, 200, connection.text);
    const base = {
      kind: 'log',
      connection: connection.json.id,
      from: { databaseName: DB, tableName: 'app_logs' },
      timestampValueExpression: 'ts',
      bodyExpression: 'msg',
      serviceNameExpression: 'svc',
      severityTextExpression: 'upper(lvl)',
      traceIdExpression: 'trace',
      eventAttributesExpression: '(attrs_k, attrs_v)',
    };
    const created = await admin.post('/api/v2/sources', { name: 'App logs', ...base });
    assert.equal(created.status, 200, created.text);
    const sourceId = created.json.id;

    const range = { startTime: (t0 - 60) * 1000, endTime: Date.now() + 60_000 };
    const find = async (query) => {
      const res = await admin.post('/api/v2/search', { sourceId, query, whereLanguage: 'lucene', limit: 10, ...range },
        { bearer: personalKey });
      assert.equal(res.status, 200, res.text);
      return res.json.data;
    };
    const checkout = await find('ServiceName:checkout');
    assert.deepEqual(checkout.map((r) => r.Body), ['payment declined', 'checkout started'], 'newest first');
    assert.equal(checkout[0].SeverityText, 'ERROR');
    assert.equal(checkout[1].TraceId, '0af7651916cd43dd8448eb211c80319c');
    assert.equal(checkout[1].Timestamp, new Date(t0 * 1000).toISOString().replace('.000Z', '.000000000Z'));
    assert.deepEqual((await find('payment')).map((r) => r.ServiceName), ['billing', 'checkout']);
    assert.deepEqual((await find('ServiceName:checkout AND declined')).map((r) => r.Body), ['payment declined']);
    assert.deepEqual((await find('order.id:o1 AND SeverityText:INFO')).map((r) => r.Body), ['checkout started']);

    const chart = await admin.post('/api/v2/charts/series', {
      ...range,
      granularity: '1 minute',
      series: [{ sourceId, aggFn: 'count', where: '', groupBy: ['ServiceName'] }],
    }, { bearer: personalKey });
    assert.equal(chart.status, 200, chart.text);
    const counts = {};
    for (const row of chart.json.data) counts[row.group[0]] = (counts[row.group[0]] ?? 0) + Number(row['series_0.data']);
    assert.deepEqual(counts, { billing: 1, cart: 1, checkout: 2 }, chart.text);

    // Expressions are SQL fragments: anything beyond one expression is refused.
    const hostile = await admin.post('/api/v2/sources', {
      name: 'Hostile', ...base, bodyExpression: 'msg FROM system.users',
    });
    assert.equal(hostile.status, 400, hostile.text);
    assert.match(hostile.json.error, /bodyExpression: not a single SQL expression: FROM is not allowed/);
    const subquery = await admin.post('/api/v2/sources', {
      name: 'Hostile', ...base, serviceNameExpression: "(SELECT name FROM system.tables LIMIT 1)",
    });
    assert.equal(subquery.status, 400, subquery.text);
    const wrongKind = await admin.post('/api/v2/sources', { name: 'Wrong', ...base, durationExpression: 'd' });
    assert.equal(wrongKind.status, 400, wrongKind.text);
    assert.match(wrongKind.json.error, /durationExpression: a log source has no such column mapping/);
  });

  test('the query user cannot write and the ingestion user cannot read other databases', async () => {
    const as = async (user, password, sql) => {
      const res = await fetch(`${ch.url}?user=${user}&password=${encodeURIComponent(password)}`, { method: 'POST', body: sql });
      return { status: res.status, text: await res.text() };
    };
    const query = PASSWORDS.OTELSTACK_CLICKHOUSE_QUERY_PASSWORD;
    const ingest = PASSWORDS.OTELSTACK_CLICKHOUSE_INGEST_PASSWORD;
    const insert = await as('otelstack_query', query, `INSERT INTO ${DB}.otel_logs (Body) VALUES ('x')`);
    assert.match(insert.text, /Code: 164/, 'readonly');
    const lift = await fetch(`${ch.url}?user=otelstack_query&password=${query}&max_rows_to_read=0`, {
      method: 'POST',
      body: `SELECT count() FROM ${DB}.otel_logs`,
    });
    assert.match(await lift.text(), /Code: 164/, 'the query user cannot lift max_rows_to_read');
    const other = await as('otelstack_ingest', ingest, 'SELECT count() FROM default.nothing_here');
    assert.match(other.text, /Code: 291/, 'the ingestion user is confined to its database');
  });
});
