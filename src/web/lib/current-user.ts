import { queryOptions, useQuery } from "@tanstack/react-query";
import type { UserDto } from "@contracts/me";
import { api } from "./api-client";

/** Query key of `GET /api/v1/me`; every page that shows the person reads this one query. */
export const ME_QUERY_KEY = ["me"] as const;

/**
 * Fetches the signed-in person (`GET /api/v1/me`). A 401 sends the browser to the login page
 * unless `redirectOnUnauthenticated` is false (the sign-in pages' own "already signed in?" check).
 */
export function getMe(signal?: AbortSignal, options: { redirectOnUnauthenticated?: boolean } = {}): Promise<UserDto> {
  return api.get<UserDto>("/me", { ...options, ...(signal ? { signal } : {}) });
}

/** Query options for the signed-in person, shared by the shell, the formatters and pages. */
export const meQueryOptions = queryOptions({
  queryKey: ME_QUERY_KEY,
  queryFn: ({ signal }) => getMe(signal),
  staleTime: 60_000,
  retry: false,
});

/** The signed-in person (`GET /api/v1/me`); a 401 sends the browser to the login page. */
export function useMe() {
  return useQuery(meQueryOptions);
}

/** `Ada Lovelace`, or the email when both names are empty. */
export function getDisplayName(user: Pick<UserDto, "firstName" | "lastName" | "email">): string {
  const name = `${user.firstName} ${user.lastName}`.trim();
  return name || user.email;
}
