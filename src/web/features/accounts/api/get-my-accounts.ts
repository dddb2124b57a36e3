import { infiniteQueryOptions, keepPreviousData, queryOptions, useInfiniteQuery, useQuery } from "@tanstack/react-query";
import type { AccountType, MyAccountsResponse } from "@contracts/accounts";
import { api } from "../../../lib/api-client";

/** Query key prefix of the person's accounts (every list and the switcher). */
export const MY_ACCOUNTS_QUERY_KEY = ["me", "accounts"] as const;

/** Filters of the Accounts page. */
export interface MyAccountsFilters {
  /** Part of a name or ID. */
  q: string;
  type: AccountType | "";
}

/** Fetches one page of the person's accounts (`GET /api/v1/me/accounts`). */
export function getMyAccounts(
  params: { limit?: number; cursor?: string | null; q?: string; type?: AccountType | "" } = {},
  signal?: AbortSignal,
): Promise<MyAccountsResponse> {
  return api.get<MyAccountsResponse>("/me/accounts", {
    query: {
      limit: params.limit ?? 100,
      cursor: params.cursor ?? undefined,
      q: params.q || undefined,
      type: params.type || undefined,
    },
    ...(signal ? { signal } : {}),
  });
}

/** The first 100 accounts, for the top-bar switcher (also carries the session's notice). */
export const myAccountsQueryOptions = queryOptions({
  queryKey: [...MY_ACCOUNTS_QUERY_KEY, "switcher"],
  queryFn: ({ signal }) => getMyAccounts({ limit: 100 }, signal),
});

/** The accounts the signed-in person belongs to (first 100), for the switcher. */
export function useMyAccounts() {
  return useQuery(myAccountsQueryOptions);
}

/** Page size of the Accounts page. */
export const ACCOUNTS_PAGE_SIZE = 20;

/**
 * The Accounts page's list: filtered, searched, one page at a time ("Show more"). While a new
 * search loads, the list on screen stays (marked busy) instead of blinking to a skeleton.
 */
export function useMyAccountsPages(filters: MyAccountsFilters) {
  return useInfiniteQuery(
    infiniteQueryOptions({
      queryKey: [...MY_ACCOUNTS_QUERY_KEY, "pages", filters],
      queryFn: ({ pageParam, signal }) => getMyAccounts({ limit: ACCOUNTS_PAGE_SIZE, cursor: pageParam, ...filters }, signal),
      initialPageParam: null as string | null,
      getNextPageParam: (last) => last.nextCursor,
      placeholderData: keepPreviousData,
    }),
  );
}
