import { useMutation, useQuery } from "@tanstack/react-query";
import type { CheckupResponseDto } from "@contracts/checkup";
import type { EmailVerificationRequestedDto } from "@contracts/me";
import { api } from "../../../lib/api-client";
import { ME_QUERY_KEY } from "../../../lib/current-user";

/** Query key of the checkup (under `me`: any change to the person refreshes it). */
export const CHECKUP_QUERY_KEY = [...ME_QUERY_KEY, "checkup"] as const;

/** The security checkup (`GET /api/v1/me/checkup`). */
export function useCheckup() {
  return useQuery({
    queryKey: CHECKUP_QUERY_KEY,
    queryFn: ({ signal }) => api.get<CheckupResponseDto>("/me/checkup", { signal }),
  });
}

/** Mails a link that confirms the current address (`POST /api/v1/me/email-verification`). */
export function useRequestEmailVerification() {
  return useMutation({ mutationFn: () => api.post<EmailVerificationRequestedDto>("/me/email-verification", {}) });
}
