import type { FastifyPluginAsync } from "fastify";
import type { ZodTypeProvider } from "fastify-type-provider-zod";
import {
  emailChangeConfirmSchema,
  emailChangeRequestedSchema,
  emailChangeSchema,
  emailVerificationRequestedSchema,
  updateMeSchema,
  userSchema,
} from "../../../contracts/me.js";
import { requestMeta, requireAuth } from "../../http/auth-guard.js";
import type { ProfileService } from "./profile.service.js";

/** The General section's API: `/me` and the email change. */
export function createProfileRoutes(deps: { profile: ProfileService }): FastifyPluginAsync {
  const { profile } = deps;
  return async (instance) => {
    const app = instance.withTypeProvider<ZodTypeProvider>();

    /** `GET /me` → 200 user; 401 unauthenticated. */
    app.get(
      "/me",
      { schema: { tags: ["me"], summary: "The signed-in person", response: { 200: userSchema } } },
      async (request) => profile.presentMe(requireAuth(request)),
    );

    /** `PATCH /me` → 200 user; 400 validation_failed (nothing changed); 401; 403 csrf_failed. */
    app.patch(
      "/me",
      {
        schema: {
          tags: ["me"],
          summary: "Change personal information, environment settings or news consent",
          body: updateMeSchema,
          response: { 200: userSchema },
        },
      },
      async (request) => profile.updateMe(requireAuth(request), request.body, requestMeta(request)),
    );

    /** `POST /me/email-change` → 202; 400 validation_failed; 401 invalid_password; 409 email_taken; 429. */
    app.post(
      "/me/email-change",
      {
        schema: {
          tags: ["me"],
          summary: "Ask to change the email address (a confirmation link goes to the new address)",
          body: emailChangeSchema,
          response: { 202: emailChangeRequestedSchema },
        },
      },
      async (request, reply) => {
        const result = await profile.requestEmailChange(requireAuth(request), request.body, requestMeta(request));
        return reply.status(202).send(result);
      },
    );

    /** `POST /me/email-verification` → 202 {sentTo}: a link that confirms the current address; 401; 403. */
    app.post(
      "/me/email-verification",
      {
        schema: {
          tags: ["me"],
          summary: "Mail a link that confirms the current email address (opened on /confirm-email)",
          response: { 202: emailVerificationRequestedSchema },
        },
      },
      async (request, reply) => {
        const result = await profile.requestEmailVerification(requireAuth(request), requestMeta(request));
        return reply.status(202).send(result);
      },
    );

    /** `POST /me/email-change/confirm` (public) → 200 user; 400 invalid_token; 409 email_taken. */
    app.post(
      "/me/email-change/confirm",
      {
        config: { auth: "public" },
        schema: {
          tags: ["me"],
          summary: "Confirm an email change from the link sent to the new address",
          body: emailChangeConfirmSchema,
          response: { 200: userSchema },
        },
      },
      async (request) => profile.confirmEmailChange(request.body.token, requestMeta(request)),
    );
  };
}
