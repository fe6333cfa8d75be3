// deploy/systemd/otelstack.service: the hardening invariants, `systemd-analyze
// verify` of a copy whose ExecStart names the built binary, and the binary
// started exactly as the unit starts it (its ExecStart, Environment= and
// LoadCredential= files, a umask of UMask=), with the state directory, the
// credentials directory (%d) and the listen ports moved to temporary ones on
// loopback; then SIGTERM must stop it cleanly within TimeoutStopSec.
// Needs OTELSTACK_BIN and openssl.
import test from "node:test";
import assert from "node:assert/strict";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import net from "node:net";
import http from "node:http";
import https from "node:https";
import crypto from "node:crypto";
import { execFileSync, spawn, spawnSync } from "node:child_process";
import { checkUnit, parseUnit, read, unitEnvironment, unitValue, unitValues } from "./lib.mjs";

const bin = process.env.OTELSTACK_BIN;
const unitText = read("deploy/systemd/otelstack.service");
const unit = parseUnit(unitText);
const work = fs.mkdtempSync(path.join(process.env.OTELSTACK_DEPLOY_WORK_DIR ?? os.tmpdir(), "systemd-"));

test("the unit keeps every hardening invariant", () => {
  assert.deepEqual(checkUnit(unit), []);
});

test("broken units are reported", () => {
  const cases = [
    [/^ProtectSystem=.*$/m, "ProtectSystem=full", /ProtectSystem/],
    [/^CapabilityBoundingSet=.*$/m, "CapabilityBoundingSet=CAP_NET_BIND_SERVICE", /CapabilityBoundingSet/],
    [/^TimeoutStopSec=.*$/m, "TimeoutStopSec=5s", /TimeoutStopSec/],
    [/^RestrictAddressFamilies=.*$/m, "RestrictAddressFamilies=AF_INET AF_INET6 AF_UNIX AF_NETLINK", /RestrictAddressFamilies/],
    [/^LoadCredential=session_secret:.*$/m, "", /no LoadCredential=session_secret/],
    [/^Environment=OTELSTACK_ENV=.*$/m, "Environment=OTELSTACK_SESSION_SECRET=abc", /by value|production/],
    [/^MemoryDenyWriteExecute=.*$/m, "", /MemoryDenyWriteExecute/],
    [/^Environment=OTELSTACK_INTERNAL_LISTEN=.*$/m, "Environment=OTELSTACK_INTERNAL_LISTEN=0.0.0.0:8888", /loopback/],
  ];
  for (const [from, to, pattern] of cases) {
    const broken = unitText.replace(from, to);
    assert.notEqual(broken, unitText, String(from));
    const problems = checkUnit(parseUnit(broken));
    assert.ok(problems.some((p) => pattern.test(p)), `expected ${pattern} in ${JSON.stringify(problems)}`);
  }
});

// A copy of the unit whose ExecStart is the built binary (verify checks it exists).
function unitCopy(name, text) {
  const file = path.join(work, name);
  fs.writeFileSync(file, text.replace(/^ExecStart=\S+/m, `ExecStart=${bin}`));
  return file;
}
function verify(file) {
  const r = spawnSync("systemd-analyze", ["verify", file], { encoding: "utf8" });
  return { status: r.status, output: (r.stdout + r.stderr).trim() };
}

test("systemd-analyze verify accepts the unit without a warning", () => {
  assert.ok(bin, "OTELSTACK_BIN is not set");
  const r = verify(unitCopy("otelstack.service", unitText));
  assert.equal(r.status, 0, r.output);
  assert.equal(r.output, "");
  // ...and does complain about a broken one, so the check can fail.
  const bad = verify(unitCopy("otelstack-bad.service", unitText.replace("ProtectSystem=strict", "ProtectSystem=bananas")));
  assert.match(bad.output, /bananas/);
});

const freePort = () => new Promise((resolve, reject) => {
  const s = net.createServer();
  s.once("error", reject);
  s.listen(0, "127.0.0.1", () => { const { port } = s.address(); s.close(() => resolve(port)); });
});

function get(url, options = {}) {
  const mod = url.startsWith("https:") ? https : http;
  return new Promise((resolve, reject) => {
    const req = mod.request(url, { rejectUnauthorized: false, timeout: 2000, ...options }, (res) => {
      const tls = !!res.socket?.encrypted;
      res.resume();
      res.on("end", () => resolve({ status: res.statusCode, tls }));
    });
    req.on("error", reject);
    req.on("timeout", () => req.destroy(new Error("timeout")));
    req.end(options.body);
  });
}

async function poll(what, deadlineMs, probe, exited) {
  const deadline = Date.now() + deadlineMs;
  let last = "";
  while (Date.now() < deadline) {
    if (exited()) throw new Error(`otelstack exited while waiting for ${what}`);
    try { if (await probe()) return; } catch (e) { last = e.message; }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`${what}: not within ${deadlineMs} ms (${last})`);
}

