import { AppError } from "../../../errors.js";

/** The MFA feature's errors, as small factories over the contract's codes. */
export const mfaErrors = {
  /** A wrong, expired or already used code on an MFA-gated action (400). */
  invalidCode: () =>
    new AppError("invalid_code", {
      message: "The code is not correct. Enter the current code from your authenticator app, or a recovery code.",
      details: { fields: { code: "is not correct" } },
    }),
  /** A wrong code at the code step of sign-in (401: the caller is not signed in yet). */
  invalidLoginCode: () =>
    new AppError("invalid_code", {
      status: 401,
      message: "The code is not correct. Enter the current code from your authenticator app, or a recovery code.",
      details: { fields: { code: "is not correct" } },
    }),
  alreadyEnabled: () =>
    new AppError("mfa_already_enabled", {
      message: "Two-factor authentication is already on. Turn it off first to set up a new app.",
    }),
  notEnabled: () => new AppError("mfa_not_enabled", { message: "Two-factor authentication is not on." }),
  noSetupInProgress: () =>
    new AppError("conflict", { message: "There is no authenticator setup in progress. Start the setup again." }),
  requiredByAccount: (accounts: Array<{ id: string; name: string }>) =>
    new AppError("mfa_required_by_account", {
      message: `Two-factor authentication cannot be turned off: ${accounts.map((a) => a.name).join(", ")} require${
        accounts.length === 1 ? "s" : ""
      } it for every member.`,
      details: { accounts },
    }),
};
