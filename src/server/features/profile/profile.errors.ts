import { AppError, commonErrors } from "../../errors.js";

/** The General section's errors, as small factories over the contract's codes. */
export const profileErrors = {
  invalidPassword: () =>
    new AppError("invalid_password", {
      message: "The password is not correct.",
      details: { fields: { password: "is not correct" } },
    }),
  emailTaken: () =>
    new AppError("email_taken", {
      message: "This email address is already in use by another person.",
      details: { fields: { newEmail: "is already in use" } },
    }),
  sameEmail: () => commonErrors.validation({ newEmail: "is already your email address" }),
  invalidToken: () =>
    new AppError("invalid_token", {
      message: "This confirmation link is invalid, has expired or was already used. Request a new email change.",
    }),
  userGone: () => commonErrors.unauthenticated(),
};
