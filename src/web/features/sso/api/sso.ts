import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import type { ConnectedAppListDto, StepUpInput } from "@contracts/sso";
import { api } from "../../../lib/api-client";
import { ApiError } from "../../../lib/api-error";
import { getCsrfToken } from "../../../lib/csrf";

export const APPS_QUERY_KEY = ["me", "apps"] as const;

/** `GET /api/v1/me/apps`: the apps the person signed in to through Profile Center. */
export function useConnectedApps() {
  return useQuery({ queryKey: APPS_QUERY_KEY, queryFn: ({ signal }) => api.get<ConnectedAppListDto>("/me/apps", { signal }) });
}

/** `DELETE /api/v1/me/apps/{clientId}`. */
export function useDisconnectApp() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (clientId: string) => api.delete<void>(`/me/apps/${encodeURIComponent(clientId)}`),
    onSettled: () => queryClient.invalidateQueries({ queryKey: APPS_QUERY_KEY }),
  });
}

/** `POST /api/v1/sso/step-up`: the code step an app asked for. */
export function stepUp(input: StepUpInput): Promise<void> {
  return api.post<void>("/sso/step-up", input);
}

/** `POST /api/v1/auth/reauthenticate`: password (and code where MFA is on) again. */
export function reauthenticate(input: { password: string; code?: string | undefined }): Promise<void> {
  return api.post<void>("/auth/reauthenticate", input);
}

/**
 * Cancels the sign-in an app asked for (`POST <interaction>/cancel`, a server path outside the
 * API, where the interaction's cookie is sent); resolves to where the browser goes: the app,
 * told `access_denied`.
 */
export async function cancelSignIn(interactionPath: string): Promise<string> {
  const response = await fetch(`${interactionPath}/cancel`, {
    method: "POST",
    headers: { Accept: "application/json", "X-CSRF-Token": await getCsrfToken() },
    credentials: "same-origin",
    cache: "no-store",
  });
  if (!response.ok)
    throw new ApiError({ status: response.status, code: "invalid_token", message: "This sign-in request has expired." });
  return ((await response.json()) as { redirectTo: string }).redirectTo;
}
