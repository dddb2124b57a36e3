import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import type * as z from "zod";
import type {
  mfaCodeActionSchema,
  mfaStatusSchema,
  recoveryCodesResponseSchema,
  totpSetupResponseSchema,
} from "@contracts/security";
import { api } from "../../../lib/api-client";
import { ME_QUERY_KEY } from "../../../lib/current-user";

/** `GET /api/v1/me/mfa`. */
export type MfaStatus = z.infer<typeof mfaStatusSchema>;
/** `POST /api/v1/me/mfa/totp/setup`: the new secret, its otpauth URI and the QR code (SVG). */
export type TotpSetup = z.infer<typeof totpSetupResponseSchema>;
/** New recovery codes, shown once. */
export type RecoveryCodes = z.infer<typeof recoveryCodesResponseSchema>;

/** A current code, plus the password when the server asked to confirm it's the person. */
export type CodeWithReauth = z.input<typeof mfaCodeActionSchema>;

/** Query key of the MFA status (under `me`, so a change to the person refreshes it too). */
export const MFA_QUERY_KEY = [...ME_QUERY_KEY, "mfa"] as const;

/** Two-factor status: on/off, since when, recovery codes left. */
export function useMfaStatus() {
  return useQuery({
    queryKey: MFA_QUERY_KEY,
    queryFn: ({ signal }) => api.get<MfaStatus>("/me/mfa", { signal }),
  });
}

/** Starts (or restarts) authenticator setup; `password` when a re-authentication was asked for. */
export function startTotpSetup(password?: string): Promise<TotpSetup> {
  return api.post<TotpSetup>("/me/mfa/totp/setup", password === undefined ? {} : { password });
}

/** Turns MFA on with the first code; answers the recovery codes (once). */
export function confirmTotp(code: string): Promise<RecoveryCodes> {
  return api.post<RecoveryCodes>("/me/mfa/totp/confirm", { code });
}

/** What an MFA-gated action sends, and the signal to give up with (the dialog's Cancel). */
export interface CodeActionVariables {
  input: CodeWithReauth;
  signal?: AbortSignal;
}

/** Turns MFA off. */
export function disableTotp({ input, signal }: CodeActionVariables): Promise<void> {
  return api.delete<void>("/me/mfa/totp", input, signal ? { signal } : {});
}

/** Replaces the recovery codes (the old ones stop working). */
export function regenerateRecoveryCodes({ input, signal }: CodeActionVariables): Promise<RecoveryCodes> {
  return api.post<RecoveryCodes>("/me/mfa/recovery-codes", input, signal ? { signal } : {});
}

/** Refreshes the person and the MFA status after any change (the session token rotated too). */
function useRefreshMe() {
  const queryClient = useQueryClient();
  return () => queryClient.invalidateQueries({ queryKey: ME_QUERY_KEY });
}

/** Setup mutation (no cache change: nothing is active until confirmed). */
export function useStartTotpSetup() {
  return useMutation({ mutationFn: startTotpSetup });
}

/** Confirm mutation. */
export function useConfirmTotp() {
  const refresh = useRefreshMe();
  return useMutation({ mutationFn: confirmTotp, onSuccess: refresh });
}

/** Disable mutation. */
export function useDisableTotp() {
  const refresh = useRefreshMe();
  return useMutation({ mutationFn: disableTotp, onSuccess: refresh });
}

/** Regenerate mutation. */
export function useRegenerateRecoveryCodes() {
  const refresh = useRefreshMe();
  return useMutation({ mutationFn: regenerateRecoveryCodes, onSuccess: refresh });
}
