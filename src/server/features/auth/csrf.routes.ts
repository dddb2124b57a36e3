import type { FastifyPluginAsync } from "fastify";
import type { ZodTypeProvider } from "fastify-type-provider-zod";
import { csrfResponseSchema } from "../../../contracts/auth.js";
import { newToken } from "../../lib/crypto/hash-token.js";
import { cookieNames } from "../../http/cookies.js";

/**
 * `GET /api/v1/auth/csrf`: the double-submit token. The cookie is readable by scripts,
 * SameSite=Strict; unsafe requests must echo it in `X-CSRF-Token` (http/auth-guard.ts checks).
 * An existing cookie is reused so parallel tabs keep working.
 */
export function createCsrfRoutes(deps: { secure: boolean }): FastifyPluginAsync {
  const name = cookieNames(deps.secure).csrf;
  return async (app) => {
    app.withTypeProvider<ZodTypeProvider>().get(
      "/auth/csrf",
      {
        config: { auth: "public" },
        schema: { tags: ["auth"], summary: "Get the CSRF token", response: { 200: csrfResponseSchema } },
      },
      async (request, reply) => {
        const existing = request.cookies[name];
        const token = existing && /^[\w-]{43}$/.test(existing) ? existing : newToken();
        reply.setCookie(name, token, { httpOnly: false, sameSite: "strict", path: "/", secure: deps.secure });
        return { csrfToken: token };
      },
    );
  };
}
