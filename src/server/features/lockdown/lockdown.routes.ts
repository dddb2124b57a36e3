import type { FastifyPluginAsync } from "fastify";
import type { ZodTypeProvider } from "fastify-type-provider-zod";
import * as z from "zod";
import { lockdownConfirmSchema, lockdownPreviewSchema, lockdownQuerySchema } from "../../../contracts/lockdown.js";
import { LIMITS } from "../../../contracts/limits.js";
import { requestMeta } from "../../http/auth-guard.js";
import type { LockdownService } from "./lockdown.service.js";

/** "This wasn't me": both public (the person may be signed out, and may no longer know the password). */
export function createLockdownRoutes(deps: { lockdown: LockdownService }): FastifyPluginAsync {
  const { lockdown } = deps;
  return async (instance) => {
    const app = instance.withTypeProvider<ZodTypeProvider>();

    /** `GET /auth/lockdown?token=` → 200 {email, actions, expiresAt}; 400 invalid_token | validation_failed. */
    app.get(
      "/auth/lockdown",
      {
        config: { auth: "public" },
        schema: {
          tags: ["auth"],
          summary: 'What confirming a "This wasn\'t me" link will do (changes nothing)',
          querystring: lockdownQuerySchema,
          response: { 200: lockdownPreviewSchema },
        },
      },
      async (request) => lockdown.previewLockdown(request.query.token, requestMeta(request)),
    );

    /** `POST /auth/lockdown {token}` → 204; 400 invalid_token | validation_failed; 403 csrf_failed; 413. */
    app.post(
      "/auth/lockdown",
      {
        bodyLimit: LIMITS.authBodyBytes,
        config: { auth: "public" },
        schema: {
          tags: ["auth"],
          summary: "Secure the account: end every session and app token, require a new password",
          body: lockdownConfirmSchema,
          response: { 204: z.null() },
        },
      },
      async (request, reply) => {
        await lockdown.confirmLockdown(request.body.token, requestMeta(request));
        return reply.status(204).send(null);
      },
    );
  };
}
