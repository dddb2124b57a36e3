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
  const factors = Number(methods.password) + Number(methods.otp) + Number(Boolean(methods.passkey));
  if (factors >= 2) amr.push("mfa");
  return amr;
}

/** The context class a session reached. */
export function acrFor(amr: readonly string[]): string {
  return amr.includes("mfa") ? ACR_MFA : ACR_PASSWORD;
}

/** The methods of a session from what it records (password, and whether a second factor was used). */
export function methodsOfSession(session: { mfaVerified: number }): SignInMethods {
  return { password: true, otp: session.mfaVerified === 1 };
}
