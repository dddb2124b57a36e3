import { useQuery } from "@tanstack/react-query";
import type { InvitationPreviewDto } from "@contracts/accounts";
import { api } from "../../../lib/api-client";

/**
 * What an invitation offers (`GET /api/v1/auth/invitations/preview`): the account, the invited
 * address, the groups and who invited. 400 `invalid_token` for a used, expired or forged link,
 * known before the person types anything.
 */
export function useInvitationPreview(token: string) {
  return useQuery({
    queryKey: ["auth", "invitation-preview", token],
    queryFn: ({ signal }) => api.get<InvitationPreviewDto>("/auth/invitations/preview", { query: { token }, signal }),
    retry: false,
    staleTime: Number.POSITIVE_INFINITY,
  });
}
