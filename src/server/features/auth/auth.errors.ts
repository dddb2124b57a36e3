import { AppError } from "../../errors.js";

/** The sign-in feature's errors, over the contract's codes. */
export const authErrors = {
  /** One answer for an unknown email and a wrong password (no enumeration, ASVS 6.3.8). */
  invalidCredentials: () => new AppError("invalid_credentials", { message: "The email address or password is not correct." }),
  /** The password was right, but an operator disabled the person. */
  accountDisabled: () =>
    new AppError("account_disabled", { message: "This account has been disabled. Contact your administrator." }),
  /**
   * A lockdown ("This wasn't me") asked for a new password: only a correct password gets this
   * answer, so it tells nothing to someone guessing.
   */
  passwordResetRequired: () =>
    new AppError("password_reset_required", {
      message: "This account was secured and its password must be reset. Use the link we emailed, or ask for a new one.",
    }),
  /** Unknown, used and expired reset links all answer the same. */
  invalidToken: () =>
    new AppError("invalid_token", { message: "This link is not valid any more. Ask for a new password-reset email." }),
  /** NIST 800-63B: a rejected password is refused with the reason. */
  weakPassword: (reason: string) => new AppError("weak_password", { message: reason, details: { reason } }),
};
