const CSRF_PATH = "/api/v1/auth/csrf";

let pendingToken: Promise<string> | undefined;

/** Reads one cookie by exact name from `document.cookie`. */
function readCookie(name: string): string | undefined {
  if (typeof document === "undefined") return undefined;
  for (const pair of document.cookie.split(";")) {
    const index = pair.indexOf("=");
    if (index < 0) continue;
    if (pair.slice(0, index).trim() === name) return decodeURIComponent(pair.slice(index + 1).trim());
  }
  return undefined;
}

/**
 * The CSRF cookie's name: `__Host-pc_csrf` when the page is served over https
 * (the server then adds the `__Host-` prefix), else `pc_csrf` (api-contract "CSRF").
 */
export function getCsrfCookieName(): string {
  return typeof location !== "undefined" && location.protocol === "https:" ? "__Host-pc_csrf" : "pc_csrf";
}

/** The token from the CSRF cookie, if the browser already holds one. */
export function readCsrfCookie(): string | undefined {
  return readCookie(getCsrfCookieName()) ?? readCookie("pc_csrf") ?? readCookie("__Host-pc_csrf");
}

/**
 * A CSRF token for the `X-CSRF-Token` header: the cookie's value, or (when there is no
 * cookie yet, or `refresh` is set after a 403 `csrf_failed`) a fresh one from
 * `GET /api/v1/auth/csrf`, which also sets the cookie. Concurrent callers share one fetch.
 */
export async function getCsrfToken(refresh = false): Promise<string> {
  if (!refresh) {
    const fromCookie = readCsrfCookie();
    if (fromCookie) return fromCookie;
  }
  pendingToken ??= fetchCsrfToken().finally(() => {
    pendingToken = undefined;
  });
  return pendingToken;
}

async function fetchCsrfToken(): Promise<string> {
  const response = await fetch(CSRF_PATH, {
    credentials: "same-origin",
    headers: { Accept: "application/json" },
  });
  if (!response.ok) throw new Error(`CSRF token request failed with ${response.status}`);
  const body: unknown = await response.json();
  if (body && typeof body === "object" && "csrfToken" in body && typeof body.csrfToken === "string") {
    return body.csrfToken;
  }
  throw new Error("CSRF token response had no csrfToken");
}
