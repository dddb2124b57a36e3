import type { FastifyPluginAsync } from "fastify";
import type { ZodTypeProvider } from "fastify-type-provider-zod";
import * as z from "zod";

/** `/healthz` (process up) and `/readyz` (database takes writes, else 503). */
export function createHealthRoutes(deps: { writable: () => Promise<boolean> }): FastifyPluginAsync {
  return async (app) => {
    const r = app.withTypeProvider<ZodTypeProvider>();
    r.get(
      "/healthz",
      { config: { auth: "public" }, schema: { tags: ["service"], response: { 200: z.object({ status: z.literal("ok") }) } } },
      async () => ({ status: "ok" as const }),
    );
    /**
     * 200 when the database takes a write; 503 otherwise (unreachable, full, read-only, locked),
     * with Retry-After, so a load balancer sends no traffic to a node that could only fail it.
     */
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
        if (await deps.writable()) return { status: "ready" as const };
        return reply
          .status(503)
          .header("retry-after", "5")
          .send({ status: "unavailable" as const });
      },
    );
  };
}
