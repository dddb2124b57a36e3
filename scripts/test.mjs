#!/usr/bin/env node
// `npm test`: typecheck, lint (with the layer rules), the import-cycle check, unit + API tests on SQLite,
// the same API tests on PostgreSQL,
// then the browser tests in Chromium against the built server. Every step runs; the closing
// line counts tests ("N passed, N failed"). Under CI=true nothing is skipped: a missing
// dependency (PostgreSQL that cannot be started, Chromium that cannot be installed) fails.
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { assertRuntime } from "./runtime.mjs";

assertRuntime();

const only = process.argv.slice(2);
const results = [];
let passed = 0;
let failed = 0;
const started = Date.now();

function step(name, cmd, args, { env = {}, report } = {}) {
  if (only.length > 0 && !only.includes(name)) return;
  const t0 = Date.now();
  console.log(`\n▶ ${name}: ${cmd} ${args.join(" ")}`);
  const r = spawnSync(cmd, args, { stdio: "inherit", env: { ...process.env, ...env } });
  const ok = r.status === 0;
  let counts = "";
  if (report && fs.existsSync(report)) {
    const json = JSON.parse(fs.readFileSync(report, "utf8"));
    passed += json.numPassedTests ?? 0;
    failed += json.numFailedTests ?? 0;
    counts = ` (${json.numPassedTests} passed, ${json.numFailedTests} failed, ${json.numPendingTests ?? 0} skipped)`;
    if (!ok && (json.numFailedTests ?? 0) === 0) failed += 1; // a suite that failed to load
  } else if (!ok) failed += 1;
  results.push({ name, ok, seconds: Math.round((Date.now() - t0) / 1000), counts });
}

const reports = fs.mkdtempSync(path.join(os.tmpdir(), "pc-test-reports-"));
const vitestArgs = (name, config = []) => [
  "vitest",
  "run",
  ...config,
  "--reporter=default",
  "--reporter=json",
  `--outputFile.json=${path.join(reports, `${name}.json`)}`,
];

step("typecheck", "npx", ["tsc", "-p", "tsconfig.json"]);
step("typecheck-web", "npx", ["tsc", "-p", "tsconfig.web.json"]);
step("lint", "npx", ["eslint", "."]);
step("cycles", "npx", ["depcruise", "src/server", "--config", ".dependency-cruiser.cjs", "--output-type", "err"]);
step("format", "npx", ["prettier", "--check", "."]);
step("unit+api (sqlite)", "npx", vitestArgs("sqlite"), { env: { TEST_DB: "sqlite" }, report: path.join(reports, "sqlite.json") });
step("api (postgres)", "npx", vitestArgs("postgres"), {
  env: { TEST_DB: "postgres" },
  report: path.join(reports, "postgres.json"),
});
step("build", process.execPath, ["scripts/build.mjs"]);
step("e2e (chromium)", "npx", vitestArgs("e2e", ["-c", "vitest.e2e.config.ts"]), { report: path.join(reports, "e2e.json") });

console.log("\n──────── summary ────────");
for (const r of results) console.log(`${r.ok ? "✔" : "✘"} ${r.name.padEnd(20)} ${String(r.seconds).padStart(4)} s${r.counts}`);
console.log(`total ${Math.round((Date.now() - started) / 1000)} s`);
console.log(`Tests: ${passed} passed, ${failed} failed`);
fs.rmSync(reports, { recursive: true, force: true });
process.exit(results.every((r) => r.ok) && failed === 0 ? 0 : 1);
