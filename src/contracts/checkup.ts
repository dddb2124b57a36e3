import * as z from "zod";

/** What one check found: `ok`, worth a look (`warning`), or to fix (`action`). */
export const CHECKUP_STATUSES = ["ok", "warning", "action"] as const;
export type CheckupStatus = (typeof CHECKUP_STATUSES)[number];

/** Every check, in the order the card lists them. */
export const CHECKUP_ITEM_IDS = [
  "second_factor",
  "recovery_codes",
  "passkey",
  "account_mfa_policy",
  "email_verified",
  "password_breach",
  "stale_sessions",
  "new_countries",
  "connected_apps",
] as const;
export type CheckupItemId = (typeof CHECKUP_ITEM_IDS)[number];

/** One line of the security checkup. */
export const checkupItemSchema = z.object({
  id: z.enum(CHECKUP_ITEM_IDS),
  status: z.enum(CHECKUP_STATUSES),
  title: z.string(),
  detail: z.string(),
  /** The page (web path) that fixes or reviews it. */
  href: z.string(),
  /** The words of the link, e.g. "Set up two-step sign-in". */
  actionLabel: z.string(),
});
export type CheckupItemDto = z.infer<typeof checkupItemSchema>;

/** `GET /me/checkup` 200. */
export const checkupResponseSchema = z.object({ items: z.array(checkupItemSchema) });
export type CheckupResponseDto = z.infer<typeof checkupResponseSchema>;
