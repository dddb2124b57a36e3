import { useMutation, useQueryClient } from "@tanstack/react-query";
import type * as z from "zod";
import type { AcceptInvitationResponse } from "@contracts/accounts";
import type { acceptInvitationSchema } from "@contracts/auth";
import { api } from "../../../lib/api-client";
import { ME_QUERY_KEY } from "../../../lib/current-user";

/** `POST /api/v1/auth/invitations/accept` body. */
export type AcceptInvitationInput = z.input<typeof acceptInvitationSchema>;

/**
 * Accepts an invitation: creates the person and signs them in (`authenticated`), or, when the
 * invited address already had a profile, adds the membership and asks them to sign in with
 * their own password (`sign_in_required`).
 */
export function acceptInvitation(input: AcceptInvitationInput): Promise<AcceptInvitationResponse> {
  return api.post("/auth/invitations/accept", input);
}

/** Mutation for the invitation form; stores the new person as the `me` query once signed in. */
export function useAcceptInvitation() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: acceptInvitation,
    onSuccess: (response) => {
      queryClient.clear();
      if (response.status === "authenticated") queryClient.setQueryData(ME_QUERY_KEY, response.user);
    },
  });
}
