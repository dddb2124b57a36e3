import type { FastifyPluginAsync } from "fastify";
import type { ZodTypeProvider } from "fastify-type-provider-zod";
import * as z from "zod";
import {
  adminRevokeSessionsResponseSchema,
  adminUpdateUserResponseSchema,
  adminUpdateUserSchema,
  adminUserDetailSchema,
  adminUserListQuerySchema,
  adminUserListSchema,
  userParamsSchema,
} from "../../../contracts/admin-users.js";
import type { AccountsService } from "../accounts/accounts.service.js";
import { apiActor, auditAdminFailures } from "../admin/admin.routes.js";
import type { PeopleService } from "./people.service.js";

export interface PeopleRoutesDeps {
  people: PeopleService;
  /** Where refused operator calls are audited (the accounts feature's `recordAdminFailure`). */
  accounts: Pick<AccountsService, "recordAdminFailure">;
}

const admin = { auth: "admin" as const };
const tags = ["admin"];
const security = [{ admin: [] }];

/** The operator API for people (`/admin/users…` but creation, which is in admin.routes.ts); bearer `ADMIN_TOKEN`. */
export function createPeopleRoutes(deps: PeopleRoutesDeps): FastifyPluginAsync {
  const { people } = deps;
  return async (instance) => {
    const app = instance.withTypeProvider<ZodTypeProvider>();
    auditAdminFailures(app, deps.accounts, { idParam: "user" });

    /** `GET /admin/users?q=&status=` → 200 page by email; 400 (bad status, cursor); 401. */
    app.get(
      "/admin/users",
      {
        config: admin,
        schema: {
          tags,
          security,
          summary: "List and search people",
          querystring: adminUserListQuerySchema,
          response: { 200: adminUserListSchema },
        },
      },
      async (request) => people.listPeople(request.query, apiActor(request)),
    );

    /** `GET /admin/users/{id}` → 200 with memberships, MFA state, active sessions; 401; 404. */
    app.get(
      "/admin/users/:id",
      {
        config: admin,
        schema: {
          tags,
          security,
          summary: "Read a person",
          params: userParamsSchema,
          response: { 200: adminUserDetailSchema },
        },
      },
      async (request) => people.getPerson(request.params.id, apiActor(request)),
    );

    /** `PATCH /admin/users/{id}` → 200; 400; 401; 404. Disabling ends every session and refuses sign-in. */
    app.patch(
      "/admin/users/:id",
      {
        config: admin,
        schema: {
          tags,
          security,
          summary: "Rename, disable or enable a person",
          params: userParamsSchema,
          body: adminUpdateUserSchema,
          response: { 200: adminUpdateUserResponseSchema },
        },
      },
      async (request) => people.updatePerson(request.params.id, request.body, apiActor(request)),
    );

    /** `POST /admin/users/{id}/mfa/reset` → 204; 401; 404. The lost-phone case. */
    app.post(
      "/admin/users/:id/mfa/reset",
      {
        config: admin,
        schema: {
          tags,
          security,
          summary: "Reset a person's MFA (authenticator, recovery codes, passkeys) and end every session",
          params: userParamsSchema,
          response: { 204: z.null() },
        },
      },
      async (request, reply) => {
        await people.resetMfa(request.params.id, apiActor(request));
        return reply.status(204).send(null);
      },
    );

    /** `POST /admin/users/{id}/sessions/revoke` → 200 `{revoked}`; 401; 404. */
    app.post(
      "/admin/users/:id/sessions/revoke",
      {
        config: admin,
        schema: {
          tags,
          security,
          summary: "End every session of a person",
          params: userParamsSchema,
          response: { 200: adminRevokeSessionsResponseSchema },
        },
      },
      async (request) => ({ revoked: await people.revokeSessions(request.params.id, apiActor(request)) }),
    );

    /** `DELETE /admin/users/{id}` → 204; 401; 404; 409 sole_admin. */
    app.delete(
      "/admin/users/:id",
      {
        config: admin,
        schema: { tags, security, summary: "Delete a person", params: userParamsSchema, response: { 204: z.null() } },
      },
      async (request, reply) => {
        await people.deletePerson(request.params.id, apiActor(request));
        return reply.status(204).send(null);
      },
    );
  };
}
