// OTLP/HTTP edge cases with hand-built bodies: gzip, content types, malformed
// input, oversized (decompressed) bodies and partial success.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { gzipSync } from 'node:zlib';

import { KEY, search, startServer } from './lib/harness.mjs';
import { logsRequest, post, randomSpanId, randomTraceId, tracesRequest } from './lib/otlp_json.mjs';

function assertRpcStatus(res, what) {
  assert.match(res.headers.get('content-type') ?? '', /application\/json/, `${what}: JSON error body`);
  assert.ok(res.json && typeof res.json === 'object', `${what}: body is a JSON object: ${res.text}`);
  assert.equal(typeof res.json.message, 'string', `${what}: google.rpc.Status has a message: ${res.text}`);
  assert.ok(res.json.message.length > 0, `${what}: the message is not empty`);
  if ('code' in res.json) assert.equal(typeof res.json.code, 'number', `${what}: code is a number`);
}

describe('OTLP/HTTP edge cases', () => {
  let server;

  before(async () => {
    server = await startServer(null);
  });

  after(async () => {
    if (server?.running) await server.stop();
  });

  test('a gzip-compressed JSON body is accepted', async () => {
    const service = 'itest-edge-gzip';
    const body = logsRequest({ service, records: [{ body: 'gzipped-body' }] });
    const res = await post(server.httpUrl(), '/v1/logs', body, { key: KEY, gzip: true });
    assert.equal(res.status, 200, res.text);
    assert.match(res.headers.get('content-type') ?? '', /application\/json/);
    const rows = await search(server.dataDir, { signal: 'logs', service });
    assert.deepEqual(
      rows.map((r) => r.Body),
      ['gzipped-body'],
    );
  });

  test('text/plain is 415', async () => {
    const service = 'itest-edge-415';
    const body = JSON.stringify(logsRequest({ service, records: [{ body: 'text-plain' }] }));
    const res = await post(server.httpUrl(), '/v1/logs', body, { key: KEY, contentType: 'text/plain' });
    assert.equal(res.status, 415, res.text);
    assert.deepEqual(await search(server.dataDir, { signal: 'logs', service }), []);
  });

  test('malformed JSON is 400 with a google.rpc.Status body', async () => {
    for (const [what, body] of [
      ['truncated JSON', '{"resourceLogs": [{"scopeLogs": ['],
      ['not JSON at all', 'this is not json'],
      ['wrong type for resourceLogs', '{"resourceLogs": 42}'],
    ]) {
      const res = await post(server.httpUrl(), '/v1/logs', body, { key: KEY });
      assert.equal(res.status, 400, `${what}: status ${res.status} body ${res.text}`);
      assertRpcStatus(res, what);
    }
  });

  test('malformed protobuf is 400', async () => {
    // Field 1, wire type 2, length far past the end of the body.
    const garbage = Buffer.from([0x0a, 0xff, 0xff, 0xff, 0x0f, 0x01, 0x02]);
    const res = await post(server.httpUrl(), '/v1/traces', garbage, {
      key: KEY,
      contentType: 'application/x-protobuf',
    });
    assert.equal(res.status, 400, res.text);
  });

  test('a protobuf request gets a protobuf response', async () => {
    // An empty ExportLogsServiceRequest is valid protobuf.
    const res = await post(server.httpUrl(), '/v1/logs', Buffer.alloc(0), {
      key: KEY,
      contentType: 'application/x-protobuf',
    });
    assert.equal(res.status, 200, res.text);
    assert.match(res.headers.get('content-type') ?? '', /application\/x-protobuf/);
  });

  test('a gzip bomb over the size limit is 413 and the server stays healthy', async () => {
    // 100 MiB of zeros compresses to about 100 KB; the limit is 64 MiB after
    // decompression.
    const bomb = gzipSync(Buffer.alloc(100 * 1024 * 1024));
    assert.ok(bomb.length < 1024 * 1024, `the bomb is small on the wire (${bomb.length} bytes)`);
    const res = await post(server.httpUrl(), '/v1/logs', bomb, {
      key: KEY,
      headers: { 'content-encoding': 'gzip' },
    });
    assert.equal(res.status, 413, res.text.slice(0, 500));
    assert.ok(server.running, 'the server survived the bomb');

    const service = 'itest-edge-after-bomb';
    const ok = await post(server.httpUrl(), '/v1/logs', logsRequest({ service, records: [{ body: 'still-alive' }] }), {
      key: KEY,
    });
    assert.equal(ok.status, 200, ok.text);
    assert.deepEqual(
      (await search(server.dataDir, { signal: 'logs', service })).map((r) => r.Body),
      ['still-alive'],
    );
  });

  test('a plain body over the size limit is 413', async () => {
    // 65 MiB of JSON-ish bytes, uncompressed.
    const big = Buffer.alloc(65 * 1024 * 1024, 0x20);
    let res;
    try {
      res = await post(server.httpUrl(), '/v1/logs', big, { key: KEY });
    } catch (err) {
      // A server may answer 413 and close before reading the whole body; the
      // client then sees a reset. Only accept that if the server is healthy.
      assert.ok(server.running, `server died on a large body: ${err.message}; ${server.describe()}`);
      const probe = await post(server.httpUrl(), '/v1/logs', { resourceLogs: [] }, { key: KEY });
      assert.equal(probe.status, 200);
      return;
    }
    assert.equal(res.status, 413, res.text.slice(0, 500));
  });

  test('a span with a 3-byte trace id is rejected through partialSuccess', async () => {
    const service = 'itest-edge-partial';
    const good = { name: 'good-span', traceId: randomTraceId(), spanId: randomSpanId() };
    const bad = { name: 'bad-span', traceId: 'abcdef', spanId: randomSpanId() };
    const body = tracesRequest({ service, spans: [good, bad] });
    const res = await post(server.httpUrl(), '/v1/traces', body, { key: KEY });
    assert.equal(res.status, 200, res.text);
    assert.ok(res.json?.partialSuccess, `response has partialSuccess: ${res.text}`);
    // int64 is a string in proto3 JSON; accept a number too.
    assert.equal(Number(res.json.partialSuccess.rejectedSpans), 1, res.text);
    assert.equal(typeof res.json.partialSuccess.errorMessage, 'string', res.text);
    assert.ok(res.json.partialSuccess.errorMessage.length > 0, 'errorMessage explains the rejection');

    const rows = await search(server.dataDir, { signal: 'traces', service });
    assert.deepEqual(
      rows.map((r) => r.SpanName),
      ['good-span'],
    );
    assert.equal(rows[0].TraceId, good.traceId);
  });

  test('a fully valid request has no partialSuccess rejections', async () => {
    const res = await post(
      server.httpUrl(),
      '/v1/traces',
      tracesRequest({ service: 'itest-edge-full', spans: [{ name: 'fine' }] }),
      { key: KEY },
    );
    assert.equal(res.status, 200, res.text);
    const rejected = res.json?.partialSuccess?.rejectedSpans;
    assert.ok(rejected === undefined || Number(rejected) === 0, res.text);
  });
});
