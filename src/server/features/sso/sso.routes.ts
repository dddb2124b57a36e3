import { IncomingMessage, type ServerResponse } from "node:http";
import type { FastifyPluginAsync, FastifyReply } from "fastify";
import type Provider from "oidc-provider";
import { errors as oidcErrors } from "oidc-provider";
import * as z from "zod";
import {
  DATABASE_FAULT_MESSAGE,
  DATABASE_FAULT_RETRY_AFTER_SECONDS,
  databaseFaultOf,
  faultLogFields,
} from "../../lib/db-faults.js";
import type { FastAnswer, OidcFastPath } from "./oidc-fast-path.js";
import { errorPage } from "./oidc-pages.js";
import { DISCOVERY_PATH, OIDC_PREFIX } from "./oidc-provider.js";
import type { SsoInteractions } from "./sso-interactions.js";

export interface SsoRoutesDeps {
  provider: () => Provider;
  fastPath: OidcFastPath;
  interactions: SsoInteractions;
  publicUrl: string;
}

/**
 * The provider's pages may post forms to themselves and redirect after a form to a client's
 * registered URI (logout); nothing else changes from the app's policy.
 */
const PROVIDER_CSP =
  "default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self' https: http:; frame-ancestors 'none'; base-uri 'none'";

/** Largest introspection form the fast path reads (a token, a hint, client credentials). */
const FAST_FORM_LIMIT = 4096;

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

      // Userinfo and introspection in their common shape: answered beside the provider
      // (oidc-fast-path.ts); every other request to them goes on to the provider.
      providerScope.route({
        method: "GET",
        url: `${OIDC_PREFIX}/me`,
        ...options,
        handler: async (request, reply) => {
          if (await answerFast(request, reply, () => deps.fastPath.userinfo(request.url, request.raw.headers))) return reply;
          return handler(request, reply);
        },
      });
      providerScope.route({
        method: "POST",
        url: `${OIDC_PREFIX}/token/introspection`,
        ...options,
        handler: async (request, reply) => {
          const length = Number(request.headers["content-length"]);
          if (!(length > 0 && length <= FAST_FORM_LIMIT) || request.headers["transfer-encoding"] !== undefined) {
            return handler(request, reply);
          }
          const body = await readExactly(request.raw, length);
          if (body === undefined) return handler({ raw: replay(request.raw, Buffer.alloc(0)), ip: request.ip }, reply);
          if (await answerFast(request, reply, () => deps.fastPath.introspection(request.raw.headers, body))) return reply;
          return handler({ raw: replay(request.raw, body), ip: request.ip }, reply);
        },
      });
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
          const fault = databaseFaultOf(error);
          if (!fault) throw error;
          // The reply is hijacked: Fastify's error handler cannot answer for it any more.
          request.log.error(faultLogFields(fault), "database unavailable");
          reply.raw.setHeader("retry-after", String(DATABASE_FAULT_RETRY_AFTER_SECONDS));
          return sendRaw(reply, 503, errorPage("temporarily_unavailable", DATABASE_FAULT_MESSAGE));
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

/**
 * Runs the fast path and sends its answer: false when the provider must answer instead. A database
 * fault is answered as the provider's endpoints answer it (oidc-bridge.ts): 503
 * `temporarily_unavailable` with Retry-After.
 */
async function answerFast(
  request: { log: { error(obj: object, msg: string): void } },
  reply: FastifyReply,
  run: () => Promise<FastAnswer | undefined>,
): Promise<boolean> {
  let answer: FastAnswer | undefined;
  try {
    answer = await run();
  } catch (error) {
    const fault = databaseFaultOf(error);
    if (!fault) throw error;
    request.log.error(faultLogFields(fault), "database unavailable");
    answer = temporarilyUnavailable();
  }
  if (answer === undefined) return false;
  // Not returned: a reply is thenable, and awaiting it waits for the answer to go out.
  void reply
    .status(answer.status)
    .headers(answer.headers)
    .header("content-security-policy", PROVIDER_CSP)
    .send(JSON.stringify(answer.body));
  return true;
}

/** The OAuth answer to a database fault (RFC 6749 names `temporarily_unavailable`). */
function temporarilyUnavailable(): FastAnswer {
  return {
    status: 503,
    headers: {
      "cache-control": "no-store",
      "content-type": "application/json; charset=utf-8",
      "retry-after": String(DATABASE_FAULT_RETRY_AFTER_SECONDS),
    },
    body: {
      error: "temporarily_unavailable",
      error_description: DATABASE_FAULT_MESSAGE,
    },
  };
}

/** Reads exactly `length` bytes of a request body; undefined when it was shorter or longer. */
function readExactly(raw: IncomingMessage, length: number): Promise<Buffer | undefined> {
  // A small form has usually arrived with the headers: take it from the stream's buffer at once,
  // and let the (now empty) stream run to its end.
  if (raw.readableLength === length && !raw.readableFlowing) {
    // read(n) with n bytes buffered returns exactly those n bytes.
    const body = raw.read(length) as Buffer;
    raw.resume();
    return Promise.resolve(body);
  }
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let received = 0;
    raw.on("data", (chunk: Buffer) => {
      received += chunk.length;
      chunks.push(chunk);
    });
    raw.once("error", reject);
    raw.once("end", () => resolve(received === length ? Buffer.concat(chunks, received) : undefined));
  });
}

/**
 * The request again, with the body the fast path already read, for the provider (which reads
 * the body itself): the same socket, method, URL and headers.
 */
function replay(raw: IncomingMessage, body: Buffer): IncomingMessage {
  const copy = new IncomingMessage(raw.socket);
  copy.method = raw.method;
  copy.url = raw.url;
  copy.headers = raw.headers;
  copy.rawHeaders = raw.rawHeaders;
  copy.httpVersion = raw.httpVersion;
  copy.httpVersionMajor = raw.httpVersionMajor;
  copy.httpVersionMinor = raw.httpVersionMinor;
  if (body.length > 0) copy.push(body);
  // A message that ends incomplete counts as aborted, and an aborted one destroys its socket:
  // the client's connection, which the provider's answer still has to go out on.
  copy.complete = true;
  copy.push(null);
  return copy;
}

function sendRaw(reply: FastifyReply, status: number, html: string) {
  const res = reply.raw;
  res.statusCode = status;
  res.setHeader("content-type", "text/html; charset=utf-8");
  res.setHeader("cache-control", "no-store");
  res.end(html);
}
