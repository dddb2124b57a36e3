import { useMutation, useQueryClient } from "@tanstack/react-query";
import type * as z from "zod";
import type { changePasswordSchema } from "@contracts/security";
import { api } from "../../../lib/api-client";
import { ME_QUERY_KEY } from "../../../lib/current-user";

/** `POST /api/v1/me/password` body (`code` only when the server asked for it). */
export type ChangePasswordInput = z.input<typeof changePasswordSchema>;

/** Changes the password: 204; 401 `invalid_password` | `reauthentication_required`; 400 `weak_password` (with the reason). */
export function changePassword(input: ChangePasswordInput): Promise<void> {
  return api.post<void>("/me/password", input);
}

/** Mutation for the Password card; refreshes the session lists (others may have ended). */
export function useChangePassword() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: changePassword,
    onSuccess: () => queryClient.invalidateQueries({ queryKey: ME_QUERY_KEY }),
  });
}
