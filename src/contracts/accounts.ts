import * as z from "zod";
import { accountIdSchema, pageQuerySchema, timestampSchema, tokenSchema } from "./common.js";
import { userSchema } from "./me.js";

/** Kinds of account on the platform: vendors get `VA-` ids, distributors and resellers `PA-`. */
export const ACCOUNT_TYPES = ["vendor", "distributor", "reseller"] as const;
export type AccountType = (typeof ACCOUNT_TYPES)[number];
/** How strongly an account asks its members for MFA. */
export const MFA_POLICIES = ["optional", "suggested", "required"] as const;
export type MfaPolicy = (typeof MFA_POLICIES)[number];

/** A group of an account, as its members see it. */
export const groupRefSchema = z.object({ id: z.string(), name: z.string() });

/** One account the signed-in person belongs to. */
export const myAccountSchema = z.object({
  /** `VA-123-456` (vendor) or `PA-123-456` (distributor, reseller). */
  id: accountIdSchema,
  name: z.string(),
  type: z.enum(ACCOUNT_TYPES),
  /** The person's groups in this account, sorted by name. */
  groups: z.array(groupRefSchema),
  /** When the person became a member. */
  joinedAt: timestampSchema,
  mfaPolicy: z.enum(MFA_POLICIES),
  /** False when the policy is `required` (or `suggested`) and the person has no MFA. */
  compliant: z.boolean(),
  /** True for the session's active account. */
  active: z.boolean(),
});
export type MyAccountDto = z.infer<typeof myAccountSchema>;

/** Why the session was moved out of its active account (e.g. the policy now requires MFA). */
export const accountNoticeSchema = z.object({
  code: z.enum(["account_policy_enforced", "membership_removed"]),
  accountId: z.string(),
  accountName: z.string(),
  /** A sentence for the person. */
  message: z.string(),
  at: timestampSchema,
});
export type AccountNoticeDto = z.infer<typeof accountNoticeSchema>;

/** `GET /api/v1/me/accounts`: the contract's list, plus the session's notice (null when none). */
export const myAccountsResponseSchema = z.object({
  items: z.array(myAccountSchema),
  nextCursor: z.string().nullable(),
  notice: accountNoticeSchema.nullable(),
});
export type MyAccountsResponse = z.infer<typeof myAccountsResponseSchema>;

/** Query of `GET /api/v1/me/accounts`: page, filter by type, search by name or ID. */
export const myAccountsQuerySchema = pageQuerySchema
  .extend({
    type: z.enum(ACCOUNT_TYPES).optional(),
    /** Part of the account's name or ID, case-insensitive; `%` and `_` match themselves. */
    q: z.string().trim().max(100).optional(),
  })
  .strict();
export type MyAccountsQuery = z.infer<typeof myAccountsQuerySchema>;

/** `POST /api/v1/me/active-account`. Any string: an unknown ID is 404 like a foreign one (G2). */
export const activeAccountSchema = z.object({ accountId: z.string().min(1).max(32) }).strict();

/** What `POST /api/v1/me/active-account` answers. */
export const activeAccountResponseSchema = z.object({
  accountId: accountIdSchema,
  name: z.string(),
  mfaPolicy: z.enum(MFA_POLICIES),
  /** `set_up_mfa` when the policy is `suggested` and the person has no MFA: show a nudge. */
  nudge: z.enum(["set_up_mfa"]).nullable(),
});
export type ActiveAccountResponse = z.infer<typeof activeAccountResponseSchema>;

/** Details of the 403 `mfa_setup_required` answer. */
export interface MfaSetupRequiredDetails {
  accountId: string;
  /** True when MFA is on but this session has not used it (sign in again with the code). */
  mfaEnabled: boolean;
}

/**
 * `POST /api/v1/auth/invitations/accept` answers: signed in as the new person, or (when the
 * invited email already had a profile) joined, but the person signs in with their own password.
 */
export const acceptInvitationResponseSchema = z.discriminatedUnion("status", [
  z.object({ status: z.literal("authenticated"), user: userSchema }),
  z.object({ status: z.literal("sign_in_required"), email: z.string() }),
]);
export type AcceptInvitationResponse = z.infer<typeof acceptInvitationResponseSchema>;

/** `GET /api/v1/auth/invitations/preview?token=…` (public: the token is the proof). */
export const invitationPreviewQuerySchema = z.object({ token: tokenSchema }).strict();

/**
 * What an open invitation offers, shown before the person types anything; 400 `invalid_token`
 * for a used, expired or unknown token, exactly as accepting it would answer.
 */
export const invitationPreviewSchema = z.object({
  accountId: accountIdSchema,
  accountName: z.string(),
  accountType: z.enum(ACCOUNT_TYPES),
  /** The invited address: the new profile's email. */
  email: z.string(),
  /** The groups the person joins, by name (groups removed since are left out). */
  groups: z.array(z.string()),
  /** Who invited, when the invitation recorded a person (operator invitations record none). */
  invitedBy: z.string().nullable(),
  /** When the link stops working. */
  expiresAt: timestampSchema,
});
export type InvitationPreviewDto = z.infer<typeof invitationPreviewSchema>;
