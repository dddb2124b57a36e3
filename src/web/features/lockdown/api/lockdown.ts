import { useMutation, useQuery } from "@tanstack/react-query";
import type { LockdownConfirmInput, LockdownPreviewDto } from "@contracts/lockdown";
import { api } from "../../../lib/api-client";

/**
 * What confirming a "This wasn't me" link will do (`GET /api/v1/auth/lockdown`), asked when the
 * page opens: a used or expired link says so before anything is pressed. Changes nothing.
 */
export function useLockdownPreview(token: string) {
  return useQuery({
    queryKey: ["auth", "lockdown", token],
    queryFn: ({ signal }) => api.get<LockdownPreviewDto>("/auth/lockdown", { query: { token }, signal }),
    retry: false,
    staleTime: Number.POSITIVE_INFINITY,
  });
}

/** Secures the account (`POST /api/v1/auth/lockdown`): 204, or 400 `invalid_token`. */
export function useConfirmLockdown() {
  return useMutation({ mutationFn: (input: LockdownConfirmInput) => api.post<void>("/auth/lockdown", input) });
}
