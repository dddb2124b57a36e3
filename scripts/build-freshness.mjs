// Is a build older than its sources? Shared by `npm start` (scripts/start.mjs) and the bench
// (bench/lib/build.ts). Both judge a build by one output's time: scripts/build.mjs marks it after
// every successful build (tsc 6 leaves outputs whose text did not change untouched).
import fs from "node:fs";
import path from "node:path";

/** Sources are every file under the folders but tests (a test edit needs no new build). */
export function isSource(name) {
  return !/\.test\.(ts|tsx)$/.test(name);
}

/** The newest source under `dirs` (recursively), or undefined when there is none. */
export function newestSource(dirs) {
  let newest;
  for (const dir of dirs) {
    if (!fs.existsSync(dir)) continue;
    for (const entry of fs.readdirSync(dir, { withFileTypes: true, recursive: true })) {
      if (!entry.isFile() || !isSource(entry.name)) continue;
      const file = path.join(entry.parentPath, entry.name);
      const mtimeMs = fs.statSync(file).mtimeMs;
      if (!newest || mtimeMs > newest.mtimeMs) newest = { file, mtimeMs };
    }
  }
  return newest;
}

/** Why `output` must be built again (missing, or older than a source under `dirs`); undefined when current. */
export function staleReason(output, dirs) {
  if (!fs.existsSync(output)) return `${output} does not exist`;
  const newest = newestSource(dirs);
  if (newest && newest.mtimeMs > fs.statSync(output).mtimeMs) return `${newest.file} is newer than the build`;
  return undefined;
}
