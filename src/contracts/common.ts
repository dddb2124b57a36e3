import * as z from "zod";
import { LIMITS } from "./limits.js";

/** ISO 8601 UTC timestamp on the wire. */
export const timestampSchema = z.string().meta({ description: "ISO 8601 UTC timestamp", format: "date-time" });

/** `UR-123-456-789`. */
export const userIdSchema = z.string().regex(/^UR-\d{3}-\d{3}-\d{3}$/, "must look like UR-123-456-789");
/** `VA-123-456` (vendor) or `PA-123-456` (distributor, reseller). */
export const accountIdSchema = z.string().regex(/^(VA|PA)-\d{3}-\d{3}$/, "must look like VA-123-456 or PA-123-456");

/** Query of every list endpoint. */
export const pageQuerySchema = z.object({
  limit: z.coerce.number().int().min(1).max(LIMITS.pageSizeMax).default(LIMITS.pageSizeDefault),
  cursor: z.string().max(512).optional(),
});

/** `{items, nextCursor}` of a list endpoint. */
export function listSchema<T extends z.ZodType>(item: T) {
  return z.object({ items: z.array(item), nextCursor: z.string().nullable() });
}

/** Trims, refuses control characters; used for names. */
export const nameSchema = z
  .string()
  .trim()
  .min(1, "must not be empty")
  .max(LIMITS.nameMaxLength, `must be at most ${LIMITS.nameMaxLength} characters`)
  .refine((s) => !/[\p{Cc}\p{Cf}\u2028\u2029]/u.test(s), "must not contain control characters");

/** An email address, lower-cased for comparison. */
export const emailSchema = z
  .string()
  .trim()
  .max(LIMITS.emailMaxLength)
  .pipe(z.email("must be a valid email address"))
  .transform((s) => s.toLowerCase());

/** A password as typed: never trimmed or case-changed (A3); length is the policy's job. */
export const passwordInputSchema = z.string().min(1, "is required").max(4096, "is too long");

/** A one-time code as typed: 6 digits, or a recovery code. */
export const codeSchema = z.string().trim().min(1, "is required").max(64);

/** A single-use token from an email link. */
export const tokenSchema = z.string().min(1).max(LIMITS.tokenMaxLength);
