import { useMutation, useQueryClient } from "@tanstack/react-query";
import type * as z from "zod";
import type { loginResponseSchema, loginSchema } from "@contracts/auth";
import { api } from "../../../lib/api-client";
import { ME_QUERY_KEY } from "../../../lib/current-user";

/** `POST /api/v1/auth/login` body. */
export type LoginInput = z.input<typeof loginSchema>;

/** `{status:"authenticated", user}` or `{status:"mfa_required"}`. */
export type LoginResponse = z.infer<typeof loginResponseSchema>;

/** Signs in with email and password (`POST /api/v1/auth/login`). */
export function login(input: LoginInput): Promise<LoginResponse> {
  return api.post<LoginResponse>("/auth/login", input);
}

/**
 * Mutation for the password step. On `authenticated` the old cache is dropped and the
 * person is stored as the `me` query, so the shell renders without another request.
 */
export function useLogin() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: login,
    onSuccess: (response) => {
      queryClient.clear();
      if (response.status === "authenticated") queryClient.setQueryData(ME_QUERY_KEY, response.user);
    },
  });
}
