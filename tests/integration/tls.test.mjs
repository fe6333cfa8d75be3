// TLS on both OTLP ports (--tls-cert/--tls-key) with a self-signed
// certificate made by the openssl CLI: SDK exporters over https and gRPC+TLS
// succeed; plaintext clients and clients that do not trust the CA fail.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import https from 'node:https';

import { SeverityNumber } from '@opentelemetry/api-logs';

import { KEY, makeSelfSignedCert, makeTempDir, search, startServer } from './lib/harness.mjs';
import { logsRequest, post } from './lib/otlp_json.mjs';
import { EXPORT_SUCCESS, exportOnce, makeExporter, makeLogRecords } from './lib/sdk.mjs';

function makeTlsLogRecords(service, body) {
  return makeLogRecords(service, [{ severityNumber: SeverityNumber.INFO, body }], 'itest.tls');
}

// POST over https trusting only `ca`; resolves {status, text}.
function httpsPost(url, body, { ca, key }) {
  return new Promise((resolve, reject) => {
    const payload = JSON.stringify(body);
    const req = https.request(
      url,
      {
        method: 'POST',
        ca,
        headers: {
          'content-type': 'application/json',
          authorization: key,
          'content-length': Buffer.byteLength(payload),
        },
      },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (c) => {
          text += c;
        });
        res.on('end', () => resolve({ status: res.statusCode, text }));
      },
    );
    req.on('error', reject);
    req.end(payload);
  });
}

describe('TLS', () => {
  let server;
  let ca;

  before(async () => {
    const dir = makeTempDir(null, 'otelstack-itest-tls-');
    const { certPath, keyPath } = makeSelfSignedCert(dir);
    ca = readFileSync(certPath);
    server = await startServer(null, { args: ['--tls-cert', certPath, '--tls-key', keyPath] });
  });

  after(async () => {
    if (server?.running) await server.stop();
  });

  test('raw HTTPS POST trusting the self-signed CA', async () => {
    const service = 'itest-tls-raw';
    const body = logsRequest({ service, records: [{ body: 'over-https' }] });
    const res = await httpsPost(`${server.httpUrl('https')}/v1/logs`, body, { ca, key: KEY });
    assert.equal(res.status, 200, res.text);
    const rows = await search(server.dataDir, { signal: 'logs', service });
    assert.deepEqual(
      rows.map((r) => r.Body),
      ['over-https'],
    );
  });

  for (const transport of ['http/json', 'http/protobuf', 'grpc']) {
    test(`SDK log exporter over ${transport} with TLS`, async () => {
      const service = `itest-tls-${transport.replace('/', '-')}`;
      const exporter = makeExporter('logs', transport, server, { key: KEY, tls: { ca } });
      const result = await exportOnce(exporter, makeTlsLogRecords(service, `tls-${transport}`));
      await exporter.shutdown();
      assert.equal(result.code, EXPORT_SUCCESS, `export failed: ${result.error}`);
      const rows = await search(server.dataDir, { signal: 'logs', service });
      assert.deepEqual(
        rows.map((r) => r.Body),
        [`tls-${transport}`],
      );
    });
  }

  test('plain HTTP to the TLS port does not ingest', async () => {
    const service = 'itest-tls-plaintext';
    let outcome;
    try {
      const body = logsRequest({ service, records: [{ body: 'plain' }] });
      const res = await post(server.httpUrl('http'), '/v1/logs', body, {
        key: KEY,
        signal: AbortSignal.timeout(10000),
      });
      outcome = `status ${res.status}`;
      assert.notEqual(res.status, 200, 'plaintext HTTP must not be accepted on the TLS port');
    } catch (err) {
      if (err instanceof assert.AssertionError) throw err;
      outcome = `error ${err.message}`;
    }
    assert.ok(server.running, `server still running after plaintext attempt (${outcome})`);
    assert.deepEqual(await search(server.dataDir, { signal: 'logs', service }), []);
  });

  test('plaintext gRPC to the TLS port fails', async () => {
    const service = 'itest-tls-grpc-plaintext';
    const exporter = makeExporter('logs', 'grpc', server, { key: KEY, extra: { timeoutMillis: 5000 } });
    const result = await exportOnce(exporter, makeTlsLogRecords(service, 'plain-grpc'));
    await exporter.shutdown();
    assert.notEqual(result.code, EXPORT_SUCCESS, 'plaintext gRPC must not succeed against TLS');
    assert.deepEqual(await search(server.dataDir, { signal: 'logs', service }), []);
  });

  test('a client that does not trust the certificate fails', async () => {
    await assert.rejects(
      httpsPost(`${server.httpUrl('https')}/v1/logs`, logsRequest({ service: 'x', records: [{ body: 'untrusted' }] }), {
        ca: undefined,
        key: KEY,
      }),
      /self[- ]signed|certificate/i,
    );
  });
});
