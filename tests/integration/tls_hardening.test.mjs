// TLS beyond the basics (tls.test.mjs): the protocol floor and cipher list,
// client certificates (mTLS) on the OTLP ports, HSTS on the app, and
// certificate reload on SIGHUP without dropping established connections.
// Certificates come from the openssl CLI; probes use openssl s_client and
// Node's TLS stack.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { copyFileSync, renameSync } from 'node:fs';
import https from 'node:https';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import tls from 'node:tls';

import { SeverityNumber } from '@opentelemetry/api-logs';

import { fingerprint256, makeCa, makeSignedCert } from './lib/certs.mjs';
import { KEY, makeTempDir, search, startServer, waitFor } from './lib/harness.mjs';
import { logsRequest } from './lib/otlp_json.mjs';
import { EXPORT_SUCCESS, exportOnce, makeExporter, makeLogRecords } from './lib/sdk.mjs';

// One TLS handshake with openssl s_client; resolves {ok, output}.
function sClient(port, args) {
  const result = spawnSync('openssl', ['s_client', '-connect', `127.0.0.1:${port}`, ...args], {
    input: '', encoding: 'utf8', timeout: 20000,
  });
  const output = `${result.stdout}\n${result.stderr}`;
  const ok = result.status === 0 && /Cipher is (?!\(NONE\))/.test(output);
  return { ok, output };
}

