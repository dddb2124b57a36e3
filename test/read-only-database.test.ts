import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { afterEach, describe, expect, it } from "vitest";
import { TEST_DIALECT } from "./database.js";
import { startServerProcess, type ServerProcess } from "./server-process.js";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");

/*
 * A node whose SQLite file it may not write (restored as another user, a volume's permissions):
 * SQLite opens such a file read-only without a word, so reads work and every write fails. The
 * node must say so: writes 503 `unavailable`, `/readyz` 503 — not 500s behind a "ready" node.
 * Needs root to run the server as another user (root writes any file).
 */

const NOBODY = 65534;
const isRoot = process.getuid?.() === 0;
/**
 * Whether `nobody` can run this checkout's runtime at all: a checkout inside a private folder
 * (mode 0700, as `mktemp -d` makes them) cannot be entered by another user.
 */
const nobodyCanRun =
  isRoot &&
  spawnSync(process.execPath, ["-e", "0"], { uid: NOBODY, gid: NOBODY, cwd: os.tmpdir(), stdio: "ignore" }).status === 0 &&
  spawnSync(process.execPath, ["-e", `require("fs").accessSync(${JSON.stringify(ROOT)})`], {
    uid: NOBODY,
    gid: NOBODY,
    cwd: os.tmpdir(),
    stdio: "ignore",
  }).status === 0;

let server: ServerProcess | undefined;
let dataDir: string | undefined;
afterEach(async () => {
  await server?.stop();
  server = undefined;
  if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
  dataDir = undefined;
});

describe.skipIf(TEST_DIALECT !== "sqlite" || !nobodyCanRun)("a database file the node may not write", () => {
  it("writes answer 503 unavailable and /readyz 503, while reads are served", async () => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "pc-readonly-"));
    const file = path.join(dataDir, "pc.sqlite");
    // The database as a node left it (its first start records the key check and makes the
    // single sign-on keys); then the file changes hands.
    const first = await startServerProcess({ databaseUrl: `sqlite:${file}`, dataDir });
    await first.stop();
    // The folder is the node's (its WAL index and mail go there); the database file is not.
    fs.chmodSync(dataDir, 0o777);
    fs.chmodSync(file, 0o644);

    server = await startServerProcess({
      databaseUrl: `sqlite:${file}`,
      dataDir,
      waitFor: "/healthz",
      uid: NOBODY,
      gid: NOBODY,
      encryptionKeys: first.encryptionKeys,
    });
    const write = await fetch(`${server.origin}/api/v1/admin/users`, {
      method: "POST",
      headers: { authorization: `Bearer ${server.adminToken}`, "content-type": "application/json" },
      body: JSON.stringify({ email: "ro@example.com", firstName: "Read", lastName: "Only" }),
    });
    expect(write.status).toBe(503);
    expect(write.headers.get("retry-after")).toMatch(/^\d+$/);
    expect(((await write.json()) as { error: { code: string } }).error.code).toBe("unavailable");
    const ready = await fetch(`${server.origin}/readyz`);
    expect(ready.status).toBe(503);
    // A read of the database (an account that does not exist) is still answered.
    const read = await fetch(`${server.origin}/api/v1/admin/accounts/VA-000-000`, {
      headers: { authorization: `Bearer ${server.adminToken}` },
    });
    expect(read.status, server.log()).toBe(404);
    expect(server.log()).toContain('"dbCode":"SQLITE_READONLY');
  }, 60_000);
});
