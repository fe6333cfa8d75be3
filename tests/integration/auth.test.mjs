// Ingestion keys: missing/wrong keys are refused on both transports and store
// nothing; `Bearer <key>` works; keys created or revoked with `otelstack keys`
// while the server runs take effect within seconds.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';

import { ROOT_CONTEXT } from '@opentelemetry/api';
import { SeverityNumber } from '@opentelemetry/api-logs';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { BasicTracerProvider } from '@opentelemetry/sdk-trace-base';

import { KEY, createKey, listKeys, runCli, search, startServer, waitFor } from './lib/harness.mjs';
import { logsRequest, metricsRequest, post, tracesRequest } from './lib/otlp_json.mjs';
import { EXPORT_SUCCESS, exportOnce, makeExporter, makeLogRecords } from './lib/sdk.mjs';

const GRPC_UNAUTHENTICATED = 16;

function makeLogRecord(service, body) {
  return makeLogRecords(service, [{ severityNumber: SeverityNumber.INFO, body }], 'itest.auth');
}

function makeSpans(service, name) {
  const captured = [];
  const provider = new BasicTracerProvider({
    resource: resourceFromAttributes({ 'service.name': service }),
    spanProcessors: [
      { onStart() {}, onEnd: (s) => captured.push(s), forceFlush: async () => {}, shutdown: async () => {} },
    ],
  });
  provider.getTracer('itest.auth').startSpan(name, {}, ROOT_CONTEXT).end();
  return captured;
}

const SIGNAL_BODIES = {
  logs: (service, text) => logsRequest({ service, records: [{ body: text }] }),
  traces: (service, text) => tracesRequest({ service, spans: [{ name: text }] }),
  metrics: (service, text) => metricsRequest({ service, name: text, values: [1.5] }),
};

