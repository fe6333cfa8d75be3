// A throwaway ClickHouse server for tests and benchmarks.
//
// Requires: the Debian clickhouse-server package (/usr/sbin/clickhouse-server,
// 18.16 or later; override with env CLICKHOUSE_SERVER_BIN).
// Promises:
//   - startClickHouse() writes its own config into a fresh temp dir (data,
//     tmp, user_files and logs all inside it), binds HTTP and native TCP to
//     127.0.0.1 on free ports, and resolves once `SELECT 1` answers over HTTP
//     (polled, no fixed sleeps). On timeout or early exit it rejects with the
//     tail of the server's log.
//   - The server runs in its own process group. stop() SIGKILLs that group,
//     waits for the exit and removes the temp dir (unless keepDir); the same
//     happens at process exit or on SIGINT/SIGTERM/SIGHUP, and a watchdog
//     shell in the group kills it within a second if this process dies
//     otherwise (SIGKILL), so no server outlives the test.
//   - query()/insertJsonEachRow() talk HTTP; a ClickHouse error rejects with
//     the query text and the server's message.
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

import { freePort, killGroup, registerCleanup, spawnWatched, unregisterCleanup } from '../lib/watched_process.mjs';

export const CLICKHOUSE_SERVER_BIN = process.env.CLICKHOUSE_SERVER_BIN ?? '/usr/sbin/clickhouse-server';

export function clickHouseAvailable() {
  return existsSync(CLICKHOUSE_SERVER_BIN);
}

