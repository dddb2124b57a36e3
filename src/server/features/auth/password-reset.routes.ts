import type { FastifyPluginAsync } from "fastify";
import type { ZodTypeProvider } from "fastify-type-provider-zod";
import * as z from "zod";
import {
  passwordResetCheckQuerySchema,
  passwordResetCheckSchema,
  passwordResetConfirmSchema,
  passwordResetRequestedSchema,
  passwordResetSchema,
} from "../../../contracts/auth.js";
import { LIMITS } from "../../../contracts/limits.js";
import { requestMeta } from "../../http/auth-guard.js";
import type { PasswordResetService } from "./password-reset.service.js";

/** Forgotten password: ask for a link, then set a new password with it (both public). */
export function createPasswordResetRoutes(deps: { passwordReset: PasswordResetService }): FastifyPluginAsync {
  const { passwordReset } = deps;
  return async (instance) => {
    const app = instance.withTypeProvider<ZodTypeProvider>();

    /** `POST /auth/password-reset` → 202 always (no enumeration); 400 validation_failed; 403 csrf_failed; 413. */
    app.post(
      "/auth/password-reset",
      {
        bodyLimit: LIMITS.authBodyBytes,
        config: { auth: "public" },
        schema: {
          tags: ["auth"],
          summary: "Send a password-reset link to this address (if it has a login)",
          body: passwordResetSchema,
          response: { 202: passwordResetRequestedSchema },
        },
      },
      async (request, reply) => {
        await passwordReset.requestReset(request.body.email, requestMeta(request));
        return reply.status(202).send({ status: "accepted" as const });
      },
    );

    /** `GET /auth/password-reset/check?token=` → 200 {email, firstName, lastName}; 400 invalid_token | validation_failed. */
    app.get(
      "/auth/password-reset/check",
      {
        config: { auth: "public" },
        schema: {
          tags: ["auth"],
          summary: "Whether a reset link can still be used (without using it)",
          querystring: passwordResetCheckQuerySchema,
          response: { 200: passwordResetCheckSchema },
        },
      },
      async (request) => passwordReset.checkResetToken(request.query.token),
    );

    /** `POST /auth/password-reset/confirm` → 204; 400 invalid_token | weak_password | validation_failed; 403; 413. */
    app.post(
      "/auth/password-reset/confirm",
      {
        bodyLimit: LIMITS.authBodyBytes,
        config: { auth: "public" },
        schema: {
          tags: ["auth"],
          summary: "Set a new password with the link's token (ends every session)",
          body: passwordResetConfirmSchema,
          response: { 204: z.null() },
        },
      },
      async (request, reply) => {
        await passwordReset.confirmReset(request.body.token, request.body.newPassword, requestMeta(request));
        return reply.status(204).send(null);
      },
    );
  };
}
