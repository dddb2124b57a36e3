import { AppError, commonErrors } from "../../errors.js";

export const ssoErrors = {
  clientNotFound: () => commonErrors.notFound("client"),
  appNotFound: () => commonErrors.notFound("connected app"),
  invalidClient: (field: string, problem: string) => commonErrors.validation({ [field]: problem }),
  invalidCode: () => new AppError("invalid_code", { status: 401, message: "The code is not correct or was already used." }),
  publicClient: () => new AppError("conflict", { message: "A public client has no secret." }),
};
