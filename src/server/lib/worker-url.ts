import path from "node:path";
import { fileURLToPath } from "node:url";

/**
 * The URL of the worker module `name` in the folder of the module at `importMetaUrl`, with that
 * module's own extension: `.ts` when the sources run (Vitest, tsx; Node strips the types),
 * `.js` after `npm run build`. A worker started from it loads with Node's own loader, so a
 * worker module imports packages and `import type`s only: a relative `.js` import would not
 * resolve to its `.ts` source.
 */
export function siblingWorkerUrl(importMetaUrl: string, name: string): URL {
  return new URL(`./${name}${path.extname(fileURLToPath(importMetaUrl))}`, importMetaUrl);
}
