// A throwaway standalone ZooKeeper for tests that need ClickHouse's
// distributed DDL (ON CLUSTER), e.g. the two-shard cluster test.
//
// Requires: Debian's `zookeeper` package (/usr/share/java/zookeeper.jar) and
// a Java runtime.
// Promises: startZooKeeper() runs ZooKeeperServerMain with its own config and
// data in a fresh temp dir, bound to 127.0.0.1 on a free port, under the
// watchdog of watched_process.mjs, and resolves once the `srvr` command
// answers "Mode: standalone" (polled). stop() kills it and removes the dir.
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';

import { freePort, killGroup, registerCleanup, spawnWatched, unregisterCleanup } from './watched_process.mjs';

export const ZOOKEEPER_JAR = process.env.ZOOKEEPER_JAR ?? '/usr/share/java/zookeeper.jar';

export function zooKeeperAvailable() {
  return existsSync(ZOOKEEPER_JAR) && existsSync('/usr/bin/java');
}

// Sends a four-letter command; resolves with the answer ('' on errors).
function fourLetter(port, command) {
  return new Promise((resolve) => {
    let answer = '';
    const socket = net.connect({ host: '127.0.0.1', port }, () => socket.write(command));
    socket.setTimeout(1000, () => socket.destroy());
    socket.on('data', (chunk) => (answer += chunk));
    socket.on('close', () => resolve(answer));
    socket.on('error', () => resolve(''));
  });
}

export async function startZooKeeper({ readyTimeoutMs = 60000 } = {}) {
  if (!zooKeeperAvailable()) throw new Error(`${ZOOKEEPER_JAR} or java not found (install the zookeeper package)`);
  const dir = mkdtempSync(path.join(tmpdir(), 'otelstack-zookeeper-'));
  mkdirSync(path.join(dir, 'data'));
  const port = await freePort();
  const config = path.join(dir, 'zoo.cfg');
  writeFileSync(
    config,
    [`tickTime=500`, `dataDir=${path.join(dir, 'data')}`, `clientPort=${port}`, 'clientPortAddress=127.0.0.1',
      'admin.enableServer=false', 'maxClientCnxns=0', '4lw.commands.whitelist=srvr'].join('\n') + '\n',
  );
  const child = spawnWatched('/usr/bin/java', ['-Xmx256m', '-cp', ZOOKEEPER_JAR,
    'org.apache.zookeeper.server.ZooKeeperServerMain', config], { cwd: dir, removeDir: dir });
  let output = '';
  child.stdout.setEncoding('utf8');
  child.stderr.setEncoding('utf8');
  child.stdout.on('data', (c) => (output += c));
  child.stderr.on('data', (c) => (output += c));
  let exited = false;
  const exitedPromise = new Promise((resolve) => child.on('exit', () => { exited = true; resolve(); }));
  const zk = {
    port,
    dir,
    killGroupSync() {
      if (!exited) killGroup(child);
      unregisterCleanup(zk);
      rmSync(dir, { recursive: true, force: true });
    },
    async stop() {
      if (!exited) {
        killGroup(child);
        await exitedPromise;
      }
      zk.killGroupSync();
    },
  };
  registerCleanup(zk);
  const deadline = Date.now() + readyTimeoutMs;
  while (!exited) {
    if ((await fourLetter(port, 'srvr')).includes('Mode: standalone')) return zk;
    if (Date.now() > deadline) break;
    await new Promise((r) => setTimeout(r, 100));
  }
  await zk.stop();
  throw new Error(`ZooKeeper did not start (exited: ${exited}):\n${output.slice(-3000)}`);
}
