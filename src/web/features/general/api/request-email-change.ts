import { useMutation, useQueryClient } from "@tanstack/react-query";
import type * as z from "zod";
import type { EmailChangeRequestedDto, emailChangeSchema } from "@contracts/me";
import { api } from "../../../lib/api-client";
import { ME_QUERY_KEY } from "../../../lib/current-user";

/** `POST /api/v1/me/email-change` body. */
export type EmailChangeInput = z.input<typeof emailChangeSchema>;

/** Starts an email change: a link goes to the new address (202); 401 `invalid_password`, 409 `email_taken`. */
export function requestEmailChange(input: EmailChangeInput): Promise<EmailChangeRequestedDto> {
  return api.post<EmailChangeRequestedDto>("/me/email-change", input);
}

/** Mutation for the change-email dialog; refetches `me` to show the pending address. */
export function useRequestEmailChange() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: requestEmailChange,
    onSuccess: () => queryClient.invalidateQueries({ queryKey: ME_QUERY_KEY }),
  });
}
