import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { beforeAll, describe, expect, it } from "vitest";
import { ensureDebianTool } from "./debian-tool.js";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const UNIT = path.join(root, "deploy", "profile-center.service");

describe("deploy/profile-center.service", () => {
  let hasSystemd = false;
  beforeAll(() => {
    hasSystemd = ensureDebianTool("systemd-analyze", "systemd");
  }, 600_000);

  it("passes systemd-analyze verify without a single warning (with the release where it is installed)", (ctx) => {
    if (!hasSystemd) return ctx.skip();
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "pc-unit-"));
    try {
      // The unit names the install folder /opt/profile-center; here the release is this checkout
      // (systemd-analyze checks that ExecStart's program exists and is executable).
      const unit = fs.readFileSync(UNIT, "utf8").replaceAll("/opt/profile-center", root);
      const file = path.join(dir, "profile-center.service");
      fs.writeFileSync(file, unit);
      const run = spawnSync("systemd-analyze", ["verify", file], { encoding: "utf8" });
      expect(`${run.stdout}${run.stderr}`.trim()).toBe("");
      expect(run.status).toBe(0);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it("runs the built server with Node.js 24 as the README says, as an unprivileged user with its own state folder", () => {
    const unit = fs.readFileSync(UNIT, "utf8");
    expect(unit).toMatch(/^ExecStart=\/opt\/profile-center\/node_modules\/\.bin\/node .*dist\/server\/main\.js$/m);
    const { flags } = JSON.parse(fs.readFileSync(path.join(root, "scripts", "server-node-flags.json"), "utf8")) as {
      flags: string[];
    };
    for (const flag of flags) expect(unit).toContain(flag);
    expect(unit).toMatch(/^User=profile-center$/m);
    expect(unit).toMatch(/^Environment=DATA_DIR=\/var\/lib\/profile-center$/m);
    expect(unit).toMatch(/^StateDirectory=profile-center$/m);
    expect(unit).toMatch(/^KillSignal=SIGTERM$/m);
  });
});
