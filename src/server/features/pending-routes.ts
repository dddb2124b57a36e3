import type { FastifyPluginAsync } from "fastify";
import { commonErrors } from "../errors.js";
import type { RouteAuth } from "../http/auth-guard.js";

/**
 * Contract paths whose feature has not landed yet: they are listed in the OpenAPI document and
 * answer 501 `not_implemented`. A feature that lands removes its lines here.
 */
const PENDING: Array<{ method: "GET" | "POST" | "PATCH" | "DELETE"; url: string; auth: RouteAuth; tag: string }> = [];

export const pendingRoutes: FastifyPluginAsync = async (app) => {
  for (const route of PENDING) {
    app.route({
      method: route.method,
      url: route.url,
      config: { auth: route.auth },
      schema: { tags: [route.tag], summary: "Not implemented yet (501)" },
      handler: async () => {
        throw commonErrors.notImplemented();
      },
    });
  }
};
