import type { FastifyPluginAsync } from "fastify";
import type { ZodTypeProvider } from "fastify-type-provider-zod";
import * as z from "zod";
import {
  acceptInvitationResponseSchema,
  activeAccountResponseSchema,
  activeAccountSchema,
  invitationPreviewQuerySchema,
  invitationPreviewSchema,
  myAccountsQuerySchema,
  myAccountsResponseSchema,
} from "../../../contracts/accounts.js";
import { acceptInvitationSchema } from "../../../contracts/auth.js";
import { LIMITS } from "../../../contracts/limits.js";
import type { UserDto } from "../../../contracts/me.js";
import { requestMeta, requireAuth } from "../../http/auth-guard.js";
import { setSessionCookie } from "../../http/cookies.js";
import { presentInvitationPreview } from "./accounts.presenters.js";
import type { AccountsService } from "./accounts.service.js";
import type { MeAuth } from "../profile/profile.presenters.js";

export interface AccountsRoutesDeps {
  accounts: AccountsService;
  /** The user JSON of the contract (the General feature's presenter). */
  presentMe: (me: MeAuth) => Promise<UserDto>;
  secure: boolean;
  sessionMaxAgeSeconds: number;
}

/** The person's accounts (`/me/accounts`, `/me/active-account`) and invitation acceptance. */
export function createAccountsRoutes(deps: AccountsRoutesDeps): FastifyPluginAsync {
  const { accounts } = deps;
  return async (instance) => {
    const app = instance.withTypeProvider<ZodTypeProvider>();

    /** `GET /me/accounts` → 200 page (+ the session's notice); 400 validation_failed (bad cursor, type, limit); 401. */
    app.get(
      "/me/accounts",
      {
        schema: {
          tags: ["accounts"],
          summary: "The accounts I am a member of (paginated; filter by type, search by name or ID)",
          querystring: myAccountsQuerySchema,
          response: { 200: myAccountsResponseSchema },
        },
      },
      async (request) => accounts.listMyAccounts(requireAuth(request), request.query),
    );

    /** `POST /me/active-account` → 200; 400; 401; 403 mfa_setup_required | csrf_failed; 404 not_found (not a member). */
    app.post(
      "/me/active-account",
      {
        schema: {
          tags: ["accounts"],
          summary: "Switch the session's active account",
          body: activeAccountSchema,
          response: { 200: activeAccountResponseSchema },
        },
      },
      async (request) => accounts.switchActiveAccount(requireAuth(request), request.body.accountId, requestMeta(request)),
    );

    /** `DELETE /me/accounts/notice` → 204 (the page showed the notice); 401; 403 csrf_failed. */
    app.delete(
      "/me/accounts/notice",
      { schema: { tags: ["accounts"], summary: "Dismiss the notice about leaving an account", response: { 204: z.null() } } },
      async (request, reply) => {
        await accounts.dismissNotice(requireAuth(request));
        return reply.status(204).send(null);
      },
    );

    /** `GET /auth/invitations/preview?token=` → 200 the invitation's account, email and groups; 400 invalid_token | validation_failed. */
    app.get(
      "/auth/invitations/preview",
      {
        config: { auth: "public" },
        schema: {
          tags: ["auth"],
          summary: "What an invitation offers (account, email, groups), before accepting it",
          querystring: invitationPreviewQuerySchema,
          response: { 200: invitationPreviewSchema },
        },
      },
      async (request) => presentInvitationPreview(await accounts.previewInvitation(request.query.token)),
    );

    /** `POST /auth/invitations/accept` → 200 authenticated (cookie set) | sign_in_required; 400 invalid_token | weak_password | validation_failed; 403 csrf_failed; 413; 429 (busy). */
    app.post(
      "/auth/invitations/accept",
      {
        bodyLimit: LIMITS.authBodyBytes,
        config: { auth: "public" },
        schema: {
          tags: ["auth"],
          summary: "Accept an invitation: create the profile, join the account, sign in",
          body: acceptInvitationSchema,
          response: { 200: acceptInvitationResponseSchema },
        },
      },
      async (request, reply) => {
        const result = await accounts.acceptInvitation(request.body, requestMeta(request));
        if (result.status === "sign_in_required") return result;
        setSessionCookie(reply, result.sessionToken, { secure: deps.secure, sessionMaxAgeSeconds: deps.sessionMaxAgeSeconds });
        return { status: "authenticated" as const, user: await deps.presentMe({ user: result.user, mfaEnabled: false }) };
      },
    );
  };
}
