#!/usr/bin/env node
// `npx profile-center admin <command> …` and `npx profile-center migrate`: run the compiled CLI
// (dist/, after `npm run build`) when it is at least as new as the sources, else the TypeScript
// sources through tsx (a development install has it).
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const { assertRuntime } = await import(pathToFileURL(path.join(root, "scripts", "runtime.mjs")).href);
assertRuntime();
const ENTRIES = { admin: "admin", migrate: "migrate" };
const [tool, ...args] = process.argv.slice(2);

if (!tool || !(tool in ENTRIES) || tool === "--help") {
  console.log(
    [
      "Usage: npx profile-center <tool> …",
      "",
      "  admin <command> [options]  provision users, accounts, groups and members (admin --help)",
      "  migrate                    apply pending database migrations",
      "",
      "Start the server with `npm start`.",
    ].join("\n"),
  );
  process.exit(tool && tool !== "--help" ? 2 : 0);
}

const name = ENTRIES[tool];
const compiled = path.join(root, "dist", "server", "cli", `${name}.js`);
const source = path.join(root, "src", "server", "cli", `${name}.ts`);
const mtime = (file) => (fs.existsSync(file) ? fs.statSync(file).mtimeMs : 0);
const useCompiled = mtime(compiled) > 0 && (mtime(source) === 0 || mtime(compiled) >= mtime(source));

/** tsx's loader, resolved from this package (so the CLI works from any directory). */
function tsxLoader() {
  try {
    return import.meta.resolve("tsx");
  } catch {
    console.error("The CLI is not built: run `npm run build` first.");
    return process.exit(1);
  }
}
const target = useCompiled ? compiled : source;
const nodeArgs = useCompiled ? [] : ["--import", tsxLoader()];
const result = spawnSync(process.execPath, [...nodeArgs, target, ...args], { stdio: "inherit", cwd: process.cwd() });
process.exit(result.status ?? 1);
