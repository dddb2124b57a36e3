import type { FastifyPluginAsync } from "fastify";
import type { ZodTypeProvider } from "fastify-type-provider-zod";
import * as z from "zod";
import { LIMITS } from "../../../../contracts/limits.js";
import { changePasswordSchema } from "../../../../contracts/security.js";
import { requestMeta, requireAuth } from "../../../http/auth-guard.js";
import { setSessionCookie } from "../../../http/cookies.js";
import type { Clock } from "../../../lib/clock.js";
import type { PasswordService } from "./password.service.js";

/** `POST /me/password`. */
export function createPasswordRoutes(deps: { password: PasswordService; clock: Clock; secure: boolean }): FastifyPluginAsync {
  const { password, clock, secure } = deps;
  return async (instance) => {
    const app = instance.withTypeProvider<ZodTypeProvider>();

    /** `POST /me/password` → 204 + rotated cookie; 400 weak_password | validation_failed | invalid_code; 401 invalid_password | reauthentication_required; 403; 413; 429. */
    app.post(
      "/me/password",
      {
        bodyLimit: LIMITS.authBodyBytes,
        schema: {
          tags: ["security"],
          summary: "Change the password (the current one is required)",
          body: changePasswordSchema,
          response: { 204: z.null() },
        },
      },
      async (request, reply) => {
        const auth = requireAuth(request);
        const { token } = await password.changePassword(auth, request.body, requestMeta(request));
        const maxAge = Math.max(1, Math.ceil((auth.session.expiresAt - clock.now()) / 1000));
        setSessionCookie(reply, token, { secure, sessionMaxAgeSeconds: maxAge });
        return reply.status(204).send(null);
      },
    );
  };
}
