import { commonErrors } from "../../errors.js";

/** Errors of the Sessions feature, over the contract's codes. */
export const sessionsErrors = {
  /** Another person's session, an unknown id, or one already ended: the same 404 (C10, no oracle). */
  sessionNotFound: () => commonErrors.notFound("session"),
  /** A `cursor` this list did not hand out: 400 `validation_failed`, never a 500. */
  invalidCursor: () => commonErrors.validation({ cursor: "is not a cursor from this list" }),
};
