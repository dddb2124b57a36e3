import type { IncomingMessage, ServerResponse } from "node:http";
import type { FastifyPluginAsync, FastifyReply } from "fastify";
import type Provider from "oidc-provider";
import { errors as oidcErrors } from "oidc-provider";
import * as z from "zod";
import { errorPage } from "./oidc-pages.js";
import { DISCOVERY_PATH, OIDC_PREFIX } from "./oidc-provider.js";
import type { SsoInteractions } from "./sso-interactions.js";

export interface SsoRoutesDeps {
  provider: () => Provider;
  interactions: SsoInteractions;
  publicUrl: string;
}

/**
 * The provider's pages may post forms to themselves and redirect after a form to a client's
 * registered URI (logout); nothing else changes from the app's policy.
 */
const PROVIDER_CSP =
  "default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self' https: http:; frame-ancestors 'none'; base-uri 'none'";

const uidParams = z.object({ uid: z.string().min(1).max(64) });

/**
 * The OpenID Provider's endpoints (`/.well-known/openid-configuration`, `/oidc/*`) and our
 * interaction page. The provider's Koa app answers its own paths: Fastify hands it the raw
 * request before any body is read (the provider reads it), with the forwarded headers set from
 * PUBLIC_URL so every URL it builds is on the issuer's origin, whatever Host the request had.
 */
export function createSsoRoutes(deps: SsoRoutesDeps): FastifyPluginAsync {
  const issuer = new URL(deps.publicUrl);
  const callbacks = new WeakMap<Provider, (req: IncomingMessage, res: ServerResponse) => unknown>();
  const callbackOf = (provider: Provider) => {
    let callback = callbacks.get(provider);
    if (!callback) {
      callback = provider.callback();
      callbacks.set(provider, callback);
    }
    return callback;
  };

  /** HTML error page (interaction pages are visited by a browser). */
  function htmlError(reply: FastifyReply, status: number, error: string, description: string) {
    return reply
      .status(status)
      .header("cache-control", "no-store")
      .type("text/html; charset=utf-8")
      .send(errorPage(error, description));
  }

  return async (app) => {
    await app.register(async (providerScope) => {
      // The provider reads bodies itself: nothing here parses or consumes them.
      providerScope.removeAllContentTypeParsers();
      providerScope.addContentTypeParser("*", (_request, _payload, done) => done(null));
      const handler = async (request: { raw: IncomingMessage; ip: string }, reply: FastifyReply) => {
        reply.hijack();
        const res = reply.raw;
        for (const [name, value] of Object.entries(reply.getHeaders())) if (value !== undefined) res.setHeader(name, value);
        res.setHeader("content-security-policy", PROVIDER_CSP);
        const headers = request.raw.headers;
        headers["x-forwarded-host"] = issuer.host;
        headers["x-forwarded-proto"] = issuer.protocol.slice(0, -1);
        headers["x-forwarded-for"] = request.ip;
        delete headers.forwarded;
        await new Promise<void>((resolve) => {
          res.once("close", resolve);
          res.once("finish", resolve);
          void callbackOf(deps.provider())(request.raw, res);
        });
      };
      const options = { config: { auth: "oauth" as const }, schema: { hide: true } };
      providerScope.route({ method: ["GET", "POST", "OPTIONS"], url: DISCOVERY_PATH, ...options, handler });
      providerScope.route({ method: ["GET", "POST", "OPTIONS"], url: `${OIDC_PREFIX}/*`, ...options, handler });
    });

    /** `GET /oidc/interaction/:uid`: the next step of a sign-in an app asked for (a redirect). */
    app.get(
      `${OIDC_PREFIX}/interaction/:uid`,
      { config: { auth: "public" }, schema: { hide: true, params: uidParams } },
      async (request, reply) => {
        const { uid } = request.params as z.infer<typeof uidParams>;
        reply.hijack();
        // The security headers the app set for this request go out on the raw answer too.
        for (const [name, value] of Object.entries(reply.getHeaders())) if (value !== undefined) reply.raw.setHeader(name, value);
        try {
          const next = await deps.interactions.step(request.raw, reply.raw, uid, request.auth);
          if ("error" in next) return sendRaw(reply, 400, errorPage(next.error, next.description));
          reply.raw.statusCode = 303;
          reply.raw.setHeader("location", next.redirect);
          reply.raw.setHeader("cache-control", "no-store");
          reply.raw.end();
        } catch (error) {
          if (error instanceof oidcErrors.OIDCProviderError) {
            return sendRaw(
              reply,
              400,
              errorPage(
                error.error,
                "This sign-in request has expired or is not valid any more. Go back to the app and sign in again.",
              ),
            );
          }
          throw error;
        }
      },
    );

    /** `POST /oidc/interaction/:uid/cancel` (CSRF-checked): the client gets `access_denied`. */
    app.post(
      `${OIDC_PREFIX}/interaction/:uid/cancel`,
      { config: { auth: "public" }, schema: { hide: true, params: uidParams } },
      async (request, reply) => {
        const { uid } = request.params as z.infer<typeof uidParams>;
        try {
          const redirectTo = await deps.interactions.cancel(request.raw, reply.raw, uid);
          // The provider's cookie changes were written on the raw response: keep them.
          return reply.header("cache-control", "no-store").send({ redirectTo });
        } catch (error) {
          if (error instanceof oidcErrors.OIDCProviderError || (error as Error).message === "interaction mismatch") {
            return htmlError(reply, 400, "invalid_request", "This sign-in request has expired.");
          }
          throw error;
        }
      },
    );
  };
}

function sendRaw(reply: FastifyReply, status: number, html: string) {
  const res = reply.raw;
  res.statusCode = status;
  res.setHeader("content-type", "text/html; charset=utf-8");
  res.setHeader("cache-control", "no-store");
  res.end(html);
}
