import { keepPreviousData, useInfiniteQuery } from "@tanstack/react-query";
import type { EventsPage } from "@contracts/sessions";
import { API_BASE, api } from "../../../lib/api-client";

const PAGE_SIZE = 25;

/** One page of the person's security events (`GET /api/v1/me/events`). */
export function getEvents(types: readonly string[], cursor: string | null, signal?: AbortSignal): Promise<EventsPage> {
  const type = types.length > 0 ? types.join(",") : undefined;
  return api.get<EventsPage>("/me/events", { query: { limit: PAGE_SIZE, cursor, type }, ...(signal ? { signal } : {}) });
}

/**
 * The activity log, newest first, optionally filtered by event types. While another filter's
 * first page loads, the list on screen stays (marked busy) instead of blinking to a skeleton.
 */
export function useEvents(types: readonly string[]) {
  return useInfiniteQuery({
    queryKey: ["me", "events", types.join(",")],
    queryFn: ({ pageParam, signal }) => getEvents(types, pageParam, signal),
    initialPageParam: null as string | null,
    getNextPageParam: (last) => last.nextCursor,
    placeholderData: keepPreviousData,
  });
}

/** Link that downloads the whole (filtered) log as a file; the browser sends the session cookie. */
export function getEventsDownloadUrl(format: "csv" | "json", types: readonly string[]): string {
  const search = new URLSearchParams({ format });
  if (types.length > 0) search.set("type", types.join(","));
  return `${API_BASE}/me/events?${search.toString()}`;
}
