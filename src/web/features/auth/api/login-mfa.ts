import { useMutation, useQueryClient } from "@tanstack/react-query";
import type * as z from "zod";
import type { authenticatedResponseSchema } from "@contracts/auth";
import { api } from "../../../lib/api-client";
import { ME_QUERY_KEY } from "../../../lib/current-user";

/** `{status:"authenticated", user, recoveryCodesLeft?}`. */
export type AuthenticatedResponse = z.infer<typeof authenticatedResponseSchema>;

/** Completes sign-in with a 6-digit TOTP code or a recovery code (`POST /api/v1/auth/login/mfa`). */
export function loginWithCode(code: string): Promise<AuthenticatedResponse> {
  return api.post<AuthenticatedResponse>("/auth/login/mfa", { code });
}

/** Mutation for the code step; stores the signed-in person as the `me` query. */
export function useLoginWithCode() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: loginWithCode,
    onSuccess: (response) => {
      queryClient.clear();
      queryClient.setQueryData(ME_QUERY_KEY, response.user);
    },
  });
}
