function hasControlCharacter(value: string): boolean {
  for (let index = 0; index < value.length; index += 1) {
    const code = value.charCodeAt(index);
    if (code < 0x20 || code === 0x7f) return true;
  }
  return false;
}

/** Where a signed-in person lands when no (valid) `next` is given. */
export const DEFAULT_AFTER_LOGIN = "/profile/general";

/**
 * Returns `value` when it is a same-origin path (`/profile/sessions?x=1`), else undefined.
 * Refuses protocol-relative (`//evil.test`), backslash tricks (`/\evil.test`, which browsers
 * read as `//`), absolute URLs and control characters, so `?next=` cannot become an open
 * redirect (OWASP Unvalidated Redirects cheat sheet).
 */
export function getSafeNextPath(value: string | null | undefined): string | undefined {
  if (!value || value.length > 2048) return undefined;
  if (!value.startsWith("/") || value.startsWith("//") || value.startsWith("/\\")) return undefined;
  if (hasControlCharacter(value) || value.includes("\\") || /%(?:[01][0-9a-f]|7f)/i.test(value)) return undefined;
  try {
    const base = "https://profile-center.invalid";
    const url = new URL(value, base);
    if (url.origin !== base) return undefined;
    return `${url.pathname}${url.search}${url.hash}`;
  } catch {
    return undefined;
  }
}

/**
 * Builds `/login?next=<path>` for the current (or given) location; `ended` (why the session
 * ended, from the server's 401) lets the sign-in page say why the person is there.
 */
export function buildLoginPath(next: string | undefined, ended?: string): string {
  const safe = getSafeNextPath(next);
  const search = new URLSearchParams();
  if (safe && safe !== "/" && !safe.startsWith("/login")) search.set("next", safe);
  if (ended && /^[a-z_]{1,32}$/.test(ended)) search.set("ended", ended);
  const query = search.toString();
  return query ? `/login?${query}` : "/login";
}

/**
 * True for a `next` the server answers rather than this app: the single sign-on interaction
 * (`/oidc/interaction/<uid>`), which takes the browser back to the app that asked. Such a path
 * is left with a full page load.
 */
export function isServerPath(path: string | undefined): path is string {
  return path !== undefined && /^\/oidc\/interaction\/[\w-]+$/.test(path);
}
