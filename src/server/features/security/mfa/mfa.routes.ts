import type { FastifyPluginAsync, FastifyReply } from "fastify";
import type { ZodTypeProvider } from "fastify-type-provider-zod";
import * as z from "zod";
import { authenticatedResponseSchema, loginMfaSchema } from "../../../../contracts/auth.js";
import { LIMITS } from "../../../../contracts/limits.js";
import type { UserDto } from "../../../../contracts/me.js";
import {
  codeBodySchema,
  mfaCodeActionSchema,
  mfaStatusSchema,
  recoveryCodesResponseSchema,
  totpSetupResponseSchema,
  totpSetupSchema,
} from "../../../../contracts/security.js";
import { AppError, commonErrors } from "../../../errors.js";
import { requestMeta, requireAuth } from "../../../http/auth-guard.js";
import { setSessionCookie } from "../../../http/cookies.js";
import type { RecentAuth } from "../../auth/recent-auth.js";
import type { Clock } from "../../../lib/clock.js";
import type { SignInFacts } from "../../sessions/session-insights.service.js";
import { mfaErrors } from "./mfa.errors.js";
import { presentMfaStatus } from "./mfa.presenters.js";
import type { MfaService } from "./mfa.service.js";
import type { MeAuth } from "../../profile/profile.presenters.js";

export interface MfaRoutesDeps {
  mfa: MfaService;
  recentAuth: RecentAuth;
  clock: Clock;
  secure: boolean;
  /** Absolute lifetime of a full session (the cookie of a completed sign-in lives as long). */
  sessionMaxMs: number;
  presentMe: (me: MeAuth) => Promise<UserDto>;
  onSignIn?: (facts: SignInFacts) => Promise<void>;
}

/** Authenticator-app MFA (`/me/mfa/*`) and the code step of sign-in (`/auth/login/mfa`). */
export function createMfaRoutes(deps: MfaRoutesDeps): FastifyPluginAsync {
  const { mfa, recentAuth, clock, secure } = deps;

  function setCookie(reply: FastifyReply, token: string, expiresAt: number): void {
    setSessionCookie(reply, token, { secure, sessionMaxAgeSeconds: Math.max(1, Math.ceil((expiresAt - clock.now()) / 1000)) });
  }

  return async (instance) => {
    const app = instance.withTypeProvider<ZodTypeProvider>();

    /** `GET /me/mfa` → 200 status; 401. */
    app.get(
      "/me/mfa",
      { schema: { tags: ["security"], summary: "Two-factor authentication status", response: { 200: mfaStatusSchema } } },
      async (request) => presentMfaStatus(await mfa.getStatus(requireAuth(request).user.id)),
    );

    /** `POST /me/mfa/totp/setup` → 200 {secret, otpauthUri, qrCodeSvg}; 401 reauthentication_required | invalid_password; 409 mfa_already_enabled; 429. */
    app.post(
      "/me/mfa/totp/setup",
      {
        bodyLimit: LIMITS.authBodyBytes,
        schema: {
          tags: ["security"],
          summary: "Start authenticator-app setup (needs a recent sign-in)",
          body: totpSetupSchema,
          response: { 200: totpSetupResponseSchema },
        },
      },
      async (request) => {
        const auth = requireAuth(request);
        if (auth.totpEnabled) throw mfaErrors.alreadyEnabled();
        await recentAuth.requireRecentAuth(auth, request.body ?? {}, requestMeta(request));
        return mfa.startTotpSetup(auth);
      },
    );

    /** `POST /me/mfa/totp/confirm` → 200 {recoveryCodes} + rotated cookie; 400 invalid_code; 409 mfa_already_enabled | conflict; 429. */
    app.post(
      "/me/mfa/totp/confirm",
      {
        bodyLimit: LIMITS.authBodyBytes,
        schema: {
          tags: ["security"],
          summary: "Turn MFA on with a first code; returns the recovery codes once",
          body: codeBodySchema,
          response: { 200: recoveryCodesResponseSchema },
        },
      },
      async (request, reply) => {
        const auth = requireAuth(request);
        const result = await mfa.confirmTotp(auth, request.body.code, requestMeta(request));
        setCookie(reply, result.token, auth.session.expiresAt);
        return { recoveryCodes: result.recoveryCodes };
      },
    );

    /** `DELETE /me/mfa/totp` → 204 + rotated cookie; 400 invalid_code; 401 reauthentication_required | invalid_password; 409 mfa_not_enabled | mfa_required_by_account; 429. */
    app.delete(
      "/me/mfa/totp",
      {
        bodyLimit: LIMITS.authBodyBytes,
        schema: {
          tags: ["security"],
          summary: "Turn MFA off (a current code)",
          body: mfaCodeActionSchema,
          response: { 204: z.null() },
        },
      },
      async (request, reply) => {
        const auth = requireAuth(request);
        const meta = requestMeta(request);
        await mfa.assertCanDisable(auth);
        const proof = await recentAuth.requireRecentAuth(auth, request.body, meta);
        const codeChecked = proof.via === "credentials" && proof.secondFactor !== undefined;
        const token = await mfa.disableTotp(auth, request.body.code, meta, { codeChecked });
        setCookie(reply, token, auth.session.expiresAt);
        return reply.status(204).send(null);
      },
    );

    /** `POST /me/mfa/recovery-codes` → 200 {recoveryCodes}; 400 invalid_code; 401 reauthentication_required | invalid_password; 409 mfa_not_enabled; 429. */
    app.post(
      "/me/mfa/recovery-codes",
      {
        bodyLimit: LIMITS.authBodyBytes,
        schema: {
          tags: ["security"],
          summary: "Replace the recovery codes (a current code); the old ones stop working",
          body: mfaCodeActionSchema,
          response: { 200: recoveryCodesResponseSchema },
        },
      },
      async (request) => {
        const auth = requireAuth(request);
        const meta = requestMeta(request);
        if (!auth.totpEnabled) throw mfaErrors.notEnabled();
        const proof = await recentAuth.requireRecentAuth(auth, request.body, meta);
        const codeChecked = proof.via === "credentials" && proof.secondFactor !== undefined;
        return { recoveryCodes: await mfa.regenerateRecoveryCodes(auth, request.body.code, meta, { codeChecked }) };
      },
    );

    /** `POST /auth/login/mfa` (pending session) → 200 {status, user, recoveryCodesLeft?} + new cookie; 400; 401 invalid_code | unauthenticated; 409 conflict; 429. */
    app.post(
      "/auth/login/mfa",
      {
        bodyLimit: LIMITS.authBodyBytes,
        config: { auth: "pending" },
        schema: {
          tags: ["auth"],
          summary: "Sign-in code step: a 6-digit code or a recovery code",
          body: loginMfaSchema,
          response: { 200: authenticatedResponseSchema },
        },
      },
      async (request, reply) => {
        const auth = request.auth;
        if (!auth) throw commonErrors.unauthenticated();
        if (!auth.session.mfaPending) throw new AppError("conflict", { message: "This session is already signed in." });
        const meta = requestMeta(request);
        const result = await mfa.completeMfaLogin(auth, request.body.code, meta);
        setCookie(reply, result.token, clock.now() + deps.sessionMaxMs);
        await deps.onSignIn?.({ userId: auth.user.id, sessionId: auth.session.id, ip: meta.ip, userAgent: meta.userAgent });
        const user = await deps.presentMe({ user: auth.user, mfaEnabled: true });
        return {
          status: "authenticated" as const,
          user,
          ...(result.recoveryCodesLeft !== undefined ? { recoveryCodesLeft: result.recoveryCodesLeft } : {}),
        };
      },
    );
  };
}
