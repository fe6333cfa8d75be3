// Sustained ingest with per-record sequence numbers, for durability tests.
//
// Each record carries a unique integer attribute `seq` (and body `load-<seq>`).
// A Ledger remembers which seqs were acknowledged (HTTP 200) and which were in
// requests whose outcome is unknown (connection error, non-200), and checks
// search results against the durability promise: every acknowledged record
// exactly once, every other sent record at most once, nothing else.
import assert from 'node:assert/strict';

import { KEY } from './harness.mjs';
import { logsRequest, post } from './otlp_json.mjs';

export class Ledger {
  constructor() {
    this.nextSeq = 0;
    this.acked = new Set();
    this.uncertain = new Set();
    this.requests = { ok: 0, failed: 0, statuses: {} };
  }

  take(n) {
    const seqs = [];
    for (let i = 0; i < n; i++) seqs.push(this.nextSeq++);
    return seqs;
  }

  // Checks `rows` (search output for the load's service) against the ledger.
  verify(rows) {
    const counts = new Map();
    for (const row of rows) {
      const seq = row.LogAttributes?.seq;
      assert.equal(typeof seq, 'number', `row without a numeric seq attribute: ${JSON.stringify(row).slice(0, 300)}`);
      assert.equal(row.Body, `load-${seq}`, `body matches seq ${seq}`);
      counts.set(seq, (counts.get(seq) ?? 0) + 1);
    }
    const missing = [...this.acked].filter((s) => !counts.has(s));
    const duplicated = [...counts].filter(([, n]) => n > 1).map(([s, n]) => `${s}x${n}`);
    const unknown = [...counts.keys()].filter((s) => !this.acked.has(s) && !this.uncertain.has(s));
    assert.deepEqual(
      missing.slice(0, 50),
      [],
      `${missing.length} of ${this.acked.size} acknowledged records are missing (first 50 shown)`,
    );
    assert.deepEqual(duplicated.slice(0, 50), [], `${duplicated.length} records are stored more than once`);
    assert.deepEqual(unknown.slice(0, 50), [], `${unknown.length} stored records were never sent`);
    return {
      acked: this.acked.size,
      uncertain: this.uncertain.size,
      uncertainStored: [...this.uncertain].filter((s) => counts.has(s)).length,
      rows: rows.length,
    };
  }
}

// Sends one OTLP/JSON batch of `batchSize` records to `server`; records the
// outcome in `ledger`. Resolves {ok, status, error}: ok when acknowledged,
// status for any HTTP answer, error for transport errors (the expected effect
// of kills and shutdowns). Never throws.
export async function sendBatch(server, ledger, { service, batchSize, timeoutMs = 30000 }) {
  const seqs = ledger.take(batchSize);
  const body = logsRequest({
    service,
    records: seqs.map((seq) => ({ body: `load-${seq}`, attributes: { seq } })),
  });
  try {
    const res = await post(server.httpUrl(), '/v1/logs', body, { key: KEY, signal: AbortSignal.timeout(timeoutMs) });
    ledger.requests.statuses[res.status] = (ledger.requests.statuses[res.status] ?? 0) + 1;
    if (res.status === 200) {
      for (const s of seqs) ledger.acked.add(s);
      ledger.requests.ok += 1;
      return { ok: true, status: 200 };
    }
    for (const s of seqs) ledger.uncertain.add(s);
    ledger.requests.failed += 1;
    return { ok: false, status: res.status, text: res.text };
  } catch (err) {
    for (const s of seqs) ledger.uncertain.add(s);
    ledger.requests.failed += 1;
    ledger.lastError = err;
    return { ok: false, error: err };
  }
}

export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
