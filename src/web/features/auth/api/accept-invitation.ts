import { useMutation, useQueryClient } from "@tanstack/react-query";
import type { UserDto } from "@contracts/me";
import { api } from "../../../lib/api-client";
import { ME_QUERY_KEY } from "../../../lib/current-user";

/** `POST /api/v1/auth/invitations/accept` body. */
export interface AcceptInvitationInput {
  token: string;
  firstName: string;
  lastName: string;
  password: string;
}

/** Accepts an invitation, creating the person and signing them in. */
export function acceptInvitation(input: AcceptInvitationInput): Promise<{ status: "authenticated"; user: UserDto }> {
  return api.post("/auth/invitations/accept", input);
}

/** Mutation for the invitation form; stores the new person as the `me` query. */
export function useAcceptInvitation() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: acceptInvitation,
    onSuccess: (response) => {
      queryClient.clear();
      queryClient.setQueryData(ME_QUERY_KEY, response.user);
    },
  });
}
