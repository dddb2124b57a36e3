import type { AppError } from "../../errors.js";
import { authErrors } from "./auth.errors.js";

/** Why a person who proved who they are still may not sign in. */
export interface SignInRefusal {
  error: AppError;
  reason: "account_disabled" | "password_reset_required";
}

/**
 * The one rule of who may sign in after proving who they are, whatever the proof (password,
 * passkey): not a person the operator disabled, not one whose password must be reset after a
 * lockdown. Callers ask only after the proof succeeded, so a refusal costs what a failed proof
 * costs and says nothing to someone without it.
 */
export function createSignInGate(deps: {
  isDisabled(userId: string): Promise<boolean>;
  isPasswordResetRequired(userId: string): Promise<boolean>;
}) {
  return async function refusalOf(userId: string): Promise<SignInRefusal | undefined> {
    if (await deps.isDisabled(userId)) return { error: authErrors.accountDisabled(), reason: "account_disabled" };
    if (await deps.isPasswordResetRequired(userId)) {
      return { error: authErrors.passwordResetRequired(), reason: "password_reset_required" };
    }
    return undefined;
  };
}

export type SignInGate = ReturnType<typeof createSignInGate>;
