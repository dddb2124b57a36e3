import type * as z from "zod";
import type { loginResponseSchema } from "../../../contracts/auth.js";
import type { SignInResult } from "./auth.service.js";

/** The sign-in answer: the status and, once signed in, the user. The token goes only into the cookie (C12). */
export function presentSignIn(result: SignInResult): z.infer<typeof loginResponseSchema> {
  return result.status === "authenticated"
    ? { status: "authenticated", user: result.user }
    : { status: "mfa_required", methods: result.methods };
}
