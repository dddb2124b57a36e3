import * as z from "zod";
import { codeSchema, passwordInputSchema, timestampSchema } from "./common.js";

/** The issuer authenticator apps show (`Connect Auth: <email>`) when MFA_ISSUER is unset. */
export const DEFAULT_MFA_ISSUER = "Connect Auth";

export const changePasswordSchema = z
  .object({
    currentPassword: passwordInputSchema,
    newPassword: passwordInputSchema,
    signOutOtherSessions: z.boolean().default(true),
    /** A current code: needed only when MFA is on and the session is older than the re-authentication age. */
    code: codeSchema.optional(),
  })
  .strict();

/** An account named in a refusal (or in the reason an action is not offered). */
export const accountRefSchema = z.object({ id: z.string(), name: z.string() });

export const mfaStatusSchema = z.object({
  totp: z.object({ enabled: z.boolean(), enabledAt: timestampSchema.nullable() }),
  recoveryCodesLeft: z.number().int(),
  /** How many passkeys the person has: each is a second factor too. */
  passkeys: z.number().int(),
  /**
   * The accounts the person belongs to whose policy requires MFA: while any is listed, turning
   * MFA off is refused (409 `mfa_required_by_account`), so pages say so before asking for a code.
   */
  requiredBy: z.array(accountRefSchema),
});

/**
 * `GET /me/deletion`: what would refuse "Delete my account" now, known before any credential is
 * typed: the accounts of which the person is the only administrator (409 `sole_admin`).
 */
export const deletionCheckSchema = z.object({ soleAdminOf: z.array(accountRefSchema) });

export const totpSetupResponseSchema = z.object({
  secret: z.string(),
  otpauthUri: z.string(),
  qrCodeSvg: z.string(),
});

export const codeBodySchema = z.object({ code: codeSchema }).strict();
export const recoveryCodesResponseSchema = z.object({ recoveryCodes: z.array(z.string()) });

export const deleteMeSchema = z
  .object({ password: passwordInputSchema, code: codeSchema.optional(), confirmEmail: z.string().max(254) })
  .strict();

/**
 * `POST /me/mfa/totp/setup` (optional body): a session older than the re-authentication age may
 * carry the password here instead of calling `/auth/reauthenticate` first.
 */
export const totpSetupSchema = z.object({ password: passwordInputSchema.optional() }).strict().nullish();

/**
 * `DELETE /me/mfa/totp` and `POST /me/mfa/recovery-codes`: a current code; a session older than
 * the re-authentication age adds the password, and the one code then serves both checks.
 */
export const mfaCodeActionSchema = z.object({ code: codeSchema, password: passwordInputSchema.optional() }).strict();
