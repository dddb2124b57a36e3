import { AppError, commonErrors } from "../../../errors.js";

/** The password feature's errors, over the contract's codes. */
export const passwordErrors = {
  invalidPassword: () =>
    new AppError("invalid_password", {
      message: "The current password is not correct.",
      details: { fields: { currentPassword: "is not correct" } },
    }),
  /** NIST 800-63B §3.1.1.2: a rejected password is refused with the reason. */
  weakPassword: (reason: string) =>
    new AppError("weak_password", { message: reason, details: { reason, fields: { newPassword: reason } } }),
  sameAsCurrent: () =>
    new AppError("weak_password", {
      message: "The new password must be different from the current one.",
      details: {
        reason: "The new password must be different from the current one.",
        fields: { newPassword: "must differ from the current password" },
      },
    }),
  userGone: () => commonErrors.unauthenticated(),
};
