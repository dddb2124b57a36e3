import { useMutation, useQueryClient } from "@tanstack/react-query";
import type { ActiveAccountResponse } from "@contracts/accounts";
import { api } from "../../../lib/api-client";
import { MY_ACCOUNTS_QUERY_KEY } from "./get-my-accounts";

/**
 * Makes `accountId` the active account (`POST /api/v1/me/active-account`). Fails with 403
 * `mfa_setup_required` when the account requires MFA this session has not used, 404 for an
 * account the person is not a member of.
 */
export function switchActiveAccount(accountId: string): Promise<ActiveAccountResponse> {
  return api.post<ActiveAccountResponse>("/me/active-account", { accountId });
}

/** Mutation for switching accounts; refreshes every account list on success. */
export function useSwitchActiveAccount() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: switchActiveAccount,
    onSuccess: () => queryClient.invalidateQueries({ queryKey: MY_ACCOUNTS_QUERY_KEY }),
  });
}
