#!/usr/bin/env node
// `npm start`: builds what is missing or older than its sources, then runs the production
// server with the demo workspace on by default (DEMO=0 turns it off).
import { spawn, spawnSync } from "node:child_process";
import fs from "node:fs";
import { staleReason } from "./build-freshness.mjs";
import { assertRuntime } from "./runtime.mjs";

assertRuntime();

function build(part) {
  console.log(`Building the ${part}…`);
  const r = spawnSync(process.execPath, ["scripts/build.mjs", part], { stdio: "inherit" });
  if (r.status !== 0) process.exit(r.status ?? 1);
}

if (staleReason("dist/server/main.js", ["src/server", "src/contracts"])) build("server");
if (staleReason("dist/web/index.html", ["src/web", "src/contracts"])) build("web");

const env = { ...process.env, NODE_ENV: process.env.NODE_ENV ?? "production", DEMO: process.env.DEMO ?? "1" };
// The production server's Node.js flags (why: in the file), shared with the bench.
const { flags } = JSON.parse(fs.readFileSync("scripts/server-node-flags.json", "utf8"));
const child = spawn(process.execPath, [...flags, "--enable-source-maps", "dist/server/main.js"], { stdio: "inherit", env });
for (const signal of ["SIGTERM", "SIGINT"]) process.on(signal, () => child.kill(signal));
child.on("exit", (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
