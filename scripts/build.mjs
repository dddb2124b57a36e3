#!/usr/bin/env node
// Builds the server (tsc → dist/server, dist/contracts) and the web app (vite → dist/web).
import { spawnSync } from "node:child_process";

function run(cmd, args) {
  const r = spawnSync(cmd, args, { stdio: "inherit" });
  if (r.status !== 0) process.exit(r.status ?? 1);
}
const only = process.argv[2];
if (!only || only === "server") run("npx", ["tsc", "-p", "tsconfig.build.json"]);
if (!only || only === "web") run("npx", ["vite", "build", "--logLevel", "warn"]);
