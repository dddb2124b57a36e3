import { useMutation, useQueryClient } from "@tanstack/react-query";
import { api } from "../../../lib/api-client";
import { MY_ACCOUNTS_QUERY_KEY } from "./get-my-accounts";

/** Forgets the session's notice about leaving an account (`DELETE /api/v1/me/accounts/notice`). */
export function dismissAccountNotice(): Promise<void> {
  return api.delete<void>("/me/accounts/notice");
}

/** Mutation that dismisses the notice and refreshes the lists. */
export function useDismissAccountNotice() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: dismissAccountNotice,
    onSuccess: () => queryClient.invalidateQueries({ queryKey: MY_ACCOUNTS_QUERY_KEY }),
  });
}
