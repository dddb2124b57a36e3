import * as z from "zod";
import { ACCOUNT_TYPES } from "./accounts.js";
import { accountIdSchema, nameSchema, pageQuerySchema, timestampSchema, userIdSchema } from "./common.js";

/*
 * The operator's view of people (`/api/v1/admin/users…`): list and search, one person in full,
 * disable/enable, reset MFA for a lost phone, end every session, delete.
 */

/** Whether a person may sign in: `disabled` people are refused (401 `account_disabled`) and have no session. */
export const USER_STATUSES = ["active", "disabled"] as const;
export type UserStatus = (typeof USER_STATUSES)[number];

/** `GET /api/v1/admin/users?q=&status=`: `q` matches part of the email, first or last name (any case). */
export const adminUserListQuerySchema = pageQuerySchema
  .extend({
    q: z
      .string()
      .trim()
      .max(100)
      .refine((s) => !/[\p{Cc}\p{Cs}]/u.test(s), "must not contain control characters")
      .optional(),
    status: z.enum(USER_STATUSES).optional(),
  })
  .strict();
export type AdminUserListQuery = z.infer<typeof adminUserListQuerySchema>;

/** A person as an operator lists them. */
export const adminUserSchema = z.object({
  id: userIdSchema,
  email: z.string(),
  firstName: z.string(),
  lastName: z.string(),
  status: z.enum(USER_STATUSES),
  /** A confirmed authenticator app. */
  mfaEnabled: z.boolean(),
  /** How many passkeys the person has registered. */
  passkeys: z.number().int(),
  createdAt: timestampSchema,
  /** The last completed sign-in (as long as the session history keeps it); null when none. */
  lastSignInAt: timestampSchema.nullable(),
});
export type AdminUserDto = z.infer<typeof adminUserSchema>;

export const adminUserListSchema = z.object({ items: z.array(adminUserSchema), nextCursor: z.string().nullable() });
export type AdminUserListDto = z.infer<typeof adminUserListSchema>;

/** One membership: the account and the person's groups in it. */
export const adminUserMembershipSchema = z.object({
  account: z.object({ id: accountIdSchema, name: z.string(), type: z.enum(ACCOUNT_TYPES) }),
  groups: z.array(z.object({ id: z.string(), name: z.string(), admin: z.boolean() })),
  joinedAt: timestampSchema,
});

/** The person's second factors. */
export const adminUserMfaSchema = z.object({
  totp: z.object({ enabled: z.boolean(), enabledAt: timestampSchema.nullable() }),
  recoveryCodesLeft: z.number().int(),
  passkeys: z.number().int(),
});

/** `GET /api/v1/admin/users/{id}`: the person with memberships, MFA state and active sessions. */
export const adminUserDetailSchema = adminUserSchema.extend({
  disabledAt: timestampSchema.nullable(),
  memberships: z.array(adminUserMembershipSchema),
  mfa: adminUserMfaSchema,
  /** Sessions signed in and not ended, expired or idle. */
  activeSessions: z.number().int(),
});
export type AdminUserDetailDto = z.infer<typeof adminUserDetailSchema>;

/** `PATCH /api/v1/admin/users/{id}`. */
export const adminUpdateUserSchema = z
  .object({ status: z.enum(USER_STATUSES), firstName: nameSchema, lastName: nameSchema })
  .partial()
  .strict()
  .refine(
    (v) => v.status !== undefined || v.firstName !== undefined || v.lastName !== undefined,
    "give status, firstName or lastName",
  );
export type AdminUpdateUserInput = z.infer<typeof adminUpdateUserSchema>;

/**
 * The answer of `PATCH /api/v1/admin/users/{id}`: the person, how many sessions the change ended,
 * and the accounts whose only administrator they are (disabling them is allowed, but those
 * accounts have no administrator who can sign in until another is added).
 */
export const adminUpdateUserResponseSchema = adminUserDetailSchema.extend({
  sessionsEnded: z.number().int(),
  soleAdminOf: z.array(z.object({ id: z.string(), name: z.string() })),
});
export type AdminUpdateUserResponse = z.infer<typeof adminUpdateUserResponseSchema>;

/** `POST /api/v1/admin/users/{id}/sessions/revoke`. */
export const adminRevokeSessionsResponseSchema = z.object({ revoked: z.number().int() });

export const userParamsSchema = z.object({ id: z.string().max(32) });
