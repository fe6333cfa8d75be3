// A throwaway PostgreSQL for tests of the shared metadata store.
//
// Requires: Debian's postgresql-15 (binaries in /usr/lib/postgresql/15/bin,
// or env POSTGRES_BIN_DIR). PostgreSQL refuses to run as root: as root, the
// temp dir is chowned to the `postgres` system user (created by the Debian
// package) and initdb, postgres and psql run as that user (spawn's uid/gid
// for initdb and psql; setpriv, which execs without forking, for the server
// under the watchdog).
// Promises: startPostgres() runs initdb into a fresh temp dir and postgres
// bound to 127.0.0.1 on a free port (unix socket in the temp dir, trust
// authentication for the superuser `postgres`, fsync off) under the watchdog
// of watched_process.mjs, and resolves once `SELECT 1` answers (polled with a
// deadline). createDatabase(name) makes a database and returns its URL;
// stop() shuts the server down (fast shutdown, SIGKILL after a timeout) and
// removes the dir.
import { spawnSync } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

import { freePort, killGroup, registerCleanup, spawnWatched, unregisterCleanup } from './watched_process.mjs';

export const POSTGRES_BIN_DIR = process.env.POSTGRES_BIN_DIR ?? '/usr/lib/postgresql/15/bin';

export function postgresAvailable() {
  return ['initdb', 'postgres', 'psql'].every((tool) => existsSync(path.join(POSTGRES_BIN_DIR, tool)));
}

// {uid, gid} of the postgres user when we are root, else null.
function runAsUser() {
  if (process.getuid() !== 0) return null;
  const id = (flag) => {
    const r = spawnSync('id', [flag, 'postgres'], { encoding: 'utf8' });
    if (r.status !== 0) throw new Error('running as root and there is no `postgres` user to run PostgreSQL as');
    return Number(r.stdout.trim());
  };
  return { uid: id('-u'), gid: id('-g') };
}

class PostgresServer {
  constructor(dir, port, child, user) {
    this.dir = dir;
    this.port = port;
    this.child = child;
    this.user = user;
    this.output = '';
    this.exited = new Promise((resolve) => child.on('exit', (code, signal) => resolve({ code, signal })));
    this.running = true;
    this.exited.then(() => {
      this.running = false;
    });
    child.stdout.on('data', (chunk) => (this.output += chunk));
    child.stderr.on('data', (chunk) => (this.output += chunk));
  }

  url(database = 'postgres') {
    return `postgresql://postgres@127.0.0.1:${this.port}/${database}`;
  }

  // Runs SQL with psql; returns {status, stdout, stderr}.
  psql(sql, database = 'postgres') {
    const r = spawnSync(
      path.join(POSTGRES_BIN_DIR, 'psql'),
      ['-X', '-A', '-t', '-v', 'ON_ERROR_STOP=1', '-h', '127.0.0.1', '-p', String(this.port), '-U', 'postgres', '-d', database, '-c', sql],
      { encoding: 'utf8', timeout: 30000, cwd: this.dir, ...(this.user ?? {}) },
    );
    return { status: r.status, stdout: (r.stdout ?? '').trim(), stderr: r.stderr ?? '' };
  }

  createDatabase(name) {
    const r = this.psql(`CREATE DATABASE ${name}`);
    if (r.status !== 0) throw new Error(`CREATE DATABASE ${name}: ${r.stderr}`);
    return this.url(name);
  }

  log() {
    return this.output.slice(-4000);
  }

  killGroupSync() {
    killGroup(this.child);
    rmSync(this.dir, { recursive: true, force: true });
  }

  async stop({ timeoutMs = 20000 } = {}) {
    if (this.running) {
      // The watchdog shell runs postgres as its child: SIGINT (fast
      // shutdown) the whole group, then SIGKILL whatever is left.
      try {
        process.kill(-this.child.pid, 'SIGINT');
      } catch {
        // gone
      }
      let timer;
      await Promise.race([
        this.exited,
        new Promise((resolve) => {
          timer = setTimeout(() => {
            killGroup(this.child);
            resolve();
          }, timeoutMs);
        }),
      ]);
      clearTimeout(timer);
      killGroup(this.child);
    }
    unregisterCleanup(this);
    rmSync(this.dir, { recursive: true, force: true });
  }
}

export async function startPostgres({ readyTimeoutMs = 30000 } = {}) {
  if (!postgresAvailable()) {
    throw new Error(`PostgreSQL binaries not found in ${POSTGRES_BIN_DIR} (install the postgresql package)`);
  }
  const user = runAsUser();
  const dir = mkdtempSync(path.join(tmpdir(), 'otelstack-postgres-'));
  if (user) chownSync(dir, user.uid, user.gid);
  const data = path.join(dir, 'data');
  const init = spawnSync(
    path.join(POSTGRES_BIN_DIR, 'initdb'),
    ['-D', data, '-U', 'postgres', '-A', 'trust', '-N', '-E', 'UTF8', '--locale=C'],
    { encoding: 'utf8', cwd: dir, timeout: 120000, ...(user ?? {}) },
  );
  if (init.status !== 0) {
    rmSync(dir, { recursive: true, force: true });
    throw new Error(`initdb failed (${init.status}): ${init.stderr}${init.stdout}`);
  }
  const port = await freePort();
  // Dynamic shared memory in the data dir, not /dev/shm: a server killed
  // (SIGKILL) leaves nothing behind outside the temp dir.
  const serverArgs = [
    '-D', data, '-h', '127.0.0.1', '-p', String(port), '-k', dir,
    '-c', 'fsync=off', '-c', 'synchronous_commit=off', '-c', 'dynamic_shared_memory_type=mmap',
  ];
  const postgresBin = path.join(POSTGRES_BIN_DIR, 'postgres');
  const child = user
    ? spawnWatched('setpriv', ['--reuid=postgres', '--regid=postgres', '--clear-groups', '--', postgresBin, ...serverArgs], { cwd: dir, removeDir: dir })
    : spawnWatched(postgresBin, serverArgs, { cwd: dir, removeDir: dir });
  const server = new PostgresServer(dir, port, child, user);
  registerCleanup(server);

  const deadline = Date.now() + readyTimeoutMs;
  for (;;) {
    if (!server.running) {
      await server.stop();
      throw new Error(`postgres exited before it was ready:\n${server.log()}`);
    }
    if (server.psql('SELECT 1').stdout === '1') return server;
    if (Date.now() >= deadline) {
      const log = server.log();
      await server.stop();
      throw new Error(`postgres did not answer SELECT 1 within ${readyTimeoutMs} ms:\n${log}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
}
