import type { FastifyPluginAsync } from "fastify";
import type { ZodTypeProvider } from "fastify-type-provider-zod";
import { eventsQuerySchema, eventsResponseSchema, type EventsPage } from "../../../contracts/sessions.js";
import { requireAuth } from "../../http/auth-guard.js";
import type { ActivityService } from "./activity.service.js";

/** The security activity log: `GET /me/events` (a page, or a CSV/JSON download). */
export function createActivityRoutes(deps: { activity: ActivityService }): FastifyPluginAsync {
  const { activity } = deps;
  return async (instance) => {
    const app = instance.withTypeProvider<ZodTypeProvider>();

    /**
     * `GET /me/events?type=a,b&limit&cursor` → 200 page, newest first; with `format=csv|json`
     * → 200 the whole (filtered) log as an attachment. 400 validation_failed; 401.
     */
    app.get(
      "/me/events",
      {
        schema: {
          tags: ["activity"],
          summary: "The person's security events, newest first; format=csv|json downloads them all",
          querystring: eventsQuerySchema,
          response: { 200: eventsResponseSchema },
        },
      },
      async (request, reply) => {
        const auth = requireAuth(request);
        const { format, type } = request.query;
        if (!format) return activity.listEvents(auth, request.query);
        const file = activity.exportEvents(auth, { format, type });
        reply.header("content-type", file.contentType).header("content-disposition", `attachment; filename="${file.filename}"`);
        // A stream is sent as is (Fastify serializes only objects); the page schema above is for JSON pages.
        return reply.send(file.body as unknown as EventsPage);
      },
    );
  };
}
