import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from "fastify";
import type { ZodTypeProvider } from "fastify-type-provider-zod";
import * as z from "zod";
import { authenticatedResponseSchema } from "../../../contracts/auth.js";
import { LIMITS } from "../../../contracts/limits.js";
import {
  addPasskeySchema,
  passkeyIdParamsSchema,
  passkeyListSchema,
  passkeyRegistrationOptionsBodySchema,
  passkeySchema,
  passkeySignInSchema,
  renamePasskeySchema,
  webauthnOptionsSchema,
} from "../../../contracts/passkeys.js";
import { requestMeta, requireAuth } from "../../http/auth-guard.js";
import { passkeyBrowserCookieName, setPasskeyBrowserCookie, setSessionCookie } from "../../http/cookies.js";
import type { Clock } from "../../lib/clock.js";
import { hashToken, newToken } from "../../lib/crypto/hash-token.js";
import type { RecentAuth } from "../auth/recent-auth.js";
import type { PasskeySignInService } from "./passkey-sign-in.service.js";
import { sessionBinding, type PasskeysService } from "./passkeys.service.js";
import { CHALLENGE_TTL_MS } from "./relying-party.js";

export interface PasskeysRoutesDeps {
  passkeys: PasskeysService;
  passkeySignIn: PasskeySignInService;
  recentAuth: RecentAuth;
  clock: Clock;
  secure: boolean;
  /** The demo workspace's person (DEMO on), who is invited to try a passkey; null otherwise. */
  demoEmail: string | null;
}

/** Passkeys: the person's list and registration (`/me/passkeys*`), and signing in with one (`/auth/passkey*`). */
export function createPasskeysRoutes(deps: PasskeysRoutesDeps): FastifyPluginAsync {
  const { passkeys, passkeySignIn, recentAuth, clock, secure } = deps;

  function setCookie(reply: FastifyReply, token: string, expiresAt: number): void {
    setSessionCookie(reply, token, { secure, sessionMaxAgeSeconds: Math.max(1, Math.ceil((expiresAt - clock.now()) / 1000)) });
  }

  /**
   * The browser a sign-in challenge is bound to: its session (pending or full) when it has one,
   * else its pre-session cookie (made here when `create`, else undefined without one).
   */
  function browserBinding(request: FastifyRequest, reply: FastifyReply, create: boolean): string | undefined {
    if (request.auth) return sessionBinding(request.auth.session.id);
    let value = request.cookies[passkeyBrowserCookieName(secure)];
    if (!value || value.length < 20 || value.length > 100) {
      if (!create) return undefined;
      value = newToken();
    }
    if (create) setPasskeyBrowserCookie(reply, value, { secure, maxAgeSeconds: CHALLENGE_TTL_MS / 1000 });
    return `cookie:${hashToken(value)}`;
  }

  return async (instance) => {
    const app = instance.withTypeProvider<ZodTypeProvider>();

    /** `GET /me/passkeys` → 200 list; 401. */
    app.get(
      "/me/passkeys",
      { schema: { tags: ["passkeys"], summary: "Your passkeys", response: { 200: passkeyListSchema } } },
      async (request) => {
        const auth = requireAuth(request);
        const items = await passkeys.list(auth.user.id);
        return { items, nextCursor: null, tryPasskeyHint: items.length === 0 && auth.user.email === deps.demoEmail };
      },
    );

    /** `POST /me/passkeys/registration/options` → 200 creation options; 401 reauthentication_required | invalid_password; 409; 429. */
    app.post(
      "/me/passkeys/registration/options",
      {
        bodyLimit: LIMITS.authBodyBytes,
        schema: {
          tags: ["passkeys"],
          summary: "Start adding a passkey (needs a recent sign-in)",
          body: passkeyRegistrationOptionsBodySchema,
          response: { 200: webauthnOptionsSchema },
        },
      },
      async (request) => {
        const auth = requireAuth(request);
        await recentAuth.requireRecentAuth(auth, request.body ?? {}, requestMeta(request));
        return { ...(await passkeys.registrationOptions(auth)) };
      },
    );

    /** `POST /me/passkeys` → 201 the passkey + rotated cookie; 400 invalid_passkey | validation_failed; 409. */
    app.post(
      "/me/passkeys",
      {
        bodyLimit: LIMITS.passkeyBodyBytes,
        schema: {
          tags: ["passkeys"],
          summary: "Add a passkey: the browser's response to the registration options",
          body: addPasskeySchema,
          response: { 201: passkeySchema },
        },
      },
      async (request, reply) => {
        const auth = requireAuth(request);
        const { passkey, token } = await passkeys.register(auth, request.body, requestMeta(request));
        setCookie(reply, token, auth.session.expiresAt);
        return reply.status(201).send(passkey);
      },
    );

    /** `PATCH /me/passkeys/{id}` → 200 the passkey; 400; 404. */
    app.patch(
      "/me/passkeys/:id",
      {
        schema: {
          tags: ["passkeys"],
          summary: "Rename a passkey",
          params: passkeyIdParamsSchema,
          body: renamePasskeySchema,
          response: { 200: passkeySchema },
        },
      },
      async (request) => passkeys.rename(requireAuth(request), request.params.id, request.body.name, requestMeta(request)),
    );

    /** `DELETE /me/passkeys/{id}` → 204 (sensitive); 401 reauthentication_required; 404; 409 mfa_required_by_account. */
    app.delete(
      "/me/passkeys/:id",
      {
        bodyLimit: LIMITS.authBodyBytes,
        schema: {
          tags: ["passkeys"],
          summary: "Remove a passkey (needs a recent sign-in)",
          params: passkeyIdParamsSchema,
          response: { 204: z.null() },
        },
      },
      async (request, reply) => {
        const auth = requireAuth(request);
        const meta = requestMeta(request);
        await recentAuth.requireRecentAuth(auth, {}, meta);
        const token = await passkeys.remove(auth, request.params.id, meta);
        if (token) setCookie(reply, token, auth.session.expiresAt);
        return reply.status(204).send(null);
      },
    );

    /** `POST /auth/passkey/options` → 200 request options (discoverable credential, user verification required). */
    app.post(
      "/auth/passkey/options",
      {
        bodyLimit: LIMITS.authBodyBytes,
        config: { auth: "public" },
        schema: {
          tags: ["auth"],
          summary: "Options to sign in (or confirm it's you) with a passkey",
          response: { 200: webauthnOptionsSchema },
        },
      },
      async (request, reply) => {
        const binding = browserBinding(request, reply, true)!;
        return { ...(await passkeySignIn.authenticationOptions(binding, request.auth)) };
      },
    );

    /** `POST /auth/passkey` → 200 authenticated + new cookie; 400; 401 invalid_credentials; 429. */
    app.post(
      "/auth/passkey",
      {
        bodyLimit: LIMITS.passkeyBodyBytes,
        config: { auth: "public" },
        schema: {
          tags: ["auth"],
          summary: "Sign in with a passkey (or finish signing in with one after the password)",
          body: passkeySignInSchema,
          response: { 200: authenticatedResponseSchema },
        },
      },
      async (request, reply) => {
        const meta = requestMeta(request);
        const binding = browserBinding(request, reply, false) ?? "cookie:none";
        const result = await passkeySignIn.signIn(request.auth, binding, request.body.response, meta);
        setCookie(reply, result.token, result.session.expiresAt);
        return { status: "authenticated" as const, user: result.user };
      },
    );
  };
}
