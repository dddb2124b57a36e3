import { ApiError, parseRetryAfter } from "./api-error";
import { getCsrfToken } from "./csrf";
import { buildLoginPath } from "./safe-next-path";

/** Prefix of every JSON API path. */
export const API_BASE = "/api/v1";

/** Query-string values; `undefined` and `null` entries are left out. */
export type QueryParams = Record<string, string | number | boolean | null | undefined>;

/** Options of {@link apiRequest}. */
export interface ApiRequestOptions {
  method?: "GET" | "POST" | "PATCH" | "PUT" | "DELETE";
  /** Sent as JSON (also on DELETE, which the contract uses with a body). */
  body?: unknown;
  query?: QueryParams;
  signal?: AbortSignal;
  /**
   * On 401 `unauthenticated`, send the person to `/login?next=…` (default: true, except for
   * `/auth/…` paths, whose 401s are the answer the form shows).
   */
  redirectOnUnauthenticated?: boolean;
}

type UnauthenticatedHandler = (loginPath: string) => void;

let handleUnauthenticated: UnauthenticatedHandler = (loginPath) => {
  window.location.assign(loginPath);
};

/**
 * Replaces what happens on a 401 `unauthenticated` (default: a full navigation to the
 * login page, which also drops every cached query). Returns a function restoring the old one.
 */
export function setUnauthenticatedHandler(handler: UnauthenticatedHandler): () => void {
  const previous = handleUnauthenticated;
  handleUnauthenticated = handler;
  return () => {
    handleUnauthenticated = previous;
  };
}

const UNSAFE_METHODS = new Set(["POST", "PATCH", "PUT", "DELETE"]);
const GENERIC_MESSAGE = "Something went wrong on our side.";

function buildUrl(path: string, query: QueryParams | undefined): string {
  if (!path.startsWith("/") || path.startsWith("//")) throw new Error(`API path must start with "/": ${path}`);
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(query ?? {})) {
    if (value !== undefined && value !== null) search.set(key, String(value));
  }
  const queryString = search.toString();
  return `${API_BASE}${path}${queryString ? `?${queryString}` : ""}`;
}

async function send(url: string, method: string, options: ApiRequestOptions, refreshCsrf: boolean): Promise<Response> {
  const headers: Record<string, string> = { Accept: "application/json" };
  if (options.body !== undefined) headers["Content-Type"] = "application/json";
  if (UNSAFE_METHODS.has(method)) headers["X-CSRF-Token"] = await getCsrfToken(refreshCsrf);
  const init: RequestInit = { method, headers, credentials: "same-origin", cache: "no-store" };
  if (options.body !== undefined) init.body = JSON.stringify(options.body);
  if (options.signal) init.signal = options.signal;
  return fetch(url, init);
}

async function readJson(response: Response): Promise<unknown> {
  const type = response.headers.get("content-type") ?? "";
  if (!type.includes("json")) return undefined;
  try {
    return await response.json();
  } catch {
    return undefined;
  }
}

/** Turns a non-2xx answer into an {@link ApiError}; a 5xx never carries the server's text. */
async function toApiError(response: Response): Promise<ApiError> {
  const body = await readJson(response);
  const retryAfterSeconds = parseRetryAfter(response.headers.get("retry-after"));
  const error = body && typeof body === "object" && "error" in body ? body.error : undefined;
  if (response.status >= 500 && response.status !== 501 && response.status !== 503) {
    return new ApiError({ status: response.status, code: "internal_error", message: GENERIC_MESSAGE, retryAfterSeconds });
  }
  if (error && typeof error === "object") {
    const { code, message, details } = error as { code?: unknown; message?: unknown; details?: unknown };
    return new ApiError({
      status: response.status,
      code: typeof code === "string" ? code : "unknown_error",
      message: typeof message === "string" ? message : `Request failed (${response.status})`,
      details: details && typeof details === "object" ? (details as Record<string, unknown>) : undefined,
      retryAfterSeconds,
    });
  }
  const code = response.status === 429 ? "rate_limited" : response.status >= 500 ? "internal_error" : "unknown_error";
  return new ApiError({ status: response.status, code, message: `Request failed (${response.status})`, retryAfterSeconds });
}

function currentPath(): string {
  return `${window.location.pathname}${window.location.search}${window.location.hash}`;
}

/**
 * Calls the JSON API. `path` is relative to `/api/v1` (e.g. `/me/sessions`). Sends cookies
 * (same-origin) and, on non-GET calls, the `X-CSRF-Token` header from the `pc_csrf` cookie
 * (fetching `/auth/csrf` first if there is none, and once more after a 403 `csrf_failed`).
 * Resolves with the parsed JSON body (undefined for 204); rejects with {@link ApiError}.
 */
export async function apiRequest<T>(path: string, options: ApiRequestOptions = {}): Promise<T> {
  const method = options.method ?? (options.body === undefined ? "GET" : "POST");
  const url = buildUrl(path, options.query);
  let response: Response;
  try {
    response = await send(url, method, options, false);
    if (response.status === 403 && UNSAFE_METHODS.has(method)) {
      const error = await toApiError(response.clone());
      if (error.code === "csrf_failed") response = await send(url, method, options, true);
    }
  } catch (cause) {
    if (cause instanceof DOMException && cause.name === "AbortError") throw cause;
    throw new ApiError({ status: 0, code: "network_error", message: "The server could not be reached." });
  }
  if (response.ok) return (await readJson(response)) as T;
  const error = await toApiError(response);
  const isAuthPath = path.startsWith("/auth/");
  if (error.status === 401 && error.code === "unauthenticated" && (options.redirectOnUnauthenticated ?? !isAuthPath)) {
    const ended = typeof error.details.reason === "string" ? error.details.reason : undefined;
    if (!window.location.pathname.startsWith("/login")) handleUnauthenticated(buildLoginPath(currentPath(), ended));
  }
  throw error;
}

/** Shorthands over {@link apiRequest}. */
export const api = {
  /** `GET /api/v1{path}`. */
  get: <T>(path: string, options: Omit<ApiRequestOptions, "method" | "body"> = {}) =>
    apiRequest<T>(path, { ...options, method: "GET" }),
  /** `POST /api/v1{path}` with a JSON body. */
  post: <T>(path: string, body?: unknown, options: Omit<ApiRequestOptions, "method" | "body"> = {}) =>
    apiRequest<T>(path, { ...options, method: "POST", body }),
  /** `PATCH /api/v1{path}` with a JSON body. */
  patch: <T>(path: string, body: unknown, options: Omit<ApiRequestOptions, "method" | "body"> = {}) =>
    apiRequest<T>(path, { ...options, method: "PATCH", body }),
  /** `DELETE /api/v1{path}`, with an optional JSON body. */
  delete: <T>(path: string, body?: unknown, options: Omit<ApiRequestOptions, "method" | "body"> = {}) =>
    apiRequest<T>(path, { ...options, method: "DELETE", body }),
};
