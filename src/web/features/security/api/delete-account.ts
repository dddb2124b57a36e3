import { useMutation, useQueryClient } from "@tanstack/react-query";
import type * as z from "zod";
import type { deleteMeSchema } from "@contracts/security";
import { api } from "../../../lib/api-client";

/** `DELETE /api/v1/me` body. */
export type DeleteAccountInput = z.input<typeof deleteMeSchema>;

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
