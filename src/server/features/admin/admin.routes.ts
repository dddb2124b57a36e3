import type { FastifyInstance, FastifyPluginAsync, FastifyRequest } from "fastify";
import type { ZodTypeProvider } from "fastify-type-provider-zod";
import * as z from "zod";
import {
  accountParamsSchema,
  adminAccountDetailSchema,
  adminAccountListQuerySchema,
  adminAccountListSchema,
  adminAccountSchema,
  adminAddMemberResponseSchema,
  adminAddMemberSchema,
  adminCreateAccountSchema,
  adminCreateGroupSchema,
  adminCreateUserSchema,
  adminGroupSchema,
  adminMemberSchema,
  adminSetGroupsSchema,
  adminUpdateAccountSchema,
  memberParamsSchema,
} from "../../../contracts/admin.js";
import { userSchema, type UserDto } from "../../../contracts/me.js";
import { AppError } from "../../errors.js";
import { requestMeta } from "../../http/auth-guard.js";
import type { AccountsService, Actor } from "../accounts/accounts.service.js";
import { presentGroup } from "../accounts/accounts.presenters.js";
import type { MeAuth } from "../profile/profile.presenters.js";

export interface AdminRoutesDeps {
  accounts: AccountsService;
  presentMe: (me: MeAuth) => Promise<UserDto>;
}

/** The operator of an admin API call, for the audit trail. */
export function apiActor(request: FastifyRequest): Actor {
  return { via: "api", meta: requestMeta(request), requestId: request.id };
}

/**
 * Audits refused operator calls of the plugin's routes: 401 as `authz_fail`, any other failure as
 * a failed `admin_action` (with the request id).
 */
export function auditAdminFailures(
  app: FastifyInstance,
  accounts: Pick<AccountsService, "recordAdminFailure">,
  options: { idParam: "account" | "user" } = { idParam: "account" },
): void {
  app.addHook("onError", async (request, _reply, error) => {
    const status = error instanceof AppError ? error.status : ((error as { statusCode?: number }).statusCode ?? 500);
    const code = error instanceof AppError ? error.code : status === 400 ? "validation_failed" : "internal_error";
    const params = request.params as { id?: unknown } | undefined;
    const id = typeof params?.id === "string" ? params.id.slice(0, 32) : undefined;
    const accountId = options.idParam === "account" ? id : undefined;
    const targetUserId = options.idParam === "user" ? id : undefined;
    await accounts
      .recordAdminFailure(apiActor(request), `${request.method} ${request.routeOptions.url ?? ""}`, {
        status,
        code,
        ...(accountId ? { accountId } : {}),
        ...(targetUserId ? { targetUserId } : {}),
      })
      .catch(() => undefined);
  });
}

const admin = { auth: "admin" as const };
const tags = ["admin"];
const security = [{ admin: [] }];

/**
 * The operator API (`/admin/*`): bearer `ADMIN_TOKEN` only (the auth guard compares it in
 * constant time and answers 401 otherwise; session cookies do not count). Each call goes to the
 * same service the CLI uses, which records an `admin_action` event.
 */
