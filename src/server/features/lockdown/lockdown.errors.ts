import { AppError } from "../../errors.js";

/** The lockdown's errors, over the contract's codes. */
export const lockdownErrors = {
  /** Unknown, forged, used and expired links all answer the same. */
  invalidToken: () =>
    new AppError("invalid_token", {
      message: "This link is not valid any more (used, expired or incomplete). If your account is at risk, reset your password.",
    }),
};
