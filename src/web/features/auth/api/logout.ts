import { useMutation, useQueryClient } from "@tanstack/react-query";
import { api } from "../../../lib/api-client";

/** Ends the current session (`POST /api/v1/auth/logout`, 204). */
export function logout(): Promise<void> {
  return api.post<void>("/auth/logout");
}

/** Mutation for "Sign out"; whatever the answer, every cached query is dropped. */
export function useLogout() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: logout,
    onSettled: () => queryClient.clear(),
  });
}
