import type { FastifyPluginAsync } from "fastify";
import type { ZodTypeProvider } from "fastify-type-provider-zod";
import { checkupResponseSchema } from "../../../contracts/checkup.js";
import { requireAuth } from "../../http/auth-guard.js";
import type { CheckupService } from "./checkup.service.js";

/** The security checkup: `GET /me/checkup`. */
export function createCheckupRoutes(deps: { checkup: CheckupService }): FastifyPluginAsync {
  const { checkup } = deps;
  return async (instance) => {
    const app = instance.withTypeProvider<ZodTypeProvider>();

    /** `GET /me/checkup` → 200 {items}; 401. */
    app.get(
      "/me/checkup",
      {
        schema: {
          tags: ["security"],
          summary: "The security checkup: each item ok, warning or action, with the page that fixes it",
          response: { 200: checkupResponseSchema },
        },
      },
      async (request) => checkup.runCheckup(requireAuth(request)),
    );
  };
}
