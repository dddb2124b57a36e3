#!/usr/bin/env node
// `npm start`: builds what is missing or older than its sources, then runs the production
// server with the demo workspace on by default (DEMO=0 turns it off).
import { spawn, spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";

function newest(dir) {
  let latest = 0;
  if (!fs.existsSync(dir)) return latest;
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, entry.name);
    latest = Math.max(latest, entry.isDirectory() ? newest(p) : fs.statSync(p).mtimeMs);
  }
  return latest;
}
function built(file) {
  return fs.existsSync(file) ? fs.statSync(file).mtimeMs : 0;
}
function build(part) {
  console.log(`Building the ${part}…`);
  const r = spawnSync(process.execPath, ["scripts/build.mjs", part], { stdio: "inherit" });
  if (r.status !== 0) process.exit(r.status ?? 1);
}

const contracts = newest("src/contracts");
if (built("dist/server/main.js") < Math.max(newest("src/server"), contracts)) build("server");
if (built("dist/web/index.html") < Math.max(newest("src/web"), contracts)) build("web");

const env = { ...process.env, NODE_ENV: process.env.NODE_ENV ?? "production", DEMO: process.env.DEMO ?? "1" };
// The production server's Node.js flags (why: in the file), shared with the bench.
const { flags } = JSON.parse(fs.readFileSync("scripts/server-node-flags.json", "utf8"));
const child = spawn(process.execPath, [...flags, "--enable-source-maps", "dist/server/main.js"], { stdio: "inherit", env });
for (const signal of ["SIGTERM", "SIGINT"]) process.on(signal, () => child.kill(signal));
child.on("exit", (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
