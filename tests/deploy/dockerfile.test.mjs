// deploy/docker/Dockerfile: lint (dockerfile-utils, errors only) and the
// image's invariants; .dockerignore keeps build trees out of the context.
import test from "node:test";
import assert from "node:assert/strict";
import { checkDockerfile, read } from "./lib.mjs";

const dockerfile = read("deploy/docker/Dockerfile");

test("the Dockerfile passes the lint and every invariant", () => {
  assert.deepEqual(checkDockerfile(dockerfile), []);
});

test("broken Dockerfiles are reported", () => {
  const cases = [
    [dockerfile.replace(/^USER .*$/m, "USER root"), /USER root is root/],
    [dockerfile.replace(/^USER .*$/m, ""), /no USER/],
    [dockerfile.replace(/^EXPOSE .*$/m, "EXPOSE 4317 4318 8080 8888"), /EXPOSE/],
    [dockerfile.replace(/^HEALTHCHECK[^]*?CMD \[.*\]$/m, ""), /HEALTHCHECK/],
    [dockerfile.replace(/^FROM .* AS build$/m, "FROM ubuntu:24.04 AS build"), /ubuntu:24\.04/],
    [dockerfile.replace(/^CMD .*$/m, 'CMD ["search"]'), /CMD/],
    [dockerfile.replace(/^VOLUME .*$/m, ""), /VOLUME/],
    [dockerfile + "RUN apt-get install -y curl\n", /outside scripts\/deps|curl/],
    [dockerfile.replace(/^ENTRYPOINT .*$/m, "ENTRYPOINT [ unclosed"), /ENTRYPOINT/],
    [dockerfile.replace(/^EXPOSE/m, "EXPOSEE"), /lint: .*Unknown instruction/],
    [dockerfile.replace(/--interval=/, "--intervall="), /lint: .*Unknown flag/],
  ];
  for (const [text, pattern] of cases) {
    const problems = checkDockerfile(text);
    assert.ok(problems.some((p) => pattern.test(p)), `expected ${pattern} in ${JSON.stringify(problems)}`);
  }
  const single = dockerfile.split(/^FROM \$\{DEBIAN_IMAGE\}$/m)[1];
  assert.ok(checkDockerfile("ARG DEBIAN_IMAGE=debian:bookworm-slim\nFROM ${DEBIAN_IMAGE}" + single).some((p) => /multi-stage/.test(p)));
});

test(".dockerignore excludes build trees, node_modules and data", () => {
  const lines = read(".dockerignore").split("\n").map((l) => l.trim());
  for (const want of ["build*/", "**/node_modules/", "data/", ".git"]) assert.ok(lines.includes(want), want);
  // And keeps what the Dockerfile copies.
  for (const needed of ["src/", "web/", "scripts/", "CMakeLists.txt"]) {
    assert.ok(!lines.includes(needed), `${needed} must stay in the build context`);
  }
});
