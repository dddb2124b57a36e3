import type { FastifyPluginAsync } from "fastify";
import type { ZodTypeProvider } from "fastify-type-provider-zod";
import * as z from "zod";

/** `/healthz` (process up) and `/readyz` (database reachable, else 503). */
export function createHealthRoutes(deps: { ping: () => Promise<boolean> }): FastifyPluginAsync {
  return async (app) => {
    const r = app.withTypeProvider<ZodTypeProvider>();
    r.get(
      "/healthz",
      { config: { auth: "public" }, schema: { tags: ["service"], response: { 200: z.object({ status: z.literal("ok") }) } } },
      async () => ({ status: "ok" as const }),
    );
    /** 200 when the database answers; 503 otherwise. */
    r.get(
      "/readyz",
      {
        config: { auth: "public" },
        schema: {
          tags: ["service"],
          response: { 200: z.object({ status: z.literal("ready") }), 503: z.object({ status: z.literal("unavailable") }) },
        },
      },
      async (_request, reply) => {
        if (await deps.ping()) return { status: "ready" as const };
        return reply.status(503).send({ status: "unavailable" as const });
      },
    );
  };
}
