import { useMutation, useQueryClient } from "@tanstack/react-query";
import type { AuthenticatedResponse } from "./login-mfa";
import { api } from "../../../lib/api-client";
import { ME_QUERY_KEY } from "../../../lib/current-user";
import { getPasskeyAssertion } from "../../../lib/passkeys";

/**
 * Signs in with a passkey: the browser's options, the person's pick, then `POST /auth/passkey`.
 * From a session waiting for its second step, this finishes that sign-in instead.
 */
export async function signInWithPasskey(options: { autofill?: boolean } = {}): Promise<AuthenticatedResponse> {
  const response = await getPasskeyAssertion(options);
  return api.post<AuthenticatedResponse>("/auth/passkey", { response });
}

/** Mutation for a passkey sign-in; stores the signed-in person as the `me` query. */
export function useSignInWithPasskey() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: signInWithPasskey,
    onSuccess: (response) => {
      queryClient.clear();
      queryClient.setQueryData(ME_QUERY_KEY, response.user);
    },
  });
}
