import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import type * as z from "zod";
import type { deleteMeSchema, deletionCheckSchema } from "@contracts/security";
import { ME_QUERY_KEY } from "../../../lib/current-user";
import { api } from "../../../lib/api-client";

/** `DELETE /api/v1/me` body. */
export type DeleteAccountInput = z.input<typeof deleteMeSchema>;

/** `GET /api/v1/me/deletion`: the accounts that would refuse the deletion now. */
export type DeletionCheck = z.infer<typeof deletionCheckSchema>;

/** What would refuse "Delete my account" (the person is an account's only administrator), asked before the dialog. */
export function useDeletionCheck() {
  return useQuery({
    queryKey: [...ME_QUERY_KEY, "deletion"],
    queryFn: ({ signal }) => api.get<DeletionCheck>("/me/deletion", { signal }),
  });
}

/** Deletes the login for good: 204 (the server clears the site's cookies and storage). */
export function deleteAccount({ input, signal }: { input: DeleteAccountInput; signal?: AbortSignal }): Promise<void> {
  return api.delete<void>("/me", input, { redirectOnUnauthenticated: false, ...(signal ? { signal } : {}) });
}

/**
 * Mutation for the danger zone. After success nothing of the person may be fetched again: the
 * cache is emptied and queries stop, so the goodbye stays on screen instead of a sign-in redirect.
 */
export function useDeleteAccount() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: deleteAccount,
    onSuccess: async () => {
      queryClient.setDefaultOptions({ queries: { enabled: false, retry: false } });
      await queryClient.cancelQueries();
    },
  });
}
