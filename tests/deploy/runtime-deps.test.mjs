// The image's runtime stage installs `scripts/deps --runtime`: that list must
// hold the Debian package of every shared library the built binary links
// directly (its ELF NEEDED entries, resolved by ldd, owned per dpkg -S), so
// the image cannot miss one. Libraries those load in turn come with their
// packages' dependencies (apt installs them). Needs OTELSTACK_BIN.
import test from "node:test";
import assert from "node:assert/strict";
import fs from "node:fs";
import { execFileSync, spawnSync } from "node:child_process";
import { repoRoot } from "./lib.mjs";

const bin = process.env.OTELSTACK_BIN;

function runtimePackages() {
  const script = 'source <(sed -n "/^runtime_packages=(/,/^)/p" scripts/deps); echo "${runtime_packages[@]}"';
  return execFileSync("bash", ["-c", script], { cwd: repoRoot, encoding: "utf8" }).trim().split(/\s+/);
}

// Maps each library to its Debian package with one dpkg -S call (it is slow),
// trying the path ldd printed and its real path (merged /usr).
function packagesOf(libs) {
  const candidates = libs.flatMap((l) => [l, fs.realpathSync(l)]);
  const r = spawnSync("dpkg", ["-S", ...new Set(candidates)], { encoding: "utf8" });
  const owner = new Map();
  for (const line of r.stdout.split("\n")) {
    const m = line.match(/^([^:,\s]+)(?::\w+)?: (\S+)$/);
    if (m) owner.set(m[2], m[1]);
  }
  return libs.map((l) => {
    const pkg = owner.get(l) ?? owner.get(fs.realpathSync(l));
    if (!pkg) throw new Error(`no Debian package owns ${l}`);
    return [l, pkg];
  });
}

test("scripts/deps --runtime lists the package of every library the binary loads", () => {
  assert.ok(bin, "OTELSTACK_BIN is not set");
  const listed = new Set(runtimePackages());
  assert.ok(listed.size > 5, `runtime_packages not found in scripts/deps: ${[...listed]}`);
  const needed = new Set([...execFileSync("readelf", ["-d", bin], { encoding: "utf8" })
    .matchAll(/\(NEEDED\)\s+Shared library: \[([^\]]+)\]/g)].map((m) => m[1]));
  assert.ok(needed.size > 5, "readelf found no NEEDED entries");
  const ldd = execFileSync("ldd", [bin], { encoding: "utf8" });
  const libs = [...ldd.matchAll(/^\s*(\S+)\s+=>\s+(\/\S+)/gm)].filter((m) => needed.has(m[1])).map((m) => m[2])
    // The sanitizer runtimes of a Debug test build are not part of a Release image.
    .filter((l) => !/\/lib(asan|ubsan|lsan|tsan)\.so/.test(l));
  assert.ok(libs.length > 5, ldd);
  const missing = new Set();
  for (const [lib, pkg] of packagesOf(libs)) {
    if (pkg !== "libc6" && !listed.has(pkg)) missing.add(`${pkg} (${lib})`);
  }
  assert.deepEqual([...missing], [], "add these to runtime_packages in scripts/deps");
});
