// `--clickhouse-cluster`: otelstack creates its tables ON CLUSTER (local
// MergeTree tables on every shard plus Distributed tables over them) and
// writes through the Distributed tables. Two clickhouse-server processes on
// loopback form a two-shard cluster; a standalone ZooKeeper (Debian's
// `zookeeper` package) carries the distributed DDL queue.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';

import { startServer, waitFor } from './lib/harness.mjs';
import { logsRequest, post, tracesRequest, randomTraceId } from './lib/otlp_json.mjs';
import { KEY } from './lib/harness.mjs';
import { freePort } from './lib/watched_process.mjs';
import { startZooKeeper } from './lib/zookeeper.mjs';
import { startClickHouse } from './differential/clickhouse.mjs';

const CLUSTER = 'otelstack_test';

function clusterConfig(tcpPorts, zkPort) {
  const shards = tcpPorts
    .map((port) => `<shard><replica><host>127.0.0.1</host><port>${port}</port></replica></shard>`)
    .join('');
  return `<remote_servers><${CLUSTER}>${shards}</${CLUSTER}></remote_servers>
  <zookeeper><node><host>127.0.0.1</host><port>${zkPort}</port></node></zookeeper>
  <distributed_ddl><path>/clickhouse/task_queue/ddl</path></distributed_ddl>`;
}

async function count(ch, table) {
  const { rows } = await ch.query(`SELECT count() FROM ${table}`);
  return Number(rows[0][0]);
}

describe('ClickHouse cluster (two shards)', () => {
  let zk;
  const shards = [];

  before(async () => {
    zk = await startZooKeeper();
    const ports = [];
    for (let i = 0; i < 2; i++) ports.push({ httpPort: await freePort(), tcpPort: await freePort() });
    const extraConfig = clusterConfig(ports.map((p) => p.tcpPort), zk.port);
    for (const p of ports) shards.push(await startClickHouse({ ports: p, extraConfig }));
  });

  after(async () => {
    for (const ch of shards) await ch.stop();
    if (zk) await zk.stop();
  });

  test('tables are created on every shard and rows are spread over them', async (t) => {
    const [first, second] = shards;
    const server = await startServer(t, {
      args: ['--storage', 'clickhouse', '--clickhouse-url', first.url, '--clickhouse-cluster', CLUSTER,
        '--clickhouse-flush-interval', '0.2'],
    });
    const records = [];
    for (let i = 0; i < 400; i++) records.push({ body: `cluster-${i}`, attributes: { i } });
    for (let i = 0; i < 4; i++) {
      const res = await post(server.httpUrl(), '/v1/logs', logsRequest({ service: 'cluster', records: records.slice(i * 100, (i + 1) * 100) }), { key: KEY });
      assert.equal(res.status, 200, res.text);
    }
    const traceId = randomTraceId();
    const spans = [];
    for (let i = 0; i < 20; i++) spans.push({ name: `span-${i}`, traceId });
    assert.equal((await post(server.httpUrl(), '/v1/traces', tracesRequest({ service: 'cluster', spans }), { key: KEY })).status, 200);

    await waitFor('400 logs through the Distributed table', async () => (await count(first, 'otel.otel_logs')) === 400, {
      timeoutMs: 30000,
    });
    // Both shards have the local tables (created ON CLUSTER) and a share of the rows.
    const local = [await count(first, 'otel.otel_logs_local'), await count(second, 'otel.otel_logs_local')];
    assert.equal(local[0] + local[1], 400, `local counts ${local}`);
    assert.ok(local[0] > 0 && local[1] > 0, `rows on both shards: ${local}`);
    // The second shard sees everything through its own Distributed table too.
    assert.equal(await count(second, 'otel.otel_logs'), 400);
    // A trace stays on one shard (sharded by its id).
    await waitFor('20 spans', async () => (await count(first, 'otel.otel_traces')) === 20, { timeoutMs: 30000 });
    const spansLocal = [await count(first, 'otel.otel_traces_local'), await count(second, 'otel.otel_traces_local')];
    assert.deepEqual([...spansLocal].sort((a, b) => a - b), [0, 20], `spans per shard: ${spansLocal}`);
    await server.stop();
  });
});
