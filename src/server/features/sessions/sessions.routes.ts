import type { FastifyPluginAsync } from "fastify";
import type { ZodTypeProvider } from "fastify-type-provider-zod";
import * as z from "zod";
import {
  revokeOthersResponseSchema,
  revokeSessionBodySchema,
  sessionIdParamsSchema,
  sessionSchema,
  sessionsQuerySchema,
  sessionsResponseSchema,
} from "../../../contracts/sessions.js";
import { LIMITS } from "../../../contracts/limits.js";
import { requestMeta, requireAuth } from "../../http/auth-guard.js";
import { clearSessionCookie } from "../../http/cookies.js";
import type { SessionsService } from "./sessions.service.js";

export interface SessionsRoutesDeps {
  sessionsService: SessionsService;
  secure: boolean;
}

/** The Sessions section's API: `/me/sessions` (list, revoke one, revoke the others). */
export function createSessionsRoutes(deps: SessionsRoutesDeps): FastifyPluginAsync {
  const { sessionsService, secure } = deps;
  return async (instance) => {
    const app = instance.withTypeProvider<ZodTypeProvider>();

    /** `GET /me/sessions?status=active|ended` → 200 page; 400 validation_failed (bad cursor/limit); 401. */
    app.get(
      "/me/sessions",
      {
        schema: {
          tags: ["sessions"],
          summary: "The person's active sessions (current one flagged) or their history, newest first",
          querystring: sessionsQuerySchema,
          response: { 200: sessionsResponseSchema },
        },
      },
      async (request) => sessionsService.listSessions(requireAuth(request), request.query),
    );

    /** `GET /me/sessions/current` → 200 the session making this request; 401. */
    app.get(
      "/me/sessions/current",
      { schema: { tags: ["sessions"], summary: "The session making this request", response: { 200: sessionSchema } } },
      async (request) => sessionsService.presentCurrentSession(requireAuth(request)),
    );

    /**
     * `DELETE /me/sessions/{id}` → 204 (ending the current one also clears the cookie); 401
     * unauthenticated | reauthentication_required | invalid_password; 400 invalid_code; 403
     * csrf_failed; 404 not_found (not the caller's, unknown or already ended); 429.
     */
    app.delete(
      "/me/sessions/:id",
      {
        bodyLimit: LIMITS.authBodyBytes,
        schema: {
          tags: ["sessions"],
          summary: "End one of the person's sessions (needs a recent sign-in)",
          params: sessionIdParamsSchema,
          body: revokeSessionBodySchema,
          response: { 204: z.null() },
        },
      },
      async (request, reply) => {
        const auth = requireAuth(request);
        const result = await sessionsService.revokeSession(auth, request.params.id, request.body ?? {}, requestMeta(request));
        if (result.endedCurrent) clearSessionCookie(reply, { secure, sessionMaxAgeSeconds: 0 });
        return reply.status(204).send(null);
      },
    );

    /**
     * `POST /me/sessions/revoke-others` → 200 `{revoked}`; 401 unauthenticated |
     * reauthentication_required | invalid_password; 400 invalid_code; 403 csrf_failed; 429.
     */
    app.post(
      "/me/sessions/revoke-others",
      {
        bodyLimit: LIMITS.authBodyBytes,
        schema: {
          tags: ["sessions"],
          summary: "Sign out everywhere else (needs a recent sign-in)",
          body: revokeSessionBodySchema,
          response: { 200: revokeOthersResponseSchema },
        },
      },
      async (request) => sessionsService.revokeOtherSessions(requireAuth(request), request.body ?? {}, requestMeta(request)),
    );
  };
}