// Starts the binary as the unit does: returns {child, env, exited(), output()}.
async function startAsUnit({ dropCredential } = {}) {
  const run = fs.mkdtempSync(path.join(work, "run-"));
  const state = path.join(run, "state");
  fs.mkdirSync(state, { mode: 0o700 }); // StateDirectoryMode=0700
  const creds = path.join(run, "credentials");
  fs.mkdirSync(creds, { mode: 0o700 });
  // What LoadCredential= would copy: generated stand-ins for the files it names.
  for (const spec of unitValues(unit, "LoadCredential")) {
    const name = spec.split(":")[0];
    if (name === dropCredential) continue;
    const file = path.join(creds, name);
    if (name === "tls.crt" || name === "tls.key") continue;
    fs.writeFileSync(file, crypto.randomBytes(32).toString("hex") + "\n", { mode: 0o400 });
  }
  execFileSync("openssl", ["req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-days", "1",
    "-subj", "/CN=localhost", "-keyout", path.join(creds, "tls.key"), "-out", path.join(creds, "tls.crt")], { stdio: "ignore" });

  const env = unitEnvironment(unit);
  for (const [k, v] of Object.entries(env)) {
    if (dropCredential && v === `%d/${dropCredential}`) delete env[k]; // as if the unit did not set it
    else env[k] = v.replace(/%d/g, creds);
  }
  assert.equal(env.OTELSTACK_DATA_DIR, "/var/lib/otelstack");
  env.OTELSTACK_DATA_DIR = state;
  const ports = {};
  for (const k of ["OTELSTACK_OTLP_GRPC_LISTEN", "OTELSTACK_OTLP_HTTP_LISTEN", "OTELSTACK_HTTP_LISTEN", "OTELSTACK_INTERNAL_LISTEN"]) {
    assert.ok(env[k], `the unit sets ${k}`);
    ports[k] = await freePort();
    env[k] = `127.0.0.1:${ports[k]}`;
  }
  // ExecStart: the command line, with the binary replaced by the built one.
  const argv = unitValue(unit, "ExecStart").split(/\s+/);
  argv[0] = bin;
  const umask = unitValue(unit, "UMask");
  const child = spawn("sh", ["-c", `umask ${umask} && cd "$1" && shift && exec "$@"`, "sh", state, ...argv], {
    env: { PATH: "/usr/bin:/bin", ...passThroughSanitizerEnv(), ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  child.stdout.on("data", (d) => { output += d; });
  child.stderr.on("data", (d) => { output += d; });
  let exitCode = null;
  const exitedPromise = new Promise((resolve) => child.on("exit", (code, signal) => { exitCode = code ?? signal; resolve(exitCode); }));
  return { child, ports, state, exited: () => exitCode !== null, exitedPromise, output: () => output };
}

function passThroughSanitizerEnv() {
  const out = {};
  for (const k of ["ASAN_OPTIONS", "UBSAN_OPTIONS", "LSAN_OPTIONS"]) if (process.env[k]) out[k] = process.env[k];
  return out;
}

test("the binary runs as the unit starts it and stops cleanly on SIGTERM", async (t) => {
  assert.ok(bin, "OTELSTACK_BIN is not set");
  const s = await startAsUnit();
  t.after(() => { if (!s.exited()) s.child.kill("SIGKILL"); });
  try {
    const app = `https://127.0.0.1:${s.ports.OTELSTACK_HTTP_LISTEN}/`;
    await poll("GET /ready on the internal listener", 60000, async () =>
      (await get(`http://127.0.0.1:${s.ports.OTELSTACK_INTERNAL_LISTEN}/ready`)).status === 200, s.exited);
    await poll("the app port over TLS", 60000, async () => (await get(app)).tls, s.exited);
    // TLS from the credentials, ingestion auth on (production refuses it off).
    const otlp = await get(`https://127.0.0.1:${s.ports.OTELSTACK_OTLP_HTTP_LISTEN}/v1/logs`, {
      method: "POST", headers: { "content-type": "application/json" }, body: "{}",
    });
    assert.equal(otlp.tls, true);
    assert.equal(otlp.status, 401, "OTLP without an ingestion key must be refused");
    const stat = fs.statSync(s.state);
    assert.equal(stat.mode & 0o077, 0, "state directory stays private");
  } finally {
    s.child.kill("SIGTERM");
  }
  const stopSec = parseInt(unitValue(unit, "TimeoutStopSec"), 10);
  const timer = setTimeout(() => s.child.kill("SIGKILL"), stopSec * 1000);
  const code = await s.exitedPromise;
  clearTimeout(timer);
  assert.equal(code, 0, `exit ${code} after SIGTERM:\n${s.output()}`);
  // No file in the state directory is readable by group or others (UMask=0077).
  const loose = [];
  const walk = (d) => {
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, e.name);
      if ((fs.lstatSync(p).mode & 0o077) !== 0) loose.push(p);
      if (e.isDirectory()) walk(p);
    }
  };
  walk(s.state);
  assert.deepEqual(loose, []);
});

test("production mode of the unit refuses to start without the session secret", async (t) => {
  assert.ok(bin, "OTELSTACK_BIN is not set");
  const s = await startAsUnit({ dropCredential: "session_secret" });
  t.after(() => { if (!s.exited()) s.child.kill("SIGKILL"); });
  const timer = setTimeout(() => s.child.kill("SIGKILL"), 60000);
  const code = await s.exitedPromise;
  clearTimeout(timer);
  assert.notEqual(code, 0, s.output());
  // Outside production a missing secret is generated instead (docs/security.md).
  assert.match(s.output(), /no session secret/i);
});
