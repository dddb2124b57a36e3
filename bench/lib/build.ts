import { spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { SERVER_ENTRY } from "./product-server.js";
import { staleReason as buildStaleReason } from "../../scripts/build-freshness.mjs";

/*
 * The bench measures the BUILT server (dist/), as it runs in production. When any server or
 * contract source is newer than the build, it rebuilds the server first (`npm run build --
 * server`; the web app is not needed for API load) and stops with the compiler's message when
 * the build fails.
 */

const ROOT = path.resolve(path.dirname(SERVER_ENTRY), "../..");
const SOURCES = ["src/server", "src/contracts"].map((dir) => path.join(ROOT, dir));

/** Why the build is out of date (paths relative to the project), or undefined when dist is current. */
export function staleReason(): string | undefined {
  return buildStaleReason(SERVER_ENTRY, SOURCES)?.replaceAll(`${ROOT}${path.sep}`, "");
}

/** Builds the server when the build is missing or older than the sources; throws a clear error when it fails. */
export function ensureServerBuilt(allowStale: boolean): void {
  const reason = staleReason();
  if (!reason) return;
  if (allowStale) {
    if (!fs.existsSync(SERVER_ENTRY)) throw new Error(`${SERVER_ENTRY} does not exist; run \`npm run build\` first.`);
    console.warn(`warning: measuring a stale build (${reason}) because of --no-build`);
    return;
  }
  console.log(`Building the server (${reason}): npm run build -- server`);
  const result = spawnSync("npm", ["run", "build", "--", "server"], { cwd: ROOT, stdio: "inherit" });
  if (result.status !== 0) {
    throw new Error(
      "The server build failed (see the compiler output above), so there is nothing current to measure.\n" +
        "Fix the build, or measure the existing dist/ as it is with `npm run bench -- --no-build`.",
    );
  }
}
