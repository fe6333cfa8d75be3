// Graceful shutdown: SIGTERM while OTLP/HTTP and OTLP/gRPC requests are in
// flight; the server must exit with code 0, and after a restart every
// acknowledged record is present exactly once.
import { test } from 'node:test';
import assert from 'node:assert/strict';

import { SeverityNumber } from '@opentelemetry/api-logs';

import { KEY, makeTempDir, search, startServer, waitFor } from './lib/harness.mjs';
import { Ledger, sendBatch, sleep } from './lib/load.mjs';
import { EXPORT_SUCCESS, exportOnce, makeExporter, makeLogRecords } from './lib/sdk.mjs';

const SERVICE = 'itest-shutdown';
const HTTP_WRITERS = 5;
const GRPC_WRITERS = 2;
const BATCH = 50;

test('SIGTERM with requests in flight exits 0 and keeps acknowledged data', async (t) => {
  const dataDir = makeTempDir(t);
  const ledger = new Ledger();
  const server = await startServer(t, { dataDir });
  let sigtermSent = false;
  let inflight = 0;
  const atSigterm = { inflight: 0, completedOk: 0, failed: 0 };

  // Runs send() until it fails after SIGTERM; before SIGTERM only 503 may fail.
  async function loop(send) {
    for (;;) {
      inflight += 1;
      const startedBeforeSigterm = !sigtermSent;
      const result = await send();
      inflight -= 1;
      if (startedBeforeSigterm && sigtermSent) {
        if (result.ok) atSigterm.completedOk += 1;
        else atSigterm.failed += 1;
      }
      if (result.ok) continue; // after SIGTERM: keep going until refused
      if (sigtermSent) return;
      if (result.status === 503) {
        await sleep(100);
        continue;
      }
      const why = `${result.status ?? ''} ${result.text ?? result.error}`;
      throw new Error(`request failed before SIGTERM: ${why}; ${server.describe()}`);
    }
  }

  const httpSend = () => sendBatch(server, ledger, { service: SERVICE, batchSize: BATCH });
  const grpcExporters = Array.from({ length: GRPC_WRITERS }, () =>
    makeExporter('logs', 'grpc', server, { key: KEY, extra: { timeoutMillis: 15000 } }),
  );
  const grpcSend = (exporter) => async () => {
    const seqs = ledger.take(BATCH);
    const records = makeLogRecords(
      SERVICE,
      seqs.map((seq) => ({ severityNumber: SeverityNumber.INFO, body: `load-${seq}`, attributes: { seq } })),
      'itest.shutdown',
    );
    const result = await exportOnce(exporter, records);
    if (result.code === EXPORT_SUCCESS) {
      for (const s of seqs) ledger.acked.add(s);
      return { ok: true };
    }
    for (const s of seqs) ledger.uncertain.add(s);
    // RESOURCE_EXHAUSTED (8) and UNAVAILABLE (14) are gRPC back-pressure.
    const retryable = result.error?.code === 8 || result.error?.code === 14;
    return { ok: false, status: retryable ? 503 : undefined, error: result.error };
  };

  let loopError;
  const loops = [
    ...Array.from({ length: HTTP_WRITERS }, () => loop(httpSend)),
    ...grpcExporters.map((e) => loop(grpcSend(e))),
  ].map((p) =>
    p.catch((err) => {
      loopError ??= err;
    }),
  );

  await waitFor('some acknowledged records', () => loopError || ledger.acked.size >= 10 * BATCH, {
    timeoutMs: 60000,
    intervalMs: 10,
  });
  if (loopError) throw loopError;
  await waitFor('several requests in flight', () => inflight >= 3, { timeoutMs: 10000, intervalMs: 1 });
  atSigterm.inflight = inflight;
  sigtermSent = true;
  const stoppedAt = Date.now();
  await server.stop({ timeoutMs: 60000 }); // asserts exit code 0
  const stopMs = Date.now() - stoppedAt;
  await Promise.all(loops);
  await Promise.all(grpcExporters.map((e) => e.shutdown()));
  if (loopError) throw loopError;
  t.diagnostic(`exit after ${stopMs} ms; in flight at SIGTERM: ${JSON.stringify(atSigterm)}`);

  const restarted = await startServer(t, { dataDir });
  const rows = await search(dataDir, { signal: 'logs', service: SERVICE, limit: 10000000 });
  const summary = ledger.verify(rows);
  t.diagnostic(`ledger: ${JSON.stringify(summary)}`);
  assert.ok(summary.acked >= 10 * BATCH);
  await restarted.stop();
});
