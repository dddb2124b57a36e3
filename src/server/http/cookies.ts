import type { FastifyReply, FastifyRequest } from "fastify";

/** Cookie names: `__Host-` prefixed (and Secure) when the public URL is https (D1, D2). */
export function cookieNames(secure: boolean) {
  return secure ? { session: "__Host-pc_session", csrf: "__Host-pc_csrf" } : { session: "pc_session", csrf: "pc_csrf" };
}

export interface CookieSettings {
  secure: boolean;
  /** Session cookie lifetime in seconds (the absolute session lifetime). */
  sessionMaxAgeSeconds: number;
}

/** Sets the session cookie: HttpOnly, SameSite=Lax, Path=/, no Domain (D2–D4). */
export function setSessionCookie(reply: FastifyReply, token: string, settings: CookieSettings): void {
  reply.setCookie(cookieNames(settings.secure).session, token, {
    httpOnly: true,
    sameSite: "lax",
    path: "/",
    secure: settings.secure,
    maxAge: settings.sessionMaxAgeSeconds,
  });
}

/** Clears the session cookie (Max-Age=0, C4). */
export function clearSessionCookie(reply: FastifyReply, settings: CookieSettings): void {
  reply.setCookie(cookieNames(settings.secure).session, "", {
    httpOnly: true,
    sameSite: "lax",
    path: "/",
    secure: settings.secure,
    maxAge: 0,
  });
}

/** The session token the request carries, if any. */
export function readSessionToken(request: FastifyRequest, secure: boolean): string | undefined {
  const value = request.cookies[cookieNames(secure).session];
  return value ? value : undefined;
}

/**
 * The cookie that binds a passkey sign-in challenge to the browser that asked for it before any
 * session exists: random, HttpOnly, SameSite=Strict, as long-lived as a challenge.
 */
export function passkeyBrowserCookieName(secure: boolean): string {
  return secure ? "__Host-pc_passkey" : "pc_passkey";
}

export function setPasskeyBrowserCookie(
  reply: FastifyReply,
  value: string,
  settings: { secure: boolean; maxAgeSeconds: number },
): void {
  reply.setCookie(passkeyBrowserCookieName(settings.secure), value, {
    httpOnly: true,
    sameSite: "strict",
    path: "/",
    secure: settings.secure,
    maxAge: settings.maxAgeSeconds,
  });
}
