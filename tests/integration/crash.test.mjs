// Crash consistency: sustained OTLP/HTTP ingest while the server is killed
// with SIGKILL at random moments and restarted on the same data directory.
// Every acknowledged record must survive exactly once; records of requests
// that failed because of a kill may or may not be stored, but at most once.
import { test } from 'node:test';
import assert from 'node:assert/strict';

import { makeTempDir, search, startServer, waitFor } from './lib/harness.mjs';
import { Ledger, sendBatch, sleep } from './lib/load.mjs';

const KILLS = 4;
const WRITERS = 3;
const BATCH = 20;
const SERVICE = 'itest-crash';

test('kill -9 during ingest loses no acknowledged record and duplicates none', async (t) => {
  const dataDir = makeTempDir(t);
  const ledger = new Ledger();
  let current = await startServer(t, { dataDir });
  let stopping = false;

  async function writer() {
    while (!stopping) {
      const server = current;
      const result = await sendBatch(server, ledger, { service: SERVICE, batchSize: BATCH });
      if (result.ok) continue;
      if (result.status === 503) {
        await sleep(200); // back-pressure is allowed by the contract
        continue;
      }
      if (result.status !== undefined) {
        throw new Error(`unexpected HTTP ${result.status}: ${result.text}; ${server.describe()}`);
      }
      // A failure is expected only around a kill: wait for the replacement.
      // If the same server is still alive several seconds later, the failure
      // was not caused by a kill.
      const since = Date.now();
      while (!stopping && current === server) {
        if (server.running && Date.now() - since > 5000) {
          const why = ledger.lastError?.message ?? JSON.stringify(ledger.requests.statuses);
          throw new Error(`request failed while the server was alive (${why}); ${server.describe()}`);
        }
        await sleep(20);
      }
    }
  }

  let writerError;
  const writers = Array.from({ length: WRITERS }, () =>
    writer().catch((err) => {
      writerError ??= err;
      stopping = true;
    }),
  );
  const killLog = [];
  try {
    for (let i = 0; i < KILLS; i++) {
      // Make sure this incarnation acknowledged something, then let it run a
      // random while longer before pulling the plug.
      const before = ledger.acked.size;
      await waitFor('ingest progress before the next kill', () => writerError || ledger.acked.size > before, {
        timeoutMs: 30000,
        intervalMs: 10,
      });
      if (writerError) break;
      const delay = 200 + Math.floor(Math.random() * 1300);
      await sleep(delay);
      killLog.push(`kill ${i + 1} after ${delay} ms, ${ledger.acked.size} acked`);
      const victim = current;
      await victim.kill9();
      current = await startServer(t, { dataDir });
    }
    const before = ledger.acked.size;
    await waitFor('ingest progress after the last restart', () => writerError || ledger.acked.size > before, {
      timeoutMs: 30000,
      intervalMs: 10,
    });
    await sleep(500);
  } finally {
    stopping = true;
    await Promise.all(writers);
  }
  if (writerError) throw writerError;
  t.diagnostic(killLog.join('; '));

  const rows = await search(dataDir, { signal: 'logs', service: SERVICE, limit: 10000000 });
  const summary = ledger.verify(rows);
  t.diagnostic(`ledger: ${JSON.stringify(summary)} requests: ${JSON.stringify(ledger.requests)}`);
  assert.ok(summary.acked > 0, 'some records were acknowledged');

  await current.stop();

  // And once more from a cold start: recovery after a clean shutdown agrees.
  const again = await startServer(t, { dataDir });
  ledger.verify(await search(dataDir, { signal: 'logs', service: SERVICE, limit: 10000000 }));
  await again.stop();
});