describe('ingestion keys', () => {
  let server;

  before(async () => {
    server = await startServer(null);
  });

  after(async () => {
    if (server?.running) await server.stop();
  });

  test('HTTP without a key or with a wrong key is 401 and stores nothing', async () => {
    const service = 'itest-auth-http-rejected';
    for (const signal of ['logs', 'traces', 'metrics']) {
      for (const [what, headers] of [
        ['missing key', {}],
        ['wrong key', { authorization: 'not-the-key' }],
        ['wrong bearer key', { authorization: 'Bearer not-the-key' }],
        ['empty key', { authorization: '' }],
        ['prefix of the key', { authorization: KEY.slice(0, -1) }],
      ]) {
        const body = SIGNAL_BODIES[signal](service, `rejected-${signal}`);
        const res = await post(server.httpUrl(), `/v1/${signal}`, body, { headers });
        assert.equal(res.status, 401, `${signal} with ${what}: status ${res.status} body ${res.text}`);
      }
    }
    for (const signal of ['logs', 'traces', 'metrics']) {
      const rows = await search(server.dataDir, { signal, service, limit: 100 });
      assert.deepEqual(rows, [], `${signal}: nothing stored for rejected requests`);
    }
  });

  test('gRPC without a key or with a wrong key is UNAUTHENTICATED and stores nothing', async () => {
    const service = 'itest-auth-grpc-rejected';
    for (const [what, key] of [
      ['missing key', null],
      ['wrong key', 'not-the-key'],
    ]) {
      const logExporter = makeExporter('logs', 'grpc', server, { key });
      const logResult = await exportOnce(logExporter, makeLogRecord(service, 'rejected-grpc-log'));
      await logExporter.shutdown();
      assert.notEqual(logResult.code, EXPORT_SUCCESS, `logs with ${what} must fail`);
      assert.equal(logResult.error?.code, GRPC_UNAUTHENTICATED, `logs with ${what}: ${logResult.error}`);

      const traceExporter = makeExporter('traces', 'grpc', server, { key });
      const traceResult = await exportOnce(traceExporter, makeSpans(service, 'rejected-grpc-span'));
      await traceExporter.shutdown();
      assert.notEqual(traceResult.code, EXPORT_SUCCESS, `traces with ${what} must fail`);
      assert.equal(traceResult.error?.code, GRPC_UNAUTHENTICATED, `traces with ${what}: ${traceResult.error}`);
    }
    for (const signal of ['logs', 'traces']) {
      const rows = await search(server.dataDir, { signal, service, limit: 100 });
      assert.deepEqual(rows, [], `${signal}: nothing stored for rejected gRPC requests`);
    }
  });

  test('the seeded key is accepted raw and as "Bearer <key>"', async () => {
    const service = 'itest-auth-accepted';
    const raw = await post(server.httpUrl(), '/v1/logs', SIGNAL_BODIES.logs(service, 'raw-key'), { key: KEY });
    assert.equal(raw.status, 200, `raw key: ${raw.text}`);
    const bearer = await post(server.httpUrl(), '/v1/logs', SIGNAL_BODIES.logs(service, 'bearer-key'), {
      key: `Bearer ${KEY}`,
    });
    assert.equal(bearer.status, 200, `Bearer key: ${bearer.text}`);

    const grpcExporter = makeExporter('logs', 'grpc', server, { key: `Bearer ${KEY}` });
    const result = await exportOnce(grpcExporter, makeLogRecord(service, 'grpc-bearer-key'));
    await grpcExporter.shutdown();
    assert.equal(result.code, EXPORT_SUCCESS, `gRPC with Bearer key: ${result.error}`);

    const rows = await search(server.dataDir, { signal: 'logs', service, limit: 100 });
    assert.deepEqual(rows.map((r) => r.Body).sort(), ['bearer-key', 'grpc-bearer-key', 'raw-key']);
  });

  test('a key created while the server runs is accepted, and rejected once revoked', async () => {
    const service = 'itest-auth-rotation';
    const name = 'itest-created-live';
    const newKey = await createKey(server.dataDir, name);
    assert.ok(newKey.length >= 16, `keys create printed a plausible key: ${JSON.stringify(newKey)}`);
    assert.notEqual(newKey, KEY);

    let n = 0;
    const sendWith = async (key) => {
      n += 1;
      return post(server.httpUrl(), '/v1/logs', SIGNAL_BODIES.logs(service, `live-key-${n}`), { key });
    };
    const started = Date.now();
    await waitFor(
      'the new key to be accepted',
      async () => {
        const res = await sendWith(newKey);
        if (res.status !== 200 && res.status !== 401) throw new Error(`unexpected status ${res.status}: ${res.text}`);
        return res.status === 200;
      },
      { timeoutMs: 5000, intervalMs: 100 },
    );
    const acceptedAfterMs = Date.now() - started;

    const grpcExporter = makeExporter('logs', 'grpc', server, { key: newKey });
    const grpcResult = await exportOnce(grpcExporter, makeLogRecord(service, 'live-key-grpc'));
    await grpcExporter.shutdown();
    assert.equal(grpcResult.code, EXPORT_SUCCESS, `gRPC with the new key: ${grpcResult.error}`);

    // The seeded key still works.
    assert.equal((await sendWith(KEY)).status, 200);

    const keys = await listKeys(server.dataDir);
    const entry = keys.find((k) => k.name === name || k.Name === name);
    assert.ok(entry, `keys list --json shows ${name}: ${JSON.stringify(keys)}`);
    const id = entry.id ?? entry.ID ?? entry.Id ?? entry.key_id ?? entry.KeyId;
    assert.ok(id !== undefined, `key entry has an id: ${JSON.stringify(entry)}`);
    assert.ok(!JSON.stringify(keys).includes(newKey), 'keys list does not print raw keys');
    await runCli(['keys', 'revoke', '--data-dir', server.dataDir, String(id)]);

    // Requests sent before the revocation took effect may be stored; only
    // what is sent after the first 401 must not be.
    await waitFor(
      'the revoked key to be rejected',
      async () => (await sendWith(newKey)).status === 401,
      { timeoutMs: 5000, intervalMs: 100 },
    );
    const afterRevoke = await post(server.httpUrl(), '/v1/logs', SIGNAL_BODIES.logs(service, 'after-revoke'), {
      key: newKey,
    });
    assert.equal(afterRevoke.status, 401, 'a revoked key stays rejected');
    const revokedExporter = makeExporter('logs', 'grpc', server, { key: newKey });
    const revokedResult = await exportOnce(revokedExporter, makeLogRecord(service, 'revoked-grpc'));
    await revokedExporter.shutdown();
    assert.equal(revokedResult.error?.code, GRPC_UNAUTHENTICATED, `gRPC with the revoked key: ${revokedResult.error}`);
    assert.equal((await sendWith(KEY)).status, 200, 'the seeded key is unaffected by the revocation');

    const rows = await search(server.dataDir, { signal: 'logs', service, limit: 1000 });
    const bodies = rows.map((r) => r.Body);
    assert.ok(bodies.includes('live-key-grpc'));
    assert.ok(!bodies.includes('after-revoke'), 'nothing sent with the revoked key was stored');
    assert.ok(!bodies.includes('revoked-grpc'));
    assert.ok(acceptedAfterMs < 5000);
  });
});
