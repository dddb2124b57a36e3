import type { FastifyPluginAsync } from "fastify";
import type { ZodTypeProvider } from "fastify-type-provider-zod";
import * as z from "zod";
import { LIMITS } from "../../../contracts/limits.js";
import {
  adminClientListSchema,
  adminClientSchema,
  adminClientSecretSchema,
  adminCreateClientSchema,
  adminCreatedClientSchema,
  adminUpdateClientSchema,
  clientParamsSchema,
  connectedAppListSchema,
  stepUpSchema,
} from "../../../contracts/sso.js";
import { requestMeta, requireAuth } from "../../http/auth-guard.js";
import { setSessionCookie } from "../../http/cookies.js";
import type { Clock } from "../../lib/clock.js";
import type { Sso } from "./sso.service.js";

export interface SsoApiRoutesDeps {
  sso: Pick<Sso, "clients" | "listApps" | "disconnectApp" | "stepUp">;
  clock: Clock;
  secure: boolean;
}

const admin = { auth: "admin" as const };
const adminDoc = { tags: ["admin"], security: [{ admin: [] }] };

/** Connected apps, the step-up code step, and the operator's client registry (`/api/v1`). */
export function createSsoApiRoutes(deps: SsoApiRoutesDeps): FastifyPluginAsync {
  const { sso, clock, secure } = deps;
  return async (instance) => {
    const app = instance.withTypeProvider<ZodTypeProvider>();

    app.get(
      "/me/apps",
      { schema: { tags: ["sso"], summary: "Apps signed in through Profile Center", response: { 200: connectedAppListSchema } } },
      async (request) => ({ items: await sso.listApps(requireAuth(request).user.id), nextCursor: null }),
    );

    app.delete(
      "/me/apps/:clientId",
      { schema: { tags: ["sso"], summary: "Disconnect an app", params: clientParamsSchema, response: { 204: z.null() } } },
      async (request, reply) => {
        await sso.disconnectApp(requireAuth(request), request.params.clientId, requestMeta(request));
        return reply.status(204).send(null);
      },
    );

    app.post(
      "/sso/step-up",
      {
        bodyLimit: LIMITS.authBodyBytes,
        schema: { tags: ["sso"], summary: "The code step an app asked for", body: stepUpSchema, response: { 204: z.null() } },
      },
      async (request, reply) => {
        const auth = requireAuth(request);
        const token = await sso.stepUp(auth, request.body.code, requestMeta(request));
        const maxAge = Math.max(1, Math.ceil((auth.session.expiresAt - clock.now()) / 1000));
        setSessionCookie(reply, token, { secure, sessionMaxAgeSeconds: maxAge });
        return reply.status(204).send(null);
      },
    );

    app.post(
      "/admin/clients",
      {
        config: admin,
        schema: {
          ...adminDoc,
          summary: "Register a client",
          body: adminCreateClientSchema,
          response: { 201: adminCreatedClientSchema },
        },
      },
      async (request, reply) => reply.status(201).send(await sso.clients.create(request.body)),
    );
    app.get(
      "/admin/clients",
      { config: admin, schema: { ...adminDoc, summary: "List clients", response: { 200: adminClientListSchema } } },
      async () => ({ items: await sso.clients.list(), nextCursor: null }),
    );
    app.get(
      "/admin/clients/:clientId",
      {
        config: admin,
        schema: { ...adminDoc, summary: "A client", params: clientParamsSchema, response: { 200: adminClientSchema } },
      },
      async (request) => sso.clients.get(request.params.clientId),
    );
    app.patch(
      "/admin/clients/:clientId",
      {
        config: admin,
        schema: {
          ...adminDoc,
          summary: "Change a client",
          params: clientParamsSchema,
          body: adminUpdateClientSchema,
          response: { 200: adminClientSchema },
        },
      },
      async (request) => sso.clients.update(request.params.clientId, request.body),
    );
    app.delete(
      "/admin/clients/:clientId",
      {
        config: admin,
        schema: {
          ...adminDoc,
          summary: "Delete a client (its grants and tokens too)",
          params: clientParamsSchema,
          response: { 204: z.null() },
        },
      },
      async (request, reply) => {
        await sso.clients.remove(request.params.clientId);
        return reply.status(204).send(null);
      },
    );
    app.post(
      "/admin/clients/:clientId/secret",
      {
        config: admin,
        schema: {
          ...adminDoc,
          summary: "A new client secret",
          params: clientParamsSchema,
          response: { 200: adminClientSecretSchema },
        },
      },
      async (request) => sso.clients.rotateSecret(request.params.clientId),
    );
  };
}