function escapeXml(text) {
  return String(text).replace(/[<>&'"]/g, (c) => `&#${c.charCodeAt(0)};`);
}

function configXml({ dir, httpPort, tcpPort, extraConfig = '' }) {
  const p = (sub) => escapeXml(path.join(dir, sub) + (sub.endsWith('.log') ? '' : '/'));
  return `<?xml version="1.0"?>
<yandex>
  <logger>
    <level>information</level>
    <log>${p('log/server.log')}</log>
    <errorlog>${p('log/server.err.log')}</errorlog>
    <console>0</console>
  </logger>
  <listen_host>127.0.0.1</listen_host>
  <http_port>${httpPort}</http_port>
  <tcp_port>${tcpPort}</tcp_port>
  <path>${p('data')}</path>
  <tmp_path>${p('tmp')}</tmp_path>
  <user_files_path>${p('user_files')}</user_files_path>
  <format_schema_path>${p('format_schemas')}</format_schema_path>
  <users_config>${escapeXml(path.join(dir, 'users.xml'))}</users_config>
  <default_profile>default</default_profile>
  <default_database>default</default_database>
  <timezone>UTC</timezone>
  <mark_cache_size>268435456</mark_cache_size>
  <uncompressed_cache_size>268435456</uncompressed_cache_size>
  <max_concurrent_queries>50</max_concurrent_queries>
  <mlock_executable>false</mlock_executable>
${extraConfig}
</yandex>
`;
}

const usersXml = ({ extraProfiles = '', extraUsers = '' } = {}) => `<?xml version="1.0"?>
<yandex>
  <profiles>
    <default>
      <max_memory_usage>8000000000</max_memory_usage>
      <allow_experimental_low_cardinality_type>1</allow_experimental_low_cardinality_type>
    </default>
    ${extraProfiles}
  </profiles>
  <users>
    <default>
      <password></password>
      <networks><ip>127.0.0.1</ip></networks>
      <profile>default</profile>
      <quota>default</quota>
    </default>
    ${extraUsers}
  </users>
  <quotas><default><interval><duration>3600</duration><queries>0</queries><errors>0</errors>
    <result_rows>0</result_rows><read_rows>0</read_rows><execution_time>0</execution_time></interval></default></quotas>
</yandex>
`;

function tailOf(file, max = 4000) {
  try {
    const text = readFileSync(file, 'utf8');
    return text.length <= max ? text : `...${text.slice(-max)}`;
  } catch {
    return '(no log)';
  }
}

export class ClickHouse {
  constructor({ child, dir, httpPort, tcpPort, keepDir }) {
    this.child = child;
    this.dir = dir;
    this.httpPort = httpPort;
    this.tcpPort = tcpPort;
    this.keepDir = keepDir;
    this.stdio = '';
    this.exitInfo = undefined;
    this.exited = new Promise((resolve) => {
      child.on('exit', (code, signal) => {
        this.exitInfo = { code, signal };
        resolve(this.exitInfo);
      });
    });
  }

  get url() {
    return `http://127.0.0.1:${this.httpPort}/`;
  }

  get running() {
    return this.exitInfo === undefined;
  }

  describe() {
    return (
      `clickhouse-server (pid ${this.child.pid}, dir ${this.dir}, http ${this.httpPort})\n` +
      `stdout/stderr:\n${this.stdio.slice(-2000)}\nerror log:\n${tailOf(path.join(this.dir, 'log/server.err.log'))}`
    );
  }

  killGroupSync() {
    if (this.running) {
      killGroup(this.child);
    }
    unregisterCleanup(this);
    if (!this.keepDir) rmSync(this.dir, { recursive: true, force: true });
  }

  // SIGKILLs the process group and waits for the exit, keeping the dir:
  // restart() then starts a server on the same dir and ports (crash tests).
  async kill() {
    if (this.running) {
      killGroup(this.child);
      await this.exited;
    }
    unregisterCleanup(this);
  }

  // Starts a new server process on this server's dir and ports; resolves
  // with it (a new ClickHouse object) once it answers. REQUIRES: kill() first.
  async restart() {
    return startClickHouse({
      dir: this.dir,
      keepDir: this.keepDir,
      ports: { httpPort: this.httpPort, tcpPort: this.tcpPort },
      extraConfig: this.extraConfig,
      users: this.users,
    });
  }

  // Kills the whole process group, waits for the exit, removes the dir.
  async stop() {
    if (this.running) {
      killGroup(this.child);
      await this.exited;
    }
    this.killGroupSync();
  }

  // Runs `sql` over HTTP. `body` (optional) is sent as the request body after
  // the query (for INSERT ... FORMAT). Returns the response text.
  async raw(sql, { body, settings = {} } = {}) {
    const params = new URLSearchParams({ ...settings });
    let url;
    let payload;
    if (body === undefined) {
      url = `${this.url}?${params}`;
      payload = sql;
    } else {
      params.set('query', sql);
      url = `${this.url}?${params}`;
      payload = body;
    }
    const response = await fetch(url, { method: 'POST', body: payload });
    const text = await response.text();
    if (!response.ok) {
      throw new Error(`ClickHouse error (HTTP ${response.status}) for query:\n${sql}\n${text.trim()}`);
    }
    return text;
  }

  // Runs a SELECT and returns {columns: [{name, type}], rows: [[...]]} with
  // 64-bit integers kept as numbers when safe (output_format_json_quote_64bit_integers=0).
  async query(sql, settings = {}) {
    const text = await this.raw(`${sql}\nFORMAT JSONCompact`, {
      settings: { output_format_json_quote_64bit_integers: '0', ...settings },
    });
    const parsed = JSON.parse(text);
    return { columns: parsed.meta, rows: parsed.data };
  }

  // Inserts objects (one JSON object per row) into `table`, in chunks.
  async insertJsonEachRow(table, rows, { chunkRows = 20000 } = {}) {
    for (let i = 0; i < rows.length; i += chunkRows) {
      const chunk = rows.slice(i, i + chunkRows);
      const body = chunk.map((r) => JSON.stringify(r)).join('\n');
      await this.raw(`INSERT INTO ${table} FORMAT JSONEachRow`, {
        body,
        settings: { input_format_skip_unknown_fields: '0' },
      });
    }
  }
}

async function sleep(ms) {
  await new Promise((r) => setTimeout(r, ms));
}

// Starts a server. Options: dir (default: a fresh temp dir, removed on stop),
// keepDir, readyTimeoutMs, ports ({httpPort, tcpPort}: fixed ports, e.g. to
// restart a killed server where its clients expect it), extraConfig (XML
// elements added to config.xml, e.g. remote_servers, zookeeper, macros),
// users ({extraProfiles, extraUsers}: XML added to users.xml's <profiles> and
// <users>; the `default` user is always there, password-less, loopback only).
export async function startClickHouse({ dir, keepDir = false, readyTimeoutMs = 60000, ports, extraConfig = '', users = {} } = {}) {
  if (!clickHouseAvailable()) throw new Error(`${CLICKHOUSE_SERVER_BIN} not found (install clickhouse-server)`);
  dir ??= mkdtempSync(path.join(tmpdir(), 'otelstack-clickhouse-'));
  for (const sub of ['data', 'tmp', 'user_files', 'format_schemas', 'log']) {
    mkdirSync(path.join(dir, sub), { recursive: true });
  }
  // Both ports are probed free before the server binds them; a lost race
  // shows up as an early exit ("Address already in use") and is retried.
  let lastError;
  for (let attempt = 0; attempt < 3; attempt++) {
    const httpPort = ports?.httpPort ?? (await freePort());
    let tcpPort = ports?.tcpPort ?? (await freePort());
    while (tcpPort === httpPort) tcpPort = await freePort();
    const configPath = path.join(dir, 'config.xml');
    writeFileSync(configPath, configXml({ dir, httpPort, tcpPort, extraConfig }));
    writeFileSync(path.join(dir, 'users.xml'), usersXml(users));
    // A shell runs the server in the background and watches this process: if
    // we die without cleaning up (SIGKILL, crash), it kills the server within
    // a second and removes the dir.
    const child = spawnWatched(CLICKHOUSE_SERVER_BIN, [`--config-file=${configPath}`], {
      cwd: dir,
      removeDir: keepDir ? '' : dir,
    });
    const server = new ClickHouse({ child, dir, httpPort, tcpPort, keepDir });
    server.extraConfig = extraConfig;
    server.users = users;
    registerCleanup(server);
    child.stdout.setEncoding('utf8');
    child.stderr.setEncoding('utf8');
    child.stdout.on('data', (c) => (server.stdio += c));
    child.stderr.on('data', (c) => (server.stdio += c));
    child.on('error', (err) => (server.stdio += `spawn error: ${err.message}\n`));
    const deadline = Date.now() + readyTimeoutMs;
    for (;;) {
      if (!server.running) break;
      try {
        const text = await server.raw('SELECT 1');
        if (text.trim() === '1') return server;
      } catch {
        // not listening yet
      }
      if (Date.now() >= deadline) {
        const message = `clickhouse-server not ready within ${readyTimeoutMs} ms; ${server.describe()}`;
        await server.stop();
        throw new Error(message);
      }
      await sleep(50);
    }
    lastError = new Error(`clickhouse-server exited early (${JSON.stringify(server.exitInfo)}); ${server.describe()}`);
    unregisterCleanup(server);
    if (!/Address already in use/.test(server.describe())) break;
  }
  if (!keepDir) rmSync(dir, { recursive: true, force: true });
  throw lastError;
}
