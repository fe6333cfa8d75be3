// `otelstack serve --storage clickhouse`: the write path into a real
// ClickHouse (Debian's clickhouse-server, started here in a temp dir on
// 127.0.0.1), with the WAL in front of it.
//
//  - the OTel JS SDK's exporters -> otelstack -> the otel tables;
//  - ClickHouse killed during ingest and restarted: every acknowledged
//    record is stored exactly once (the WAL keeps them meanwhile, retries
//    are idempotent through InsertId);
//  - otelstack killed (-9) while ClickHouse is down, restarted: the replayed
//    WAL is stored exactly once;
//  - ClickHouse down for long: the backlog bound answers 503 + Retry-After;
//  - https to ClickHouse (its https_port) verified with --clickhouse-ca-file.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';

import { KEY, makeSelfSignedCert, makeTempDir, startServer, waitFor } from './lib/harness.mjs';
import { Ledger, sendBatch } from './lib/load.mjs';
import { logsRequest, post } from './lib/otlp_json.mjs';
import { assertAllExported, makeExporter, makeLogRecords, recording } from './lib/sdk.mjs';
import { freePort } from './lib/watched_process.mjs';
import { startClickHouse } from './differential/clickhouse.mjs';

function storageArgs(ch, database) {
  return ['--storage', 'clickhouse', '--clickhouse-url', ch.url, '--clickhouse-database', database,
    '--clickhouse-flush-interval', '0.2'];
}

async function count(ch, database, table, where = '1') {
  const { rows } = await ch.query(`SELECT count() FROM ${database}.${table} WHERE ${where}`);
  return Number(rows[0][0]);
}

// The load's rows as Ledger.verify expects them: {Body, LogAttributes: {seq}}.
async function loadRows(ch, database, service) {
  const { rows } = await ch.query(
    `SELECT Body, \`LogAttributes.values\`[indexOf(\`LogAttributes.keys\`, 'seq')] FROM ${database}.otel_logs ` +
      `WHERE ServiceName = '${service}'`,
  );
  return rows.map(([body, seq]) => ({ Body: body, LogAttributes: { seq: Number(seq) } }));
}

