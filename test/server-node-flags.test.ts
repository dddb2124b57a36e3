import { spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";

/* The production server's Node.js flags (scripts/server-node-flags.json): `npm start` and the bench start it with them. */

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), "..");
const { flags } = JSON.parse(fs.readFileSync(path.join(root, "scripts/server-node-flags.json"), "utf8")) as { flags: string[] };

describe("server Node.js flags", () => {
  it("are accepted by this Node.js (a mistyped flag would stop `npm start`)", () => {
    const run = spawnSync(process.execPath, [...flags, "-e", ""], { encoding: "utf8" });
    expect(run.stderr).toBe("");
    expect(run.status).toBe(0);
    expect(flags).toContain("--max-semi-space-size=32");
  });
});
