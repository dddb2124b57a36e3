import { AppError } from "../../errors.js";

/** The Passkeys feature's errors, as small factories over the contract's codes. */
export const passkeyErrors = {
  /** A registration response that does not verify (or answers no challenge of this browser): nothing stored. */
  invalidPasskey: (reason: string) =>
    new AppError("invalid_passkey", {
      message: "The passkey could not be added. Try again, or use another device or password manager.",
      details: { reason },
    }),
  /** Any refused assertion: one answer whatever the reason, so nothing is learnt from it. */
  invalidCredentials: () =>
    new AppError("invalid_credentials", { message: "The passkey was not accepted. Try again, or sign in another way." }),
  notFound: () => new AppError("not_found", { message: "The passkey was not found." }),
  tooMany: (max: number) =>
    new AppError("conflict", { message: `You have ${max} passkeys already. Remove one you no longer use first.` }),
};
