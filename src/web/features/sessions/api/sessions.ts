import { useInfiniteQuery, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import type { RevokeSessionBody, SessionDto, SessionsPage } from "@contracts/sessions";
import { api } from "../../../lib/api-client";

/** Which list of the Sessions page. */
export type SessionStatus = "active" | "ended";

/** Page size of the Sessions lists ("Load more" fetches the next one). */
const PAGE_SIZE = 20;

/** Query key of every sessions list (both tabs). */
export const SESSIONS_QUERY_KEY = ["me", "sessions"] as const;

/** One page of the person's sessions (`GET /api/v1/me/sessions`). */
export function getSessions(status: SessionStatus, cursor: string | null, signal?: AbortSignal): Promise<SessionsPage> {
  return api.get<SessionsPage>("/me/sessions", { query: { status, limit: PAGE_SIZE, cursor }, ...(signal ? { signal } : {}) });
}

/** The active sessions or the history, page after page. */
export function useSessions(status: SessionStatus) {
  return useInfiniteQuery({
    queryKey: [...SESSIONS_QUERY_KEY, status],
    queryFn: ({ pageParam, signal }) => getSessions(status, pageParam, signal),
    initialPageParam: null as string | null,
    getNextPageParam: (last) => last.nextCursor,
  });
}

/** Credentials a revocation may carry when the server asks to confirm it's the person. */
export type ReauthInput = NonNullable<RevokeSessionBody>;

/** Ends one session (`DELETE /api/v1/me/sessions/{id}`). */
export function revokeSession(id: string, credentials?: ReauthInput, signal?: AbortSignal): Promise<void> {
  return api.delete<void>(`/me/sessions/${encodeURIComponent(id)}`, credentials, signal ? { signal } : {});
}

/** Ends every other session (`POST /api/v1/me/sessions/revoke-others`). */
export function revokeOtherSessions(credentials?: ReauthInput, signal?: AbortSignal): Promise<{ revoked: number }> {
  return api.post<{ revoked: number }>("/me/sessions/revoke-others", credentials, signal ? { signal } : {});
}

/** What a revocation sends: the credentials the server asked for, and the signal to give up with. */
interface RevokeVariables {
  credentials?: ReauthInput | undefined;
  signal?: AbortSignal;
}

/** Mutations of the Sessions page; both lists refresh after any of them. */
export function useRevokeSession() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ id, credentials, signal }: RevokeVariables & { id: string }) => revokeSession(id, credentials, signal),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: SESSIONS_QUERY_KEY }),
  });
}

/** "Sign out everywhere else". */
export function useRevokeOtherSessions() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ credentials, signal }: RevokeVariables) => revokeOtherSessions(credentials, signal),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: SESSIONS_QUERY_KEY }),
  });
}

/** The session of this browser (`GET /api/v1/me/sessions/current`). */
export function getCurrentSession(signal?: AbortSignal): Promise<SessionDto> {
  return api.get<SessionDto>("/me/sessions/current", signal ? { signal } : {});
}

/** The "this device" card. */
export function useCurrentSession() {
  return useQuery({ queryKey: [...SESSIONS_QUERY_KEY, "current"], queryFn: ({ signal }) => getCurrentSession(signal) });
}
