import { useMutation, useQueryClient } from "@tanstack/react-query";
import type { UserDto } from "@contracts/me";
import { api } from "../../../lib/api-client";
import { ME_QUERY_KEY } from "../../../lib/current-user";

/** Confirms an email change from the emailed link (`POST /api/v1/me/email-change/confirm`, public). */
export function confirmEmailChange(token: string): Promise<UserDto> {
  return api.post<UserDto>("/me/email-change/confirm", { token });
}

/**
 * Mutation for the confirm-email page. The route is public (the link may open in a browser
 * with no session, or one signed in as someone else), so the answer only refreshes the `me`
 * query of that same person; it never stands in for a session.
 */
export function useConfirmEmailChange() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: confirmEmailChange,
    onSuccess: (user) => queryClient.setQueryData<UserDto>(ME_QUERY_KEY, (current) => (current?.id === user.id ? user : current)),
  });
}
