import * as z from "zod";
import { timestampSchema, tokenSchema } from "./common.js";

/*
 * "This wasn't me": the link in every security alert mail opens `/lockdown?token=…`, which
 * says what confirming will do and asks to confirm. No password: the person may not have it
 * any more.
 */

/** What a confirmed lockdown does, one id per effect (the page lists them in this order). */
export const LOCKDOWN_ACTION_IDS = [
  "end_sessions",
  "revoke_app_tokens",
  "require_password_reset",
  "mail_reset_link",
  "restore_email",
  "cancel_email_change",
] as const;
export type LockdownActionId = (typeof LOCKDOWN_ACTION_IDS)[number];

/** `GET /auth/lockdown?token=…`. */
export const lockdownQuerySchema = z.object({ token: tokenSchema }).strict();

/** One effect of confirming, as the page shows it. */
export const lockdownActionSchema = z.object({
  id: z.enum(LOCKDOWN_ACTION_IDS),
  /** A sentence saying what happens, e.g. "Every session is signed out (3 active now)." */
  description: z.string(),
});
export type LockdownActionDto = z.infer<typeof lockdownActionSchema>;

/** `GET /auth/lockdown` 200: whose login it secures and what confirming will do. */
export const lockdownPreviewSchema = z.object({
  /** The login's address (after confirming: the restored one, when the change is undone). */
  email: z.string(),
  actions: z.array(lockdownActionSchema),
  /** When the link stops working. */
  expiresAt: timestampSchema,
});
export type LockdownPreviewDto = z.infer<typeof lockdownPreviewSchema>;

/** `POST /auth/lockdown {token}` → 204. */
export const lockdownConfirmSchema = z.object({ token: tokenSchema }).strict();
export type LockdownConfirmInput = z.input<typeof lockdownConfirmSchema>;
