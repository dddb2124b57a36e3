import type { FastifyPluginAsync } from "fastify";
import type { ZodTypeProvider } from "fastify-type-provider-zod";
import * as z from "zod";
import { LIMITS } from "../../../../contracts/limits.js";
import { deleteMeSchema, deletionCheckSchema } from "../../../../contracts/security.js";
import { requestMeta, requireAuth } from "../../../http/auth-guard.js";
import { clearSessionCookie } from "../../../http/cookies.js";
import type { DeletionService } from "./deletion.service.js";

/** `GET /me/deletion` and `DELETE /me`. */
export function createDeletionRoutes(deps: { deletion: DeletionService; secure: boolean }): FastifyPluginAsync {
  const { deletion, secure } = deps;
  return async (instance) => {
    const app = instance.withTypeProvider<ZodTypeProvider>();

    /** `GET /me/deletion` → 200 {soleAdminOf}; 401. */
    app.get(
      "/me/deletion",
      {
        schema: {
          tags: ["security"],
          summary: "What would refuse deleting my account now (accounts I am the only administrator of)",
          response: { 200: deletionCheckSchema },
        },
      },
      async (request) => deletion.checkDeletion(requireAuth(request)),
    );

    /** `DELETE /me` → 204 + Clear-Site-Data + cleared cookie; 400 validation_failed | invalid_code; 401 invalid_password | reauthentication_required; 403; 409 sole_admin; 413; 429. */
    app.delete(
      "/me",
      {
        bodyLimit: LIMITS.authBodyBytes,
        schema: {
          tags: ["security"],
          summary: "Delete my login permanently (password, a code when MFA is on, and the email typed to confirm)",
          body: deleteMeSchema,
          response: { 204: z.null() },
        },
      },
      async (request, reply) => {
        await deletion.deleteMe(requireAuth(request), request.body, requestMeta(request));
        clearSessionCookie(reply, { secure, sessionMaxAgeSeconds: 0 });
        // The browser drops this site's cache, cookies and storage (W3C Clear Site Data; J3).
        reply.header("clear-site-data", '"cache", "cookies", "storage"');
        return reply.status(204).send(null);
      },
    );
  };
}