export function createAdminRoutes(deps: AdminRoutesDeps): FastifyPluginAsync {
  const { accounts } = deps;
  return async (instance) => {
    const app = instance.withTypeProvider<ZodTypeProvider>();

    auditAdminFailures(app, accounts);

    /** `POST /admin/users` → 201 user; 400 validation_failed | weak_password; 401; 409 email_taken. */
    app.post(
      "/admin/users",
      {
        config: admin,
        schema: { tags, security, summary: "Create a user", body: adminCreateUserSchema, response: { 201: userSchema } },
      },
      async (request, reply) => {
        const user = await accounts.createUser(request.body, apiActor(request));
        return reply.status(201).send(await deps.presentMe({ user, mfaEnabled: false }));
      },
    );

    /** `GET /admin/accounts` → 200 page; 400; 401. */
    app.get(
      "/admin/accounts",
      {
        config: admin,
        schema: {
          tags,
          security,
          summary: "List accounts",
          querystring: adminAccountListQuerySchema,
          response: { 200: adminAccountListSchema },
        },
      },
      async (request) => accounts.listAccounts(request.query, apiActor(request)),
    );

    /** `POST /admin/accounts` → 201 account with its Administrators group; 400; 401. */
    app.post(
      "/admin/accounts",
      {
        config: admin,
        schema: {
          tags,
          security,
          summary: "Create an account",
          body: adminCreateAccountSchema,
          response: { 201: adminAccountSchema },
        },
      },
      async (request, reply) => reply.status(201).send(await accounts.createAccount(request.body, apiActor(request))),
    );

    /** `GET /admin/accounts/{id}` → 200 with groups, members, pending invitations; 401; 404. */
    app.get(
      "/admin/accounts/:id",
      {
        config: admin,
        schema: {
          tags,
          security,
          summary: "Read an account",
          params: accountParamsSchema,
          response: { 200: adminAccountDetailSchema },
        },
      },
      async (request) => accounts.getAccount(request.params.id, apiActor(request)),
    );

    /** `PATCH /admin/accounts/{id}` → 200; 400; 401; 404. A stricter MFA policy applies at each session's next request. */
    app.patch(
      "/admin/accounts/:id",
      {
        config: admin,
        schema: {
          tags,
          security,
          summary: "Rename an account or change its MFA policy",
          params: accountParamsSchema,
          body: adminUpdateAccountSchema,
          response: { 200: adminAccountSchema },
        },
      },
      async (request) => accounts.updateAccount(request.params.id, request.body, apiActor(request)),
    );

    /** `POST /admin/accounts/{id}/groups` → 201 group; 400; 401; 404; 409 conflict (name taken). */
    app.post(
      "/admin/accounts/:id/groups",
      {
        config: admin,
        schema: {
          tags,
          security,
          summary: "Create a group in an account",
          params: accountParamsSchema,
          body: adminCreateGroupSchema,
          response: { 201: adminGroupSchema },
        },
      },
      async (request, reply) => {
        const group = await accounts.createGroup(request.params.id, request.body.name, apiActor(request));
        return reply.status(201).send(presentGroup(group));
      },
    );

    /** `POST /admin/accounts/{id}/members` → 201 added | invited; 400 (groups of another account); 401; 404; 409 conflict (already a member). */
    app.post(
      "/admin/accounts/:id/members",
      {
        config: admin,
        schema: {
          tags,
          security,
          summary: "Add a member (an unknown email is invited)",
          params: accountParamsSchema,
          body: adminAddMemberSchema,
          response: { 201: adminAddMemberResponseSchema },
        },
      },
      async (request, reply) =>
        reply.status(201).send(await accounts.addMember(request.params.id, request.body, apiActor(request))),
    );

    /** `PUT /admin/accounts/{id}/members/{userId}/groups` → 200 member; 400; 401; 404; 409 sole_admin. */
    app.put(
      "/admin/accounts/:id/members/:userId/groups",
      {
        config: admin,
        schema: {
          tags,
          security,
          summary: "Replace a member's groups",
          params: memberParamsSchema,
          body: adminSetGroupsSchema,
          response: { 200: adminMemberSchema },
        },
      },
      async (request) =>
        accounts.setMemberGroups(request.params.id, request.params.userId, request.body.groupIds, apiActor(request)),
    );

    /** `DELETE /admin/accounts/{id}/members/{userId}` → 204; 401; 404; 409 sole_admin. */
    app.delete(
      "/admin/accounts/:id/members/:userId",
      {
        config: admin,
        schema: { tags, security, summary: "Remove a member", params: memberParamsSchema, response: { 204: z.null() } },
      },
      async (request, reply) => {
        await accounts.removeMember(request.params.id, request.params.userId, apiActor(request));
        return reply.status(204).send(null);
      },
    );
  };
}