// A request over `agent` (https); resolves {status, headers, reused, text}.
function httpsRequest(url, { agent, ca, cert, key, method = 'GET', headers = {}, body } = {}) {
  return new Promise((resolve, reject) => {
    const req = https.request(url, { method, agent, ca, cert, key, headers }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (c) => { text += c; });
      res.on('end', () => resolve({ status: res.statusCode, headers: res.headers, reused: req.reusedSocket, text }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

// The fingerprint of the certificate a fresh TLS connection is served.
function servedFingerprint(port, { ca, cert, key, alpn } = {}) {
  return new Promise((resolve, reject) => {
    const socket = tls.connect({ host: '127.0.0.1', port, ca, cert, key, servername: 'localhost',
      ALPNProtocols: alpn }, () => {
      const fp = socket.getPeerCertificate().fingerprint256;
      socket.end();
      resolve(fp);
    });
    socket.on('error', reject);
  });
}

const records = (service, body) => makeLogRecords(service, [{ severityNumber: SeverityNumber.INFO, body }], 'itest.tls');

describe('TLS hardening', () => {
  let dir;
  let ca;
  let serverCert;
  let client;
  let strangerClient;
  let server;

  before(async () => {
    dir = makeTempDir(null, 'otelstack-itest-tls-hardening-');
    ca = makeCa(dir, 'ca');
    const otherCa = makeCa(dir, 'other-ca');
    serverCert = makeSignedCert(dir, ca, 'server-1', 'server');
    client = makeSignedCert(dir, ca, 'client-1', 'client');
    strangerClient = makeSignedCert(dir, otherCa, 'stranger', 'client');
    // The server reads these two paths; the reload test replaces them.
    copyFileSync(serverCert.certPath, path.join(dir, 'live.pem'));
    copyFileSync(serverCert.keyPath, path.join(dir, 'live.key'));
    server = await startServer(null, {
      args: ['--tls-cert', path.join(dir, 'live.pem'), '--tls-key', path.join(dir, 'live.key'), '--tls-client-ca',
        ca.certPath],
    });
    assert.match(server.stderr, /OTLP\/HTTP listening on \S+ \(TLS, client certificates required\)/);
  });

  after(async () => {
    if (server?.running) await server.stop();
  });

  test('TLS 1.0/1.1 and non-AEAD TLS 1.2 ciphers are refused on every port; ECDHE+AES-GCM and TLS 1.3 work', () => {
    const clientCert = ['-cert', client.certPath, '-key', client.keyPath];
    const ports = [
      ['app', server.appPort, []],
      ['OTLP/HTTP', server.httpPort, clientCert],
      ['OTLP/gRPC', server.grpcPort, [...clientCert, '-alpn', 'h2']],
    ];
    for (const [name, port, extra] of ports) {
      // SECLEVEL=0 lets this client offer the old protocols: the refusal is the server's.
      for (const version of ['-tls1', '-tls1_1']) {
        const r = sClient(port, [...extra, version, '-cipher', 'DEFAULT:@SECLEVEL=0']);
        assert.equal(r.ok, false, `${name}: ${version} must fail:\n${r.output}`);
      }
      for (const cipher of ['AES128-SHA', 'AES256-GCM-SHA384', 'ECDHE-RSA-AES128-SHA', 'DHE-RSA-AES128-GCM-SHA256']) {
        const r = sClient(port, [...extra, '-tls1_2', '-cipher', `${cipher}:@SECLEVEL=0`]);
        assert.equal(r.ok, false, `${name}: TLS 1.2 with ${cipher} must fail:\n${r.output}`);
      }
      const gcm = sClient(port, [...extra, '-tls1_2', '-cipher', 'ECDHE-RSA-AES128-GCM-SHA256']);
      assert.ok(gcm.ok, `${name}: ${gcm.output}`);
      const v13 = sClient(port, [...extra, '-tls1_3']);
      assert.ok(v13.ok, `${name}: ${v13.output}`);
    }
    const chacha = sClient(server.appPort, ['-tls1_2', '-cipher', 'ECDHE-RSA-CHACHA20-POLY1305']);
    assert.ok(chacha.ok, chacha.output);
  });

  test('the app sends HSTS over TLS and needs no client certificate', async () => {
    const res = await httpsRequest(`${server.appUrl('https')}/api/health`, { ca: ca.pem });
    assert.equal(res.status, 200, res.text);
    assert.equal(res.headers['strict-transport-security'], 'max-age=63072000; includeSubDomains');
  });

  test('OTLP/HTTP needs a client certificate from the configured CA', async () => {
    const service = 'itest-mtls-http';
    const body = JSON.stringify(logsRequest({ service, records: [{ body: 'with-client-cert' }] }));
    const headers = { 'content-type': 'application/json', authorization: KEY };
    const url = `${server.httpUrl('https')}/v1/logs`;
    await assert.rejects(httpsRequest(url, { ca: ca.pem, method: 'POST', headers, body }), 'no client certificate');
    await assert.rejects(
      httpsRequest(url, { ca: ca.pem, cert: strangerClient.cert, key: strangerClient.key, method: 'POST', headers, body }),
      'a client certificate from another CA');
    const ok = await httpsRequest(url, { ca: ca.pem, cert: client.cert, key: client.key, method: 'POST', headers, body });
    assert.equal(ok.status, 200, ok.text);
    assert.deepEqual((await search(server.dataDir, { signal: 'logs', service })).map((r) => r.Body), ['with-client-cert']);
  });

  test('OTLP/gRPC needs a client certificate from the configured CA', async () => {
    const service = 'itest-mtls-grpc';
    const without = makeExporter('logs', 'grpc', server, { key: KEY, tls: { ca: ca.pem }, extra: { timeoutMillis: 5000 } });
    const refused = await exportOnce(without, records(service, 'no-cert'));
    await without.shutdown();
    assert.notEqual(refused.code, EXPORT_SUCCESS, 'gRPC without a client certificate must fail');

    const withCert = makeExporter('logs', 'grpc', server, { key: KEY, tls: { ca: ca.pem, cert: client.cert, key: client.key } });
    const accepted = await exportOnce(withCert, records(service, 'with-cert'));
    await withCert.shutdown();
    assert.equal(accepted.code, EXPORT_SUCCESS, `export failed: ${accepted.error}`);
    assert.deepEqual((await search(server.dataDir, { signal: 'logs', service })).map((r) => r.Body), ['with-cert']);
  });

  test('SIGHUP reloads the certificate; established connections keep working', async () => {
    const clientTls = { ca: ca.pem, cert: client.cert, key: client.key };
    const agent = new https.Agent({ keepAlive: true, maxSockets: 1, ...clientTls });
    const url = `${server.appUrl('https')}/api/health`;
    const first = await httpsRequest(url, { agent });
    assert.equal(first.status, 200);
    const before = fingerprint256(serverCert.certPath);
    assert.equal(await servedFingerprint(server.appPort, clientTls), before);

    // Replace the files the way cert-manager or certbot do: write, then rename.
    const renewed = makeSignedCert(dir, ca, 'server-2', 'server');
    copyFileSync(renewed.keyPath, path.join(dir, 'live.key.tmp'));
    copyFileSync(renewed.certPath, path.join(dir, 'live.pem.tmp'));
    renameSync(path.join(dir, 'live.key.tmp'), path.join(dir, 'live.key'));
    renameSync(path.join(dir, 'live.pem.tmp'), path.join(dir, 'live.pem'));
    const after = fingerprint256(renewed.certPath);
    assert.notEqual(after, before);

    const logged = server.stderr.length;
    server.child.kill('SIGHUP');
    await waitFor('the reload log line', () => /SIGHUP: reloaded the TLS certificate/.test(server.stderr.slice(logged)));
    assert.ok(server.running);

    // The kept-alive connection survives and still carries requests.
    const again = await httpsRequest(url, { agent });
    assert.equal(again.status, 200);
    assert.equal(again.reused, true, 'the established connection was dropped');
    agent.destroy();

    // New connections get the new certificate: the app and OTLP/HTTP at
    // once, OTLP/gRPC once its file watcher has seen the change.
    assert.equal(await servedFingerprint(server.appPort, clientTls), after);
    assert.equal(await servedFingerprint(server.httpPort, clientTls), after);
    await waitFor('the gRPC listener to serve the new certificate',
      async () => (await servedFingerprint(server.grpcPort, { ...clientTls, alpn: ['h2'] })) === after,
      { timeoutMs: 15000, intervalMs: 250 });

    // And exports over the new certificate work.
    const exporter = makeExporter('logs', 'grpc', server, { key: KEY, tls: clientTls });
    const result = await exportOnce(exporter, records('itest-tls-reloaded', 'after-reload'));
    await exporter.shutdown();
    assert.equal(result.code, EXPORT_SUCCESS, `export failed: ${result.error}`);
  });

  test('a reload with a key that does not match keeps the current certificate', async () => {
    const current = await servedFingerprint(server.appPort, { ca: ca.pem });
    const other = makeSignedCert(dir, ca, 'server-3', 'server');
    copyFileSync(other.certPath, path.join(dir, 'live.pem.tmp'));
    renameSync(path.join(dir, 'live.pem.tmp'), path.join(dir, 'live.pem')); // key file unchanged: mismatch
    const logged = server.stderr.length;
    server.child.kill('SIGHUP');
    await waitFor('the reload error', () => /SIGHUP: .*TLS reload failed/.test(server.stderr.slice(logged)));
    assert.match(server.stderr.slice(logged), /keeping the current certificate.*live\.(key|pem)/);
    assert.ok(server.running);
    assert.equal(await servedFingerprint(server.appPort, { ca: ca.pem }), current);
  });
});
