import type { FastifyPluginAsync, FastifyReply } from "fastify";
import type { ZodTypeProvider } from "fastify-type-provider-zod";
import * as z from "zod";
import { loginResponseSchema, loginSchema, reauthenticateSchema } from "../../../contracts/auth.js";
import { LIMITS } from "../../../contracts/limits.js";
import type { Clock } from "../../lib/clock.js";
import { requestMeta, requireAuth } from "../../http/auth-guard.js";
import { clearSessionCookie, setSessionCookie } from "../../http/cookies.js";
import { presentSignIn } from "./auth.presenters.js";
import type { AuthService } from "./auth.service.js";

export interface AuthRoutesDeps {
  auth: AuthService;
  clock: Clock;
  secure: boolean;
}

/** Sign-in, sign-out and re-authentication (`/auth/*`). Bodies are capped before any hashing (H6). */
export function createAuthRoutes(deps: AuthRoutesDeps): FastifyPluginAsync {
  const { auth, clock, secure } = deps;

  /** The cookie lives as long as the session may: until its absolute (or pending) expiry. */
  function setCookie(reply: FastifyReply, token: string, expiresAt: number): void {
    setSessionCookie(reply, token, { secure, sessionMaxAgeSeconds: Math.max(1, Math.ceil((expiresAt - clock.now()) / 1000)) });
  }

  return async (instance) => {
    const app = instance.withTypeProvider<ZodTypeProvider>();

    /** `POST /auth/login` → 200 authenticated | mfa_required; 400; 401 invalid_credentials; 403 csrf_failed; 413; 429. */
    app.post(
      "/auth/login",
      {
        bodyLimit: LIMITS.authBodyBytes,
        config: { auth: "public" },
        schema: {
          tags: ["auth"],
          summary: "Sign in with email and password",
          body: loginSchema,
          response: { 200: loginResponseSchema },
        },
      },
      async (request, reply) => {
        const result = await auth.signIn(request.body, request.auth?.session.id ?? null, requestMeta(request));
        setCookie(reply, result.token, result.session.expiresAt);
        return presentSignIn(result);
      },
    );

    /** `POST /auth/logout` → 204 (with or without a session; the cookie is cleared); 403 csrf_failed. */
    app.post(
      "/auth/logout",
      {
        bodyLimit: LIMITS.authBodyBytes,
        config: { auth: "public" },
        schema: { tags: ["auth"], summary: "Sign out (ends this session)", response: { 204: z.null() } },
      },
      async (request, reply) => {
        await auth.signOut(request.auth, requestMeta(request));
        clearSessionCookie(reply, { secure, sessionMaxAgeSeconds: 0 });
        return reply.status(204).send(null);
      },
    );

    /** `POST /auth/reauthenticate` → 204 + rotated cookie; 401 unauthenticated | invalid_password | invalid_code | reauthentication_required; 403; 413; 429. */
    app.post(
      "/auth/reauthenticate",
      {
        bodyLimit: LIMITS.passkeyBodyBytes,
        schema: {
          tags: ["auth"],
          summary: "Confirm it's you (password, plus a code when MFA is on; or a passkey)",
          body: reauthenticateSchema,
          response: { 204: z.null() },
        },
      },
      async (request, reply) => {
        const current = requireAuth(request);
        const token = await auth.reauthenticate(current, request.body, requestMeta(request));
        setCookie(reply, token, current.session.expiresAt);
        return reply.status(204).send(null);
      },
    );
  };
}
