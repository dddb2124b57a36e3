import { execFileSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { RUNTIME_PACKAGE, runtimeProblem } from "../scripts/runtime.mjs";

const ROOT = path.resolve(import.meta.dirname, "..");
const major = (version: string) => Number(version.replace(/^v/, "").split(".")[0]);

describe("the Node.js runtime the project ships", () => {
  it("npm scripts resolve `node` to the runtime package's Node.js 24, not the machine's", () => {
    const linked = path.join(ROOT, "node_modules", ".bin", "node");
    expect(fs.realpathSync(linked)).toBe(path.join(ROOT, "node_modules", RUNTIME_PACKAGE, "bin", "node"));
    expect(major(execFileSync(linked, ["-p", "process.version"], { encoding: "utf8" }))).toBe(24);
  });

  it("the tests themselves run on it, and the SQLite driver loads under it", () => {
    expect(major(process.version)).toBeGreaterThanOrEqual(24);
    expect(runtimeProblem()).toBeUndefined();
  });

  it("an older node stops the server's entry with what to do, before any other module loads", () => {
    const entry = path.join(ROOT, "src", "server", "runtime-check.ts");
    // The check itself, run by a node that pretends to be 20 (process.versions is read-only: a preload redefines it).
    const preload = "Object.defineProperty(process, 'versions', { value: { ...process.versions, node: '20.20.2' } });";
    let failure: { status: number; stderr: string } | undefined;
    try {
      execFileSync(process.execPath, ["--import", `data:text/javascript,${encodeURIComponent(preload)}`, entry], {
        encoding: "utf8",
        stdio: "pipe",
      });
    } catch (error) {
      failure = error as { status: number; stderr: string };
    }
    expect(failure?.status).toBe(1);
    expect(failure?.stderr).toMatch(/needs Node\.js 24 or later/);
  });
});
