// Compressed OTLP from the real SDK exporters: gzip over gRPC (message
// compression, inflated by gRPC) and over HTTP (Content-Encoding: gzip).
import { test } from 'node:test';
import assert from 'node:assert/strict';

import { KEY, startServer, search } from './lib/harness.mjs';
import { makeExporter, makeLogRecords, exportOnce, EXPORT_SUCCESS, TRANSPORTS } from './lib/sdk.mjs';

for (const transport of TRANSPORTS) {
  test(`gzip-compressed logs over ${transport} are stored`, async (t) => {
    const server = await startServer(t);
    const service = `gzip-${transport.replace('/', '-')}`;
    // Repetitive bodies compress well, so the request really is smaller
    // compressed than plain.
    const bodies = Array.from({ length: 50 }, (_, i) => `compressed record ${i} ${'lorem ipsum '.repeat(20)}`);
    const records = makeLogRecords(service, bodies.map((body) => ({ body, attributes: { n: bodies.indexOf(body) } })));
    const exporter = makeExporter('logs', transport, server, { key: KEY, extra: { compression: 'gzip' } });
    const result = await exportOnce(exporter, records);
    assert.equal(result.code, EXPORT_SUCCESS, result.error ? result.error.message : 'export failed');
    await exporter.shutdown();
    const rows = await search(server.dataDir, { signal: 'logs', service, limit: 1000 });
    assert.equal(rows.length, bodies.length);
    assert.deepEqual(rows.map((r) => r.Body).sort(), [...bodies].sort());
    await server.stop();
  });
}
