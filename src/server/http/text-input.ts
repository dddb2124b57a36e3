import type { FastifyInstance } from "fastify";
import { commonErrors } from "../errors.js";

/** Nesting past this is not walked further; the route's own schema refuses such shapes anyway. */
const MAX_DEPTH = 32;

const REFUSAL = "must not contain NUL characters or unpaired surrogates";

/** True for a string no database stores as sent: a NUL, or a UTF-16 surrogate without its pair. */
export function isUnstorableText(value: string): boolean {
  return value.includes("\u0000") || !(value as unknown as WellFormedString).isWellFormed();
}

/** `String.prototype.isWellFormed` (ES2024, in every Node this runs on): the lib setting predates it. */
interface WellFormedString {
  isWellFormed(): boolean;
}

/**
 * The dotted path of the first string (or object key) in `value` that holds a NUL or an unpaired
 * surrogate, `""` for the value itself, or undefined when every string is clean.
 */
export function findUnstorableText(value: unknown, depth = 0): string | undefined {
  if (typeof value === "string") return isUnstorableText(value) ? "" : undefined;
  if (value === null || typeof value !== "object" || depth > MAX_DEPTH) return undefined;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const inner = findUnstorableText(value[i], depth + 1);
      if (inner !== undefined) return join(String(i), inner);
    }
    return undefined;
  }
  for (const key of Object.keys(value)) {
    if (isUnstorableText(key)) return "";
    const inner = findUnstorableText((value as Record<string, unknown>)[key], depth + 1);
    if (inner !== undefined) return join(key, inner);
  }
  return undefined;
}

function join(head: string, tail: string): string {
  return head && tail ? `${head}.${tail}` : head || tail;
}

/**
 * The contract's text rule, in one place for every route: a NUL or an unpaired surrogate anywhere
 * in the path parameters, the query or the JSON body is 400 `validation_failed`, before any
 * schema, handler or database sees it. PostgreSQL cannot store a NUL at all and SQLite would
 * store either as different text than was sent, so the two databases answer alike only if
 * neither is asked.
 */
export function registerTextInputRule(app: FastifyInstance): void {
  app.addHook("preValidation", (request, _reply, done) => {
    const parts: Array<[string, unknown]> = [
      ["params", request.params],
      ["query", request.query],
      ["body", request.body],
    ];
    for (const [context, value] of parts) {
      const at = findUnstorableText(value);
      if (at !== undefined) return done(commonErrors.validation({ [at || context]: REFUSAL }));
    }
    done();
  });
}
