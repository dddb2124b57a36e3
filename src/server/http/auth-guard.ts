import type { FastifyInstance, FastifyRequest } from "fastify";
import { AppError, commonErrors } from "../errors.js";
import { constantTimeEqual } from "../lib/crypto/hash-token.js";
import { clientIp } from "./client-ip.js";
import type { EndReason } from "../../contracts/sessions.js";
import type { AuthContext, RequestMeta } from "../request-context.js";
import { cookieNames, readSessionToken } from "./cookies.js";

/**
 * Who may call a route (route `config.auth`), default-deny:
 * - `user` (default): a fully signed-in session;
 * - `pending`: also a session still waiting for its MFA code step (login/mfa, logout);
 * - `public`: anyone (the session is still loaded when present);
 * - `admin`: the operator bearer token (exempt from CSRF);
 * - `oauth`: the OpenID Provider's endpoints, which follow their own specs: clients authenticate
 *   at the token endpoints and the provider's forms protect themselves (no session, no CSRF here).
 */
export type RouteAuth = "user" | "pending" | "public" | "admin" | "oauth";

declare module "fastify" {
  interface FastifyContextConfig {
    auth?: RouteAuth;
  }
  interface FastifyRequest {
    /** The caller's session, when the request carries a valid one. */
    auth: AuthContext | null;
  }
}

/** A refused CSRF check, as the guard reports it to the audit trail. */
export interface CsrfFailure {
  userId: string | null;
  reason: string;
  route: string | undefined;
  method: string;
  meta: RequestMeta;
}

export interface AuthGuardOptions {
  /** The session behind a cookie token when it is valid now (the session engine), else undefined. */
  validateSessionToken(token: string): Promise<AuthContext | undefined>;
  /** Why a token that opens no session stopped working, when its session ended (else undefined). */
  endReasonOf(token: string): Promise<EndReason | undefined>;
  /** Records a refused CSRF check as a security event (`malicious_csrf`). */
  recordCsrfFailure(failure: CsrfFailure): Promise<void>;
  adminToken: string;
  secure: boolean;
  /** Origins counted as the service's own for the CSRF Origin check. */
  ownOrigins: ReadonlySet<string>;
  /**
   * Runs for every request that carries a fully signed-in session, before anything else sees it:
   * moves the session out of an active account whose MFA policy it no longer meets (G3, see
   * features/accounts/my-accounts.service.ts). True when it did; the answer then says why.
   */
  enforceActiveAccountPolicy?: (auth: AuthContext, meta: RequestMeta) => Promise<boolean>;
}

const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);

/** Request metadata for events: IP (proxy-aware per TRUST_PROXY) and user agent. */
export function requestMeta(request: FastifyRequest): RequestMeta {
  const ua = request.headers["user-agent"];
  return {
    ip: clientIp(request),
    userAgent: typeof ua === "string" ? ua.slice(0, 512) : null,
    sessionId: request.auth?.session.id ?? null,
    requestId: request.id,
  };
}

/** The signed-in caller; throws 401 for routes that forgot their guard (defence in depth). */
export function requireAuth(request: FastifyRequest): AuthContext {
  if (!request.auth || request.auth.session.mfaPending) throw commonErrors.unauthenticated();
  return request.auth;
}

/** Loads the session, enforces the route's `auth` policy and the CSRF rules on every unsafe method. */
export function registerAuthGuard(app: FastifyInstance, options: AuthGuardOptions): void {
  const names = cookieNames(options.secure);
  app.decorateRequest("auth", null);

  app.addHook("onRequest", async (request, reply) => {
    // Read once: Fastify builds a new `routeOptions` object on every access (this runs on every request).
    const { config, url } = request.routeOptions;
    if (url === undefined) return; // 404s are answered by the not-found handler
    // Default-deny for the API; static files of the web app (registered by @fastify/static) are public.
    const policy: RouteAuth = config?.auth ?? (url.startsWith("/api/") ? "user" : "public");

    if (policy === "oauth") return;
    if (policy === "admin") {
      const header = request.headers.authorization ?? "";
      const match = /^Bearer (.+)$/.exec(header);
      if (!match || !constantTimeEqual(match[1]!, options.adminToken)) {
        // RFC 6750 §3: a 401 of a bearer-protected resource says which scheme it wants.
        reply.header(
          "www-authenticate",
          match ? 'Bearer realm="profile-center-admin", error="invalid_token"' : 'Bearer realm="profile-center-admin"',
        );
        throw new AppError("unauthenticated", { message: "A valid operator token is required (Authorization: Bearer …)." });
      }
      return;
    }

    const token = readSessionToken(request, options.secure);
    if (token) request.auth = (await options.validateSessionToken(token)) ?? null;
    if (request.auth && !request.auth.session.mfaPending && options.enforceActiveAccountPolicy) {
      if (await options.enforceActiveAccountPolicy(request.auth, requestMeta(request)))
        reply.header("x-account-notice", "account_policy_enforced");
    }

    if (!SAFE_METHODS.has(request.method)) await checkCsrf(request);

    if (policy === "public") return;
    if (!request.auth) {
      // A session that ended says why (revoked, signed out everywhere else…): the device tells its person.
      const reason = token ? await options.endReasonOf(token) : undefined;
      if (!reason) throw commonErrors.unauthenticated();
      throw new AppError("unauthenticated", { message: "This session has ended. Sign in again.", details: { reason } });
    }
    if (request.auth.session.mfaPending && policy !== "pending") {
      throw new AppError("unauthenticated", {
        message: "Finish signing in with your authentication code first.",
        details: { mfaRequired: true },
      });
    }
  });

  async function checkCsrf(request: FastifyRequest): Promise<void> {
    const origin = request.headers.origin;
    const site = request.headers["sec-fetch-site"];
    const headerToken = request.headers["x-csrf-token"];
    const cookieToken = request.cookies[names.csrf];
    let reason: string | undefined;
    if (origin !== undefined && !options.ownOrigins.has(origin)) reason = "foreign origin";
    else if (site === "cross-site") reason = "cross-site request";
    else if (typeof headerToken !== "string" || !cookieToken || headerToken.length < 16) reason = "missing token";
    else if (!constantTimeEqual(headerToken, cookieToken)) reason = "token mismatch";
    if (!reason) return;
    await options.recordCsrfFailure({
      userId: request.auth?.user.id ?? null,
      reason,
      route: request.routeOptions.url,
      method: request.method,
      meta: requestMeta(request),
    });
    throw new AppError("csrf_failed", {
      message: "The request failed its cross-site request forgery check. Reload the page and try again.",
    });
  }
}

/** The origins that count as the service's own (contract: PUBLIC_URL's, else the loopback origins of the port). */
export function ownOriginsOf(publicUrl: string, explicit: boolean, port: number): Set<string> {
  const origins = new Set([new URL(publicUrl).origin]);
  if (!explicit) for (const host of ["localhost", "127.0.0.1", "[::1]"]) origins.add(`http://${host}:${port}`);
  return origins;
}
