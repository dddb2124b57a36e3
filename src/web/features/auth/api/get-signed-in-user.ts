import { useQuery, useQueryClient } from "@tanstack/react-query";
import type { UserDto } from "@contracts/me";
import { ME_QUERY_KEY, getMe } from "../../../lib/current-user";

/** Query key of the sign-in page's "already signed in?" check. */
export const SIGNED_IN_CHECK_QUERY_KEY = ["auth", "signed-in-check"] as const;

/**
 * Whether this browser already holds a full session: `GET /api/v1/me` without the usual
 * redirect on 401 (on the sign-in page a 401 is the expected answer, and a session still
 * waiting for its code also answers 401). On success the person is stored as the `me` query
 * too, so the page the visitor is sent on to renders at once. Checked afresh on every visit.
 */
export function useSignedInUser() {
  const queryClient = useQueryClient();
  return useQuery({
    queryKey: SIGNED_IN_CHECK_QUERY_KEY,
    queryFn: async ({ signal }): Promise<UserDto> => {
      const user = await getMe(signal, { redirectOnUnauthenticated: false });
      queryClient.setQueryData(ME_QUERY_KEY, user);
      return user;
    },
    retry: false,
    staleTime: 0,
    gcTime: 0,
    refetchOnWindowFocus: false,
  });
}
