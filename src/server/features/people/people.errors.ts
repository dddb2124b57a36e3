import { commonErrors } from "../../errors.js";

/** The people feature's errors, over the contract's codes. */
export const peopleErrors = {
  userNotFound: () => commonErrors.notFound("user"),
  invalidCursor: () => commonErrors.validation({ cursor: "is not a valid cursor; start from the first page" }),
};
