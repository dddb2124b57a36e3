import { useMutation, useQuery } from "@tanstack/react-query";
import type * as z from "zod";
import type { passwordResetCheckSchema, passwordResetConfirmSchema } from "@contracts/auth";
import { api } from "../../../lib/api-client";

/** Asks for a reset link (`POST /api/v1/auth/password-reset`): always 202, whether the account exists or not. */
export function requestPasswordReset(email: string): Promise<void> {
  return api.post<void>("/auth/password-reset", { email });
}

/** Sets a new password from an emailed token (`POST /api/v1/auth/password-reset/confirm`). */
export function confirmPasswordReset(input: z.input<typeof passwordResetConfirmSchema>): Promise<void> {
  return api.post<void>("/auth/password-reset/confirm", input);
}

/** Mutation for the "forgot password" form. */
export function useRequestPasswordReset() {
  return useMutation({ mutationFn: requestPasswordReset });
}

/** Mutation for the "reset password" form (errors: `invalid_token`, `weak_password`). */
export function useConfirmPasswordReset() {
  return useMutation({ mutationFn: confirmPasswordReset });
}

/**
 * Whether a reset link can still be used (`GET /api/v1/auth/password-reset/check`), asked when
 * the page opens: a used or expired link says so before anything is typed. The answer names the
 * person, whose name and email the new password must not contain.
 */
export function useResetLinkCheck(token: string) {
  return useQuery({
    queryKey: ["auth", "reset-link", token],
    queryFn: ({ signal }) =>
      api.get<z.infer<typeof passwordResetCheckSchema>>("/auth/password-reset/check", { query: { token }, signal }),
    retry: false,
    staleTime: Number.POSITIVE_INFINITY,
  });
}
