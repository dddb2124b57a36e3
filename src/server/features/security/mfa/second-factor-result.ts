/*
 * The answer of a second-factor check, shared by the MFA feature that checks codes
 * (second-factor.ts) and the step-up hook that asks for one (http/require-recent-auth.ts).
 */

/** How a second factor passed: which kind of code, and for a recovery code how many are left. */
export interface SecondFactorPass {
  method: "totp" | "recovery";
  recoveryCodesLeft?: number;
}

/** The outcome of a second-factor check (a TOTP code or a recovery code). */
export type SecondFactorResult = ({ ok: true } & SecondFactorPass) | { ok: false };
