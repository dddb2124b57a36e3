import { AppError, commonErrors } from "../../../errors.js";

/** Errors of "delete my account", over the contract's codes. */
export const deletionErrors = {
  emailMismatch: () => commonErrors.validation({ confirmEmail: "must be exactly your email address" }),
  codeRequired: () =>
    new AppError("invalid_code", {
      message: "Enter a code from your authenticator app, or a recovery code.",
      details: { fields: { code: "is required" } },
    }),
  soleAdmin: (accounts: Array<{ id: string; name: string }>) =>
    new AppError("sole_admin", {
      message: `You are the only administrator of ${accounts.map((a) => a.name).join(", ")}. Make someone else an administrator there first: every account keeps at least one.`,
      details: { accounts },
    }),
  /** The operator's view of the same rule. */
  soleAdminOf: (accounts: Array<{ id: string; name: string }>) =>
    new AppError("sole_admin", {
      message: `This person is the only administrator of ${accounts.map((a) => a.name).join(", ")}. Make someone else an administrator there first: every account keeps at least one.`,
      details: { accounts },
    }),
};
