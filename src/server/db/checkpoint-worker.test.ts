import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { startCheckpointer } from "./checkpointer.js";

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
});

function fileHolding(bytes: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "pc-checkpoint-worker-"));
  dirs.push(dir);
  const file = path.join(dir, "db.sqlite");
  fs.writeFileSync(file, bytes);
  return file;
}

describe("the checkpoint worker", () => {
  it("reports each failed checkpoint and keeps its schedule; stop still ends it", async () => {
    const errors: string[] = [];
    const checkpointer = startCheckpointer(fileHolding("this is not a database file, but it is long enough ".repeat(40)), {
      intervalMs: 20,
      onError: (message) => errors.push(message),
    });
    const until = Date.now() + 5_000;
    while (errors.length < 2 && Date.now() < until) await new Promise((resolve) => setTimeout(resolve, 20));
    expect(errors.length).toBeGreaterThanOrEqual(2);
    expect(errors[0]).toMatch(/not a database/);
    await checkpointer.stop();
  });
});