describe('ClickHouse storage', () => {
  let ch;
  before(async () => {
    ch = await startClickHouse({ keepDir: true });
  });
  after(async () => {
    if (ch) {
      await ch.stop();
      rmSync(ch.dir, { recursive: true, force: true });
    }
  });

  test('SDK logs and spans land in the otel tables with their fields', async (t) => {
    const db = 'otel_sdk';
    const server = await startServer(t, { args: storageArgs(ch, db) });
    const logs = recording(makeExporter('logs', 'http/protobuf', server, { key: KEY }));
    const records = makeLogRecords('ch-sdk', [
      { body: 'hello clickhouse', attributes: { 'http.status_code': 500, user: 'ada' }, severityText: 'ERROR' },
      { body: 'second line', attributes: { ok: true } },
    ]);
    await new Promise((resolve) => logs.exporter.export(records, resolve));
    await logs.settled();
    assertAllExported(logs, 'logs');
    await waitFor('2 log rows in ClickHouse', async () => (await count(ch, db, 'otel_logs')) === 2, {
      timeoutMs: 30000,
    });
    const { rows } = await ch.query(
      `SELECT Body, ServiceName, SeverityText, \`LogAttributes.values\`[indexOf(\`LogAttributes.keys\`, 'http.status_code')], ` +
        `\`LogAttributes.values\`[indexOf(\`LogAttributes.keys\`, 'user')], InsertId FROM ${db}.otel_logs ORDER BY Body`,
    );
    assert.deepEqual(
      rows.map((r) => r.slice(0, 5)),
      [
        ['hello clickhouse', 'ch-sdk', 'ERROR', '500', 'ada'],
        ['second line', 'ch-sdk', '', '', ''],
      ],
    );
    assert.ok(Number(rows[0][5]) > 0, 'rows carry their WAL record id');
    await server.stop();
  });

  test('ClickHouse killed during ingest and restarted: acknowledged records exactly once', async (t) => {
    const db = 'otel_crash';
    const service = 'ch-crash';
    const server = await startServer(t, { args: storageArgs(ch, db) });
    const ledger = new Ledger();
    const sendSome = async (n) => {
      for (let i = 0; i < n; i++) await sendBatch(server, ledger, { service, batchSize: 50 });
    };
    await sendSome(20);
    await waitFor('the first rows in ClickHouse', async () => (await count(ch, db, 'otel_logs')) > 0, {
      timeoutMs: 30000,
    });
    // Kill while requests keep coming: flushes in flight fail or end unknown.
    const load = sendSome(40);
    await ch.kill();
    await load;
    await sendSome(20); // acknowledged into the WAL while ClickHouse is down
    ch = await ch.restart();
    await waitFor(
      `all ${ledger.acked.size} acknowledged rows in ClickHouse`,
      async () => (await count(ch, db, 'otel_logs', `ServiceName = '${service}'`)) >= ledger.acked.size,
      { timeoutMs: 60000, intervalMs: 250 },
    );
    await server.stop();
    const summary = ledger.verify(await loadRows(ch, db, service));
    assert.ok(summary.acked >= 80 * 50 - summary.uncertain, `acked ${summary.acked}`);
  });

  test('otelstack killed while ClickHouse is down: the replayed WAL is stored exactly once', async (t) => {
    const db = 'otel_replay';
    const service = 'ch-replay';
    const dataDir = makeTempDir(t);
    let server = await startServer(t, { dataDir, args: storageArgs(ch, db) });
    const ledger = new Ledger();
    for (let i = 0; i < 10; i++) await sendBatch(server, ledger, { service, batchSize: 20 });
    await waitFor('rows in ClickHouse', async () => (await count(ch, db, 'otel_logs')) === 200, { timeoutMs: 30000 });
    await ch.kill();
    for (let i = 0; i < 10; i++) await sendBatch(server, ledger, { service, batchSize: 20 });
    await server.kill9();
    ch = await ch.restart();
    server = await startServer(t, { dataDir, args: storageArgs(ch, db) });
    await waitFor(
      'the replayed rows in ClickHouse',
      async () => (await count(ch, db, 'otel_logs', `ServiceName = '${service}'`)) >= ledger.acked.size,
      { timeoutMs: 60000, intervalMs: 250 },
    );
    await server.stop();
    const summary = ledger.verify(await loadRows(ch, db, service));
    assert.equal(summary.acked, 400);
  });

  test('ClickHouse down: past the backlog bound OTLP requests get 503 with Retry-After', async (t) => {
    const db = 'otel_backlog';
    const service = 'ch-backlog';
    const server = await startServer(t, { args: [...storageArgs(ch, db), '--clickhouse-max-backlog-mb', '1'] });
    const ledger = new Ledger();
    await sendBatch(server, ledger, { service, batchSize: 10 });
    await waitFor('the first rows in ClickHouse', async () => (await count(ch, db, 'otel_logs')) === 10, {
      timeoutMs: 30000,
    });
    await ch.kill();
    let refused;
    for (let i = 0; i < 400 && !refused; i++) {
      const seqs = ledger.take(200);
      const body = logsRequest({
        service,
        records: seqs.map((seq) => ({ body: `load-${seq}-${'x'.repeat(200)}`, attributes: { seq } })),
      });
      const res = await post(server.httpUrl(), '/v1/logs', body, { key: KEY });
      if (res.status === 200) {
        for (const s of seqs) ledger.acked.add(s);
      } else {
        refused = res;
      }
    }
    assert.ok(refused, 'a request was refused once the backlog was full');
    assert.equal(refused.status, 503, refused.text);
    assert.ok(Number(refused.headers.get('retry-after')) > 0, 'Retry-After is set');
    ch = await ch.restart();
    await waitFor(
      'the backlog drained into ClickHouse',
      async () => (await count(ch, db, 'otel_logs', `ServiceName = '${service}'`)) >= ledger.acked.size,
      { timeoutMs: 60000, intervalMs: 250 },
    );
    // Accepting again.
    const res = await post(server.httpUrl(), '/v1/logs', logsRequest({ service: 'after', records: [{ body: 'x' }] }), {
      key: KEY,
    });
    assert.equal(res.status, 200);
    await server.stop();
  });

  test('https to ClickHouse with a self-signed CA: verified with --clickhouse-ca-file, refused without', async (t) => {
    const dir = makeTempDir(t);
    const { certPath, keyPath } = makeSelfSignedCert(dir);
    const httpsPort = await freePort();
    const tlsCh = await startClickHouse({
      extraConfig: `<https_port>${httpsPort}</https_port>
  <openSSL><server><certificateFile>${certPath}</certificateFile><privateKeyFile>${keyPath}</privateKeyFile>
  <verificationMode>none</verificationMode><loadDefaultCAFile>false</loadDefaultCAFile>
  <disableProtocols>sslv2,sslv3,tlsv1,tlsv1_1</disableProtocols></server></openSSL>`,
    });
    t.after(() => tlsCh.stop());
    const url = `https://127.0.0.1:${httpsPort}`;
    const send = async (server, body) => {
      const res = await post(server.httpUrl(), '/v1/logs', logsRequest({ service: 'tls', records: [{ body }] }), { key: KEY });
      assert.equal(res.status, 200, res.text);
    };

    const trusted = await startServer(t, {
      args: ['--storage', 'clickhouse', '--clickhouse-url', url, '--clickhouse-ca-file', certPath,
        '--clickhouse-database', 'otel_tls', '--clickhouse-flush-interval', '0.2'],
    });
    await send(trusted, 'over tls');
    await waitFor('the row in ClickHouse over https', async () => (await count(tlsCh, 'otel_tls', 'otel_logs')) === 1, {
      timeoutMs: 30000,
    });
    await trusted.stop();

    // Without the CA the certificate is not trusted: nothing is written, the
    // log says why, and the row waits in the WAL.
    const untrusted = await startServer(t, {
      args: ['--storage', 'clickhouse', '--clickhouse-url', url, '--clickhouse-database', 'otel_untrusted',
        '--clickhouse-flush-interval', '0.2'],
    });
    await send(untrusted, 'refused');
    await waitFor('a TLS failure in the log', async () => /flush failed.*TLS handshake/.test(untrusted.stderr), {
      timeoutMs: 30000,
    });
    const { rows } = await tlsCh.query("SELECT count() FROM system.databases WHERE name = 'otel_untrusted'");
    assert.equal(Number(rows[0][0]), 0, 'nothing was created without a trusted certificate');
    await untrusted.kill9();
  });
});
