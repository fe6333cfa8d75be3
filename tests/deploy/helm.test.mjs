// deploy/helm/otelstack rendered with helm-render (Go text/template + sprig,
// the engine Helm uses, with missingkey=error so that a template reading a
// value values.yaml lacks fails), then every manifest validated against the
// Kubernetes schemas (kubernetes-models) and the chart's invariants.
import test from "node:test";
import assert from "node:assert/strict";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { spawnSync } from "node:child_process";
import { buildHelmRender, checkManifests, clone, deployDir, here, parseManifests } from "./lib.mjs";

const chart = path.join(deployDir, "helm/otelstack");
const work = fs.mkdtempSync(path.join(process.env.OTELSTACK_DEPLOY_WORK_DIR ?? os.tmpdir(), "helm-"));
const renderer = buildHelmRender(process.env.OTELSTACK_DEPLOY_WORK_DIR ?? work);

function render(chartDir, ...valueFiles) {
  const args = [chartDir, ...valueFiles.flatMap((v) => ["-f", v])];
  const r = spawnSync(renderer, args, { encoding: "utf8" });
  return { ok: r.status === 0, out: r.stdout, err: r.stderr };
}
const values = (name) => path.join(here, "helm-values", name);
function writeValues(obj) {
  const f = path.join(work, `values-${Math.random().toString(36).slice(2)}.json`);
  fs.writeFileSync(f, JSON.stringify(obj)); // JSON is YAML
  return f;
}

for (const name of ["tls.yaml", "upstream.yaml", "clickhouse.yaml"]) {
  test(`the chart renders with ${name} into valid manifests that keep every invariant`, async () => {
    const r = render(chart, values(name));
    assert.ok(r.ok, r.err);
    const objs = parseManifests(r.out);
    assert.deepEqual(objs.map((o) => o.kind).sort(), [...(name === "tls.yaml" ? ["Secret"] : []), "Service", "Service", "Service", "StatefulSet"].sort());
    assert.deepEqual(await checkManifests(objs), []);
    assert.match(r.out, /# Source: NOTES.txt/);
  });
}

test("the rendered values reach the pod", () => {
  const objs = parseManifests(render(chart, values("clickhouse.yaml")).out);
  const c = objs.find((o) => o.kind === "StatefulSet").spec.template.spec.containers[0];
  const env = Object.fromEntries(c.env.map((e) => [e.name, e.value]));
  assert.equal(env.OTELSTACK_STORAGE, "clickhouse");
  assert.equal(env.OTELSTACK_CLICKHOUSE_URL, "https://clickhouse.example.internal:8443");
  assert.equal(env.OTELSTACK_CLICKHOUSE_USER, "otelstack_ingest");
  assert.equal(env.OTELSTACK_CLICKHOUSE_PASSWORD_FILE, "/etc/otelstack/secrets/clickhouse-password");
  assert.equal(env.OTELSTACK_CLICKHOUSE_CA_FILE, "/etc/otelstack/secrets/clickhouse-ca.crt");
  const up = parseManifests(render(chart, values("upstream.yaml")).out);
  const uenv = up.find((o) => o.kind === "StatefulSet").spec.template.spec.containers[0].env.map((e) => e.name);
  assert.ok(uenv.includes("OTELSTACK_TLS_TERMINATED_UPSTREAM"));
  assert.ok(!uenv.includes("OTELSTACK_INGESTION_KEY_FILE"), "no ingestion key in the existing Secret: none is read");
  assert.ok(!up.some((o) => o.kind === "Secret"), "existingSecret: the chart makes no Secret");
});

test("the chart refuses what production mode would refuse", () => {
  const cases = [
    [[], /production: enable tls/],
    [[{ tls: { terminatedUpstream: true } }], /secrets.sessionSecret/],
    [[values("tls.yaml"), { secrets: { encryptionKey: "" } }], /secrets.encryptionKey/],
    [[values("tls.yaml"), { tls: { secretName: "" } }], /tls.secretName/],
    [[values("clickhouse.yaml"), { clickhouse: { user: "default" } }], /not default/],
    [[values("clickhouse.yaml"), { clickhouse: { passwordSecret: { name: "" } } }], /passwordSecret/],
  ];
  for (const [files, pattern] of cases) {
    const r = render(chart, ...files.map((f) => (typeof f === "string" ? f : writeValues(f))));
    assert.ok(!r.ok, `rendered although ${pattern}`);
    assert.match(r.err, pattern);
  }
});

test("a template reading a value values.yaml does not define fails to render", () => {
  const copy = path.join(work, "chart-copy");
  fs.cpSync(chart, copy, { recursive: true });
  fs.writeFileSync(path.join(copy, "templates/extra.yaml"), "# {{ .Values.service.otlp.grpcPortt }}\n");
  const r = render(copy, values("tls.yaml"));
  assert.ok(!r.ok);
  assert.match(r.err, /grpcPortt/);
});

test("broken manifests are reported", async () => {
  const objs = parseManifests(render(chart, values("tls.yaml")).out);
  const sts = (d) => d.find((o) => o.kind === "StatefulSet");
  const ctr = (d) => sts(d).spec.template.spec.containers[0];
  const cases = [
    [(d) => { ctr(d).securityContext.readOnlyRootFilesystem = false; }, /readOnlyRootFilesystem/],
    [(d) => { ctr(d).securityContext.allowPrivilegeEscalation = true; }, /allowPrivilegeEscalation/],
    [(d) => { ctr(d).securityContext.capabilities.drop = []; }, /drop lacks ALL/],
    [(d) => { sts(d).spec.template.spec.securityContext.seccompProfile.type = "Unconfined"; }, /seccomp/],
    [(d) => { sts(d).spec.template.spec.securityContext.runAsNonRoot = false; }, /runAsNonRoot/],
    [(d) => { ctr(d).readinessProbe.exec.command[3] = "http://127.0.0.1:8888/health"; }, /readinessProbe/],
    [(d) => { ctr(d).livenessProbe = { httpGet: { path: "/health", port: 8888 } }; }, /livenessProbe/],
    [(d) => { ctr(d).ports.push({ name: "internal", containerPort: 8888 }); }, /container ports/],
    [(d) => { d.find((o) => o.kind === "Service" && o.metadata.name.endsWith("-ui")).spec.ports[0].port = 8888; }, /not public/],
    [(d) => { sts(d).spec.replicas = 2; }, /replicas/],
    [(d) => { sts(d).spec.volumeClaimTemplates = []; }, /volumeClaimTemplate/],
    [(d) => { sts(d).spec.template.spec.volumes[0].projected.defaultMode = 0o444; }, /readable by others/],
    [(d) => { ctr(d).env.push({ name: "OTELSTACK_SESSION_SECRET", value: "x" }); }, /by value/],
    [(d) => { ctr(d).env = ctr(d).env.filter((e) => !e.name.startsWith("OTELSTACK_TLS")); }, /production without TLS/],
    [(d) => { ctr(d).ports[0].containerPort = "4317"; }, /must be integer/],
    [(d) => { d.find((o) => o.kind === "Service" && o.metadata.name.endsWith("-otlp")).spec.selector["app.kubernetes.io/name"] = "x"; }, /selector/],
  ];
  for (const [mutate, pattern] of cases) {
    const d = clone(objs);
    mutate(d);
    const problems = await checkManifests(d);
    assert.ok(problems.some((p) => pattern.test(p)), `expected ${pattern} in ${JSON.stringify(problems)}`);
  }
});
