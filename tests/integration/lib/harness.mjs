// Starts, stops and queries the real otelstack binary for integration tests.
//
// Requires: env OTELSTACK_BIN = path of the binary (CTest sets it).
// Promises:
//   - startServer() spawns `otelstack serve` on 127.0.0.1 with port 0 for the
//     OTLP listeners and the app listener, parses the real ports from stderr and resolves once
//     `otelstack is ready` was logged; on timeout or early exit it rejects with
//     the captured stderr in the message.
//   - Every child process is SIGKILLed and every temp dir removed when the test
//     that created it ends (t.after) and, as a last resort, when the process exits.
//   - search() runs `otelstack search` and returns the parsed JSON lines.
import { spawn, execFile, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

export const BIN = process.env.OTELSTACK_BIN;
if (!BIN) {
  throw new Error('OTELSTACK_BIN must point at the otelstack binary');
}

// The ingestion key seeded into every server started by startServer.
export const KEY = 'itest-ingestion-key-0123456789abcdef';

// OTEL_* variables of the developer's shell would silently reconfigure the SDK
// exporters (endpoints, headers, timeouts); tests configure them explicitly.
for (const name of Object.keys(process.env)) {
  if (name.startsWith('OTEL_')) delete process.env[name];
}

const liveChildren = new Set();
const tempDirs = new Set();

process.on('exit', () => {
  for (const child of liveChildren) {
    try {
      child.kill('SIGKILL');
    } catch {
      // already gone
    }
  }
  for (const dir of tempDirs) rmSync(dir, { recursive: true, force: true });
});

// Environment for otelstack children: the parent's, minus OTELSTACK_* settings
// that would override what the test asks for, plus `extra`.
function childEnv(extra) {
  const env = {};
  for (const [name, value] of Object.entries(process.env)) {
    if (!name.startsWith('OTELSTACK_')) env[name] = value;
  }
  return { ...env, ...extra };
}

// A fresh temp dir, removed at the end of test `t` (or at process exit).
export function makeTempDir(t, prefix = 'otelstack-itest-') {
  const dir = mkdtempSync(path.join(tmpdir(), prefix));
  tempDirs.add(dir);
  const cleanup = () => {
    rmSync(dir, { recursive: true, force: true });
    tempDirs.delete(dir);
  };
  if (t) t.after(cleanup);
  return dir;
}

function tail(text, max = 6000) {
  return text.length <= max ? text : `...${text.slice(-max)}`;
}

export class Server {
  constructor(child, dataDir) {
    this.child = child;
    this.dataDir = dataDir;
    this.stderr = '';
    this.stdout = '';
    this.grpcPort = 0;
    this.httpPort = 0;
    this.appPort = 0; // the app server (API under /api)
    this.internalPort = 0; // /health, /ready, /metrics
    this.exitCode = undefined;
    this.exitSignal = undefined;
    this.exited = new Promise((resolve) => {
      child.on('exit', (code, signal) => {
        this.exitCode = code;
        this.exitSignal = signal;
        liveChildren.delete(child);
        resolve({ code, signal });
      });
    });
  }

  get running() {
    return this.exitCode === undefined && this.exitSignal === undefined;
  }

  // host:port of the gRPC listener (what the gRPC exporters want).
  get grpcAddress() {
    return `127.0.0.1:${this.grpcPort}`;
  }

  httpUrl(scheme = 'http') {
    return `${scheme}://127.0.0.1:${this.httpPort}`;
  }

  // Base URL of the app server (API under /api).
  appUrl(scheme = 'http') {
    return `${scheme}://127.0.0.1:${this.appPort}`;
  }

  // Base URL of the internal listener (/health, /ready, /metrics).
  internalUrl() {
    return `http://127.0.0.1:${this.internalPort}`;
  }

  grpcUrl(scheme = 'http') {
    return `${scheme}://127.0.0.1:${this.grpcPort}`;
  }

  describe() {
    return `otelstack serve (pid ${this.child.pid}, data dir ${this.dataDir}) stderr:\n${tail(this.stderr)}`;
  }

  // SIGTERM, then wait for the exit. Returns {code, signal}; with
  // expectCleanExit (default) throws unless the exit code is 0.
  async stop({ timeoutMs = 60000, expectCleanExit = true } = {}) {
    if (this.running) this.child.kill('SIGTERM');
    const result = await withTimeout(this.exited, timeoutMs, () => {
      this.child.kill('SIGKILL');
      return new Error(`server did not exit within ${timeoutMs} ms of SIGTERM; ${this.describe()}`);
    });
    if (expectCleanExit && (result.code !== 0 || result.signal !== null)) {
      const how = `code ${result.code} signal ${result.signal}`;
      throw new Error(`server exited with ${how} after SIGTERM, expected code 0; ${this.describe()}`);
    }
    return result;
  }

  // kill -9 and wait until the process is gone.
  async kill9() {
    if (this.running) this.child.kill('SIGKILL');
    return this.exited;
  }
}

async function withTimeout(promise, timeoutMs, onTimeout) {
  let timer;
  const timeout = new Promise((_, reject) => {
    timer = setTimeout(() => reject(onTimeout()), timeoutMs);
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

// Starts `otelstack serve`. Options:
//   dataDir     data directory (default: a fresh temp dir)
//   args        extra command-line arguments
//   env         extra environment variables
//   key         ingestion key seeded via OTELSTACK_INGESTION_KEY (null: none)
//   readyTimeoutMs
// The server is SIGKILLed when test `t` ends if it is still running.
export async function startServer(t, { dataDir, args = [], env = {}, key = KEY, readyTimeoutMs = 60000 } = {}) {
  dataDir ??= makeTempDir(t);
  const fullArgs = [
    'serve',
    '--data-dir',
    dataDir,
    '--otlp-grpc-listen',
    '127.0.0.1:0',
    '--otlp-http-listen',
    '127.0.0.1:0',
    '--http-listen',
    '127.0.0.1:0',
    '--internal-listen',
    '127.0.0.1:0',
    ...args,
  ];
  const extraEnv = { ...env };
  if (key !== null) extraEnv.OTELSTACK_INGESTION_KEY = key;
  const child = spawn(BIN, fullArgs, { env: childEnv(extraEnv), stdio: ['ignore', 'pipe', 'pipe'] });
  liveChildren.add(child);
  const server = new Server(child, dataDir);
  if (t) {
    t.after(async () => {
      if (server.running) await server.kill9();
    });
  }

  const ready = new Promise((resolve, reject) => {
    let isReady = false;
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (chunk) => {
      server.stdout += chunk;
    });
    child.stderr.setEncoding('utf8');
    child.stderr.on('data', (chunk) => {
      server.stderr += chunk;
      const grpc = /OTLP\/gRPC listening on [^\s]*:(\d+)/.exec(server.stderr);
      const http = /OTLP\/HTTP listening on [^\s]*:(\d+)/.exec(server.stderr);
      const app = /app \(UI and API\) listening on [^\s]*:(\d+)/.exec(server.stderr);
      if (grpc) server.grpcPort = Number(grpc[1]);
      if (http) server.httpPort = Number(http[1]);
      if (app) server.appPort = Number(app[1]);
      const internal = /internal \(\/health, \/ready, \/metrics\) listening on [^\s]*:(\d+)/.exec(server.stderr);
      if (internal) server.internalPort = Number(internal[1]);
      if (!isReady && /otelstack is ready/.test(server.stderr)) {
        isReady = true;
        if (!server.grpcPort || !server.httpPort) {
          reject(new Error(`server logged "otelstack is ready" before both listen lines; ${server.describe()}`));
        } else {
          resolve(server);
        }
      }
    });
    child.on('error', (err) => reject(new Error(`cannot spawn ${BIN}: ${err.message}`)));
    server.exited.then(({ code, signal }) => {
      if (!isReady) {
        reject(new Error(`server exited (code ${code}, signal ${signal}) before it was ready; ${server.describe()}`));
      }
    });
  });
  try {
    return await withTimeout(ready, readyTimeoutMs, () => {
      child.kill('SIGKILL');
      return new Error(`server not ready within ${readyTimeoutMs} ms; ${server.describe()}`);
    });
  } catch (err) {
    child.kill('SIGKILL');
    throw err;
  }
}

// Runs the binary with `args`; resolves {stdout, stderr}, rejects on a
// non-zero exit with both streams in the message.
export function runCli(args, { env = {}, timeoutMs = 60000 } = {}) {
  return new Promise((resolve, reject) => {
    execFile(
      BIN,
      args,
      { env: childEnv(env), maxBuffer: 512 * 1024 * 1024, timeout: timeoutMs, encoding: 'utf8' },
      (err, stdout, stderr) => {
        if (err) {
          reject(
            new Error(
              `otelstack ${args.join(' ')} failed (code ${err.code}, signal ${err.signal}): ${err.message}\n` +
                `stdout:\n${tail(stdout)}\nstderr:\n${tail(stderr)}`,
            ),
          );
        } else {
          resolve({ stdout, stderr });
        }
      },
    );
  });
}

// Runs `otelstack <args>` and resolves with {code, stdout, stderr} whatever
// the exit code (for commands expected to fail).
export function runCliRaw(args, { env = {}, timeoutMs = 60000 } = {}) {
  return new Promise((resolve) => {
    execFile(BIN, args, { env: childEnv(env), timeout: timeoutMs, encoding: 'utf8' }, (err, stdout, stderr) => {
      resolve({ code: err ? err.code : 0, stdout, stderr });
    });
  });
}

// `otelstack search --data-dir dataDir <args>`, one parsed object per line.
// args: an array of CLI arguments, or an object {signal, limit, service, ...}
// whose keys become --kebab-case flags.
export async function search(dataDir, args) {
  const argv = Array.isArray(args) ? args : objectToFlags(args);
  const { stdout } = await runCli(['search', '--data-dir', dataDir, ...argv]);
  const rows = [];
  for (const line of stdout.split('\n')) {
    if (line.trim() === '') continue;
    try {
      rows.push(JSON.parse(line));
    } catch (err) {
      throw new Error(`search printed a line that is not JSON (${err.message}): ${line.slice(0, 500)}`);
    }
  }
  return rows;
}

function objectToFlags(obj) {
  const argv = [];
  for (const [name, value] of Object.entries(obj)) {
    if (value === undefined || value === null) continue;
    argv.push(`--${name.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`, String(value));
  }
  return argv;
}

// `otelstack keys create`: returns the raw key (the last non-empty stdout line).
export async function createKey(dataDir, name) {
  const { stdout } = await runCli(['keys', 'create', '--data-dir', dataDir, '--name', name]);
  const lines = stdout.split('\n').filter((l) => l.trim() !== '');
  if (lines.length === 0) throw new Error(`keys create printed nothing for ${name}`);
  return lines[lines.length - 1].trim();
}

// `otelstack keys list --json`, parsed. Accepts a JSON array, an object with
// an array member, or one JSON object per line.
export async function listKeys(dataDir) {
  const { stdout } = await runCli(['keys', 'list', '--data-dir', dataDir, '--json']);
  const text = stdout.trim();
  if (text === '') return [];
  try {
    const parsed = JSON.parse(text);
    if (Array.isArray(parsed)) return parsed;
    const arrays = Object.values(parsed).filter(Array.isArray);
    if (arrays.length === 1) return arrays[0];
    return [parsed];
  } catch {
    return text
      .split('\n')
      .filter((l) => l.trim() !== '')
      .map((l) => JSON.parse(l));
  }
}

// Polls `probe` (async, returns truthy when done) every intervalMs until it
// succeeds or timeoutMs elapses; returns the truthy value or throws with
// `what` and the last probe result/error.
export async function waitFor(what, probe, { timeoutMs = 10000, intervalMs = 100 } = {}) {
  const deadline = Date.now() + timeoutMs;
  let last;
  for (;;) {
    try {
      const value = await probe();
      if (value) return value;
      last = value;
    } catch (err) {
      last = err;
    }
    if (Date.now() >= deadline) {
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}; last result: ${last}`);
    }
    await new Promise((r) => setTimeout(r, intervalMs));
  }
}

// Generates a self-signed certificate for 127.0.0.1/localhost with the openssl
// CLI into `dir`; returns {certPath, keyPath}.
export function makeSelfSignedCert(dir) {
  const certPath = path.join(dir, 'cert.pem');
  const keyPath = path.join(dir, 'key.pem');
  const result = spawnSync(
    'openssl',
    [
      'req',
      '-x509',
      '-newkey',
      'rsa:2048',
      '-nodes',
      '-keyout',
      keyPath,
      '-out',
      certPath,
      '-days',
      '2',
      '-subj',
      '/CN=localhost',
      '-addext',
      'subjectAltName=IP:127.0.0.1,DNS:localhost',
    ],
    { encoding: 'utf8' },
  );
  if (result.status !== 0) {
    throw new Error(`openssl req failed (${result.status}): ${result.stderr}`);
  }
  return { certPath, keyPath };
}

// Parses an RFC 3339 UTC timestamp with up to 9 fractional digits into BigInt
// nanoseconds since the epoch (exact, unlike Date).
export function rfc3339ToNs(text) {
  const m = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2})(?:\.(\d{1,9}))?Z$/.exec(text);
  if (!m) throw new Error(`not an RFC 3339 UTC timestamp: ${text}`);
  const seconds = BigInt(Date.parse(`${m[1]}Z`) / 1000);
  const fraction = BigInt((m[2] ?? '').padEnd(9, '0'));
  return seconds * 1000000000n + fraction;
}

// [seconds, nanos] (the SDK's HrTime) -> BigInt nanoseconds.
export function hrTimeToNs(hr) {
  return BigInt(hr[0]) * 1000000000n + BigInt(hr[1]);
}
