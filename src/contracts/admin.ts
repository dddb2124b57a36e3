import * as z from "zod";
import {
  accountIdSchema,
  emailSchema,
  nameSchema,
  pageQuerySchema,
  passwordInputSchema,
  timestampSchema,
  userIdSchema,
} from "./common.js";
import { ACCOUNT_TYPES, MFA_POLICIES } from "./accounts.js";

/** `POST /api/v1/admin/users`; without a password the person sets one through password reset. */
export const adminCreateUserSchema = z
  .object({ email: emailSchema, firstName: nameSchema, lastName: nameSchema, password: passwordInputSchema.optional() })
  .strict();
export type AdminCreateUserInput = z.infer<typeof adminCreateUserSchema>;

/** `POST /api/v1/admin/accounts`; the policy defaults to `optional`. */
export const adminCreateAccountSchema = z
  .object({ name: nameSchema, type: z.enum(ACCOUNT_TYPES), mfaPolicy: z.enum(MFA_POLICIES).default("optional") })
  .strict();
export type AdminCreateAccountInput = z.infer<typeof adminCreateAccountSchema>;

/** `PATCH /api/v1/admin/accounts/{id}`: rename and/or change the MFA policy. */
export const adminUpdateAccountSchema = z
  .object({ name: nameSchema, mfaPolicy: z.enum(MFA_POLICIES) })
  .partial()
  .strict()
  .refine((v) => v.name !== undefined || v.mfaPolicy !== undefined, "give name or mfaPolicy");
export type AdminUpdateAccountInput = z.infer<typeof adminUpdateAccountSchema>;

/** A group of an account; `admin` marks the Administrators group every account starts with. */
export const adminGroupSchema = z.object({ id: z.string(), name: z.string(), admin: z.boolean() });
export type AdminGroupDto = z.infer<typeof adminGroupSchema>;
/** `POST /api/v1/admin/accounts/{id}/groups`. */
export const adminCreateGroupSchema = z.object({ name: nameSchema }).strict();

/** A member of an account with the groups they are in. */
export const adminMemberSchema = z.object({
  userId: userIdSchema,
  email: z.string(),
  firstName: z.string(),
  lastName: z.string(),
  groupIds: z.array(z.string()),
  joinedAt: timestampSchema,
});
export type AdminMemberDto = z.infer<typeof adminMemberSchema>;

/** An account as the operator sees it. */
export const adminAccountSchema = z.object({
  id: accountIdSchema,
  name: z.string(),
  type: z.enum(ACCOUNT_TYPES),
  mfaPolicy: z.enum(MFA_POLICIES),
  groups: z.array(adminGroupSchema),
  createdAt: timestampSchema,
});
export type AdminAccountDto = z.infer<typeof adminAccountSchema>;

/** An invitation not accepted yet (and not expired). */
export const adminInvitationSchema = z.object({ email: z.string(), groupIds: z.array(z.string()), expiresAt: timestampSchema });

/** `GET /api/v1/admin/accounts/{id}`: the account with its groups, members and pending invitations. */
export const adminAccountDetailSchema = adminAccountSchema.extend({
  members: z.array(adminMemberSchema),
  pendingInvitations: z.array(adminInvitationSchema),
});
export type AdminAccountDetailDto = z.infer<typeof adminAccountDetailSchema>;

/** `GET /api/v1/admin/accounts`: every account, by name, with a member count. */
export const adminAccountListQuerySchema = pageQuerySchema
  .extend({ type: z.enum(ACCOUNT_TYPES).optional(), q: z.string().trim().max(100).optional() })
  .strict();
export const adminAccountListItemSchema = adminAccountSchema.extend({ memberCount: z.number().int() });
export const adminAccountListSchema = z.object({ items: z.array(adminAccountListItemSchema), nextCursor: z.string().nullable() });
export type AdminAccountListItemDto = z.infer<typeof adminAccountListItemSchema>;

/** `POST /api/v1/admin/accounts/{id}/members`: one or more groups of that account. */
export const adminAddMemberSchema = z
  .object({ email: emailSchema, groupIds: z.array(z.string().max(32)).min(1, "needs at least one group").max(50) })
  .strict();
export type AdminAddMemberInput = z.infer<typeof adminAddMemberSchema>;
/** `added` (an existing user has the account at once) or `invited` (an email with a link went out). */
export const adminAddMemberResponseSchema = z.object({
  status: z.enum(["added", "invited"]),
  userId: userIdSchema.nullable(),
  email: z.string(),
  groupIds: z.array(z.string()),
  /** When the invitation expires (`invited` only). */
  expiresAt: timestampSchema.nullable(),
});
export type AdminAddMemberResponse = z.infer<typeof adminAddMemberResponseSchema>;

/** `PUT /api/v1/admin/accounts/{id}/members/{userId}/groups`: the member's groups, replaced. */
export const adminSetGroupsSchema = z
  .object({ groupIds: z.array(z.string().max(32)).min(1, "needs at least one group").max(50) })
  .strict();
export const accountParamsSchema = z.object({ id: z.string().max(32) });
export const memberParamsSchema = z.object({ id: z.string().max(32), userId: z.string().max(32) });
