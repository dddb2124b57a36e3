import { useQuery, useQueryClient } from "@tanstack/react-query";
import type * as z from "zod";
import type { PublicKeyCredentialCreationOptionsJSON } from "@simplewebauthn/browser";
import type { passkeyListSchema, PasskeyDto } from "@contracts/passkeys";
import { api } from "../../../lib/api-client";
import { ME_QUERY_KEY } from "../../../lib/current-user";
import { createPasskey } from "../../../lib/passkeys";

/** `GET /api/v1/me/passkeys`. */
export type PasskeyList = z.infer<typeof passkeyListSchema>;
export type Passkey = PasskeyDto;

/** Query key of the passkeys (under `me`, so a change to the person refreshes it too). */
export const PASSKEYS_QUERY_KEY = [...ME_QUERY_KEY, "passkeys"] as const;

/** The person's passkeys. */
export function usePasskeys() {
  return useQuery({
    queryKey: PASSKEYS_QUERY_KEY,
    queryFn: ({ signal }) => api.get<PasskeyList>("/me/passkeys", { signal }),
  });
}

/** What a sensitive passkey call may carry after "confirm it's you". */
export interface ReauthInput {
  password?: string;
  code?: string;
}

/**
 * Adds a passkey: creation options (a sensitive call: the password and code go along when the
 * dialog asked for them), the browser and authenticator make the passkey, the server checks
 * and stores it.
 */
export async function addPasskey(reauth: ReauthInput, signal?: AbortSignal): Promise<Passkey> {
  const body = reauth.password === undefined ? {} : reauth;
  const options = await api.post<PublicKeyCredentialCreationOptionsJSON>(
    "/me/passkeys/registration/options",
    body,
    signal ? { signal } : {},
  );
  const response = await createPasskey(options);
  return api.post<Passkey>("/me/passkeys", { response }, signal ? { signal } : {});
}

export function renamePasskey(id: string, name: string): Promise<Passkey> {
  return api.patch<Passkey>(`/me/passkeys/${encodeURIComponent(id)}`, { name });
}

/** Removes a passkey (sensitive: a session that signed in a while ago confirms it's the person first). */
export async function removePasskey(id: string, reauth: ReauthInput, signal?: AbortSignal): Promise<void> {
  if (reauth.password !== undefined) await api.post<void>("/auth/reauthenticate", reauth, signal ? { signal } : {});
  await api.delete<void>(`/me/passkeys/${encodeURIComponent(id)}`, undefined, signal ? { signal } : {});
}

/** Refreshes the person, their MFA status and passkeys after a change (the session token may have rotated too). */
export function useRefreshPasskeys() {
  const queryClient = useQueryClient();
  return () => queryClient.invalidateQueries({ queryKey: ME_QUERY_KEY });
}
