"use strict";
// An eslint-plugin-import resolver (interface version 2) for the path aliases the tsconfig files
// declare in `compilerOptions.paths` (`@test/*`, `@web/*`, `@contracts/*`), so import rules see the
// same files as tsc, vite and vitest. It also maps a `.js` specifier to its `.ts`/`.tsx` source, as
// NodeNext imports name the emitted file. Anything else is left to the next resolver (node).
// Config: `{ projects: [absolute tsconfig paths] }`; `extends` is not followed.
const fs = require("node:fs");
const path = require("node:path");
const ts = require("typescript");

exports.interfaceVersion = 2;

/** @type {Map<string, Array<{ pattern: string; targets: string[] }>>} */
const aliasesByProjects = new Map();

/** The `paths` patterns of the projects, each target made absolute. */
function aliasesOf(projects) {
  const key = projects.join("\n");
  const cached = aliasesByProjects.get(key);
  if (cached) return cached;
  const aliases = [];
  for (const project of projects) {
    const { config, error } = ts.readConfigFile(project, ts.sys.readFile);
    if (error) throw new Error(`${project}: ${ts.flattenDiagnosticMessageText(error.messageText, "\n")}`);
    const options = config.compilerOptions ?? {};
    const base = path.resolve(path.dirname(project), options.baseUrl ?? ".");
    for (const [pattern, targets] of Object.entries(options.paths ?? {})) {
      aliases.push({ pattern, targets: targets.map((target) => path.resolve(base, target)) });
    }
  }
  aliasesByProjects.set(key, aliases);
  return aliases;
}

/** The file a path names: itself, its `.ts`/`.tsx` source, or with an extension or index added. */
function existingFile(candidate) {
  const tries = [candidate];
  if (/\.[cm]?js$/.test(candidate)) tries.push(candidate.replace(/js$/, "ts"), candidate.replace(/js$/, "tsx"));
  for (const extension of [".ts", ".tsx", ".js"]) tries.push(candidate + extension, path.join(candidate, `index${extension}`));
  return tries.find((file) => fs.statSync(file, { throwIfNoEntry: false })?.isFile());
}

/** What `*` in `pattern` stands for in `source` ("" for a pattern without one), or undefined if it does not match. */
function wildcardOf(pattern, source) {
  const star = pattern.indexOf("*");
  if (star < 0) return pattern === source ? "" : undefined;
  const [prefix, suffix] = [pattern.slice(0, star), pattern.slice(star + 1)];
  const fits = source.length >= prefix.length + suffix.length && source.startsWith(prefix) && source.endsWith(suffix);
  return fits ? source.slice(prefix.length, source.length - suffix.length) : undefined;
}

/** Resolves `source` imported from `file`: `{ found, path }` as eslint-module-utils expects. */
exports.resolve = function resolve(source, file, config = {}) {
  if (source.startsWith(".")) {
    const found = existingFile(path.resolve(path.dirname(file), source));
    return found ? { found: true, path: found } : { found: false };
  }
  for (const { pattern, targets } of aliasesOf(config.projects ?? [])) {
    const star = wildcardOf(pattern, source);
    if (star === undefined) continue;
    for (const target of targets) {
      const found = existingFile(target.replace("*", star));
      if (found) return { found: true, path: found };
    }
  }
  return { found: false };
};
