import { AppError, commonErrors } from "../../errors.js";

/** The accounts feature's errors, as small factories over the contract's codes. */
export const accountErrors = {
  /** Unknown account, or one the caller is not a member of: the same answer (G2). */
  accountNotFound: () => commonErrors.notFound("account"),
  userNotFound: () => commonErrors.notFound("user"),
  memberNotFound: () => new AppError("not_found", { message: "That person is not a member of this account." }),
  alreadyMember: (email: string) =>
    new AppError("conflict", {
      message: `${email} is already a member of this account; change their groups instead.`,
      details: { email },
    }),
  emailTaken: () => new AppError("email_taken", { message: "A user with this email already exists." }),
  groupNameTaken: (name: string) =>
    new AppError("conflict", { message: `The account already has a group named "${name}".`, details: { name } }),
  unknownGroups: (ids: string[]) =>
    new AppError("validation_failed", {
      message: "Some fields are invalid.",
      details: { fields: { groupIds: `not groups of this account: ${ids.join(", ")}` } },
    }),
  /** Every account keeps at least one administrator (as in self-deletion). */
  soleAdmin: (account: { id: string; name: string }) =>
    new AppError("sole_admin", {
      message: `This is the last administrator of ${account.name}; make someone else an administrator first.`,
      details: { accounts: [{ id: account.id, name: account.name }] },
    }),
  mfaSetupRequired: (account: { id: string; name: string }, mfaEnabled: boolean) =>
    new AppError("mfa_setup_required", {
      message: mfaEnabled
        ? `${account.name} requires multi-factor authentication: sign in again with your authentication code to enter it.`
        : `${account.name} requires multi-factor authentication: set it up to enter this account.`,
      details: { accountId: account.id, mfaEnabled },
    }),
  invalidInvitation: () =>
    new AppError("invalid_token", {
      message: "This invitation link is invalid, was already used, or has expired. Ask for a new invitation.",
    }),
  weakPassword: (reason: string) => new AppError("weak_password", { message: reason, details: { reason } }),
  invalidCursor: () => commonErrors.validation({ cursor: "is not a valid cursor; start from the first page" }),
};
