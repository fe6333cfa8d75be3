// Background servers for tests (ClickHouse, ZooKeeper) that never outlive
// the test process.
//
// Promises:
//   - spawnWatched(command, args, {cwd, removeDir}) runs the command under a
//     watchdog shell in a new process group (detached), with stdout/stderr
//     piped to the caller. If this Node process dies without cleaning up
//     (SIGKILL, crash), the watchdog kills the command within a second and
//     removes `removeDir` (when given).
//   - registerCleanup(obj) / unregisterCleanup(obj): obj.killGroupSync() runs
//     at process exit and on SIGINT/SIGTERM/SIGHUP (then the process dies of
//     the same signal).
//   - killGroup(child) SIGKILLs the child's whole process group.
//   - freePort() is a TCP port that was free on 127.0.0.1 a moment ago.
import { spawn } from 'node:child_process';
import net from 'node:net';

// $1 our pid, $2 the dir to remove if we die first ('' to keep it), then the
// command and its arguments. A zombie counts as dead. The shell stops writing
// to our pipes once the command runs: after we die, a write (even wait's
// "Killed") would SIGPIPE it.
const WATCHDOG = `alive() {
  kill -0 "$1" 2>/dev/null && ! grep -q '^State:[[:space:]]*Z' "/proc/$1/status" 2>/dev/null
}
parent=$1
remove=$2
shift 2
"$@" &
server=$!
exec >/dev/null 2>&1
while alive "$parent" && alive "$server"; do sleep 1; done
kill -9 "$server" 2>/dev/null
wait "$server"
status=$?
if ! alive "$parent" && [ -n "$remove" ]; then rm -rf "$remove"; fi
exit $status`;

const live = new Set();
process.on('exit', () => {
  for (const obj of live) obj.killGroupSync();
});
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
  process.once(signal, () => {
    for (const obj of live) obj.killGroupSync();
    process.kill(process.pid, signal);
  });
}

export function registerCleanup(obj) {
  live.add(obj);
}

export function unregisterCleanup(obj) {
  live.delete(obj);
}

export function spawnWatched(command, args, { cwd, removeDir = '' } = {}) {
  return spawn('/bin/sh', ['-c', WATCHDOG, 'watchdog', String(process.pid), removeDir, command, ...args], {
    cwd,
    detached: true, // own process group, so killGroup() reaches every thread/child
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}

export function killGroup(child) {
  try {
    process.kill(-child.pid, 'SIGKILL');
  } catch {
    // the group is already gone
  }
}

export function freePort() {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}
