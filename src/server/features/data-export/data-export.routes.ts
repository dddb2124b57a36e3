import type { FastifyPluginAsync } from "fastify";
import type { ZodTypeProvider } from "fastify-type-provider-zod";
import { exportDocumentSchema } from "../../../contracts/data-export.js";
import { requestMeta, requireAuth } from "../../http/auth-guard.js";
import type { DataExportService } from "./data-export.service.js";

/** "Download my data": `GET /me/export`. */
export function createDataExportRoutes(deps: { dataExport: DataExportService }): FastifyPluginAsync {
  const { dataExport } = deps;
  return async (instance) => {
    const app = instance.withTypeProvider<ZodTypeProvider>();

    /** `GET /me/export` → 200 JSON attachment; 401 unauthenticated | reauthentication_required. */
    app.get(
      "/me/export",
      {
        schema: {
          tags: ["me"],
          summary: "Everything held about the person, as a JSON download (needs a recent sign-in)",
          response: { 200: exportDocumentSchema },
        },
      },
      async (request, reply) => {
        const auth = requireAuth(request);
        const document = await dataExport.exportMyData(auth, requestMeta(request));
        const day = document.exportedAt.slice(0, 10);
        return reply
          .header("content-disposition", `attachment; filename="profile-center-data-${auth.user.id}-${day}.json"`)
          .header("cache-control", "no-store")
          .send(document);
      },
    );
  };
}
