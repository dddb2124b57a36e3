import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { staleReason } from "../scripts/build-freshness.mjs";

/* `npm start` and the bench rebuild when, and only when, a source is newer than the build. */

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
});

function project() {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), "pc-freshness-"));
  dirs.push(root);
  fs.mkdirSync(path.join(root, "src/server/lib"), { recursive: true });
  const write = (file: string, at: number) => {
    const full = path.join(root, file);
    fs.mkdirSync(path.dirname(full), { recursive: true });
    fs.writeFileSync(full, "x");
    fs.utimesSync(full, at / 1000, at / 1000);
    return full;
  };
  return { root, write, output: path.join(root, "dist/main.js"), sources: [path.join(root, "src/server")] };
}

describe("build freshness", () => {
  it("asks for a build when the output is missing, or older than a source in any subfolder", () => {
    const p = project();
    p.write("src/server/lib/a.ts", 1_000_000);
    expect(staleReason(p.output, p.sources)).toMatch(/does not exist/);
    p.write("dist/main.js", 2_000_000);
    expect(staleReason(p.output, p.sources)).toBeUndefined();
    const changed = p.write("src/server/lib/a.ts", 3_000_000);
    expect(staleReason(p.output, p.sources)).toBe(`${changed} is newer than the build`);
  });

  it("ignores test files and missing folders", () => {
    const p = project();
    p.write("dist/main.js", 2_000_000);
    p.write("src/server/lib/a.test.ts", 3_000_000);
    p.write("src/server/lib/b.test.tsx", 3_000_000);
    expect(staleReason(p.output, [...p.sources, path.join(p.root, "src/missing")])).toBeUndefined();
  });
});
