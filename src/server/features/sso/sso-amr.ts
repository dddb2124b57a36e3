/*
 * Authentication methods and context classes of a Profile Center session, as ID tokens state
 * them (RFC 8176 `amr`, `acr`). One small function so new sign-in methods (passkeys: `hwk`/`swk`
 * and `user`) only add a case here.
 */

/** What a session's sign-in used. */
export interface SignInMethods {
  password: boolean;
  /** An authenticator app code or a recovery code. */
  otp: boolean;
  /** A passkey: hardware-bound (`hwk`) or synced (`swk`), with user verification (`user`). */
  passkey?: "hwk" | "swk" | undefined;
}

/** `acr` values: a password alone, or a second factor as well. */
export const ACR_PASSWORD = "pwd";
export const ACR_MFA = "mfa";
export const ACR_VALUES = [ACR_PASSWORD, ACR_MFA] as const;

/** RFC 8176 values for the methods used; `mfa` whenever two factors were. */
export function amrFor(methods: SignInMethods): string[] {
  const amr: string[] = [];
  if (methods.password) amr.push("pwd");
  if (methods.otp) amr.push("otp");
  if (methods.passkey) amr.push(methods.passkey, "user");
  // A passkey is always used with user verification here: the key and the PIN or biometric
  // that unlocks it are two factors on their own (NIST SP 800-63B-4: multi-factor).
  const factors = Number(methods.password) + Number(methods.otp) + (methods.passkey ? 2 : 0);
  if (factors >= 2) amr.push("mfa");
  return amr;
}

/** The context class a session reached. */
export function acrFor(amr: readonly string[]): string {
  return amr.includes("mfa") ? ACR_MFA : ACR_PASSWORD;
}

/**
 * The methods of a session from what it records: the RFC 8176 values its sign-in steps stored
 * (`sessions.auth_methods`). A session is first signed in with a password or a passkey, so one
 * without a passkey had a password; before the values were stored, an MFA-verified session had
 * a code.
 */
export function methodsOfSession(session: { mfaVerified: number; authMethods?: string | undefined }): SignInMethods {
  const recorded = new Set((session.authMethods ?? "").split(" ").filter(Boolean));
  const passkey = recorded.has("hwk") ? "hwk" : recorded.has("swk") ? "swk" : undefined;
  return {
    password: recorded.has("pwd") || !passkey,
    otp: recorded.has("otp") || (recorded.size === 0 && session.mfaVerified === 1),
    passkey,
  };
}
