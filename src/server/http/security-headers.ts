import type { IncomingMessage, ServerResponse } from "node:http";
import type { FastifyInstance } from "fastify";
import helmet, { type HelmetOptions } from "helmet";

/**
 * Security headers on every response (checklist E1–E8): a CSP without inline or eval script,
 * frame-ancestors/object-src/base-uri 'none', nosniff, a strict referrer policy, HSTS when the
 * public URL is https, COOP, and no-store on API answers.
 *
 * The values come from `helmet`, run ONCE at boot against a recording response: the set is the
 * same for every request, so building it per request (what @fastify/helmet does: a new helmet
 * middleware, its directives parsed again, on every request) is work thrown away on every answer.
 * One synchronous hook then writes the ready-made headers.
 */
export function securityHeaders(options: { secure: boolean }): Readonly<Record<string, string>> {
  const config: HelmetOptions = {
    contentSecurityPolicy: {
      useDefaults: false,
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        styleSrc: ["'self'"],
        imgSrc: ["'self'", "data:"],
        fontSrc: ["'self'"],
        connectSrc: ["'self'"],
        formAction: ["'self'"],
        objectSrc: ["'none'"],
        baseUri: ["'none'"],
        frameAncestors: ["'none'"],
        ...(options.secure ? { upgradeInsecureRequests: [] } : { upgradeInsecureRequests: null }),
      },
    },
    strictTransportSecurity: options.secure ? { maxAge: 31_536_000, includeSubDomains: true } : false,
    referrerPolicy: { policy: "no-referrer" },
    crossOriginOpenerPolicy: { policy: "same-origin" },
    crossOriginResourcePolicy: { policy: "same-origin" },
    crossOriginEmbedderPolicy: false,
    xFrameOptions: { action: "deny" },
  };
  const headers: Record<string, string> = {};
  const recorder = {
    setHeader(name: string, value: string | number | readonly string[]) {
      headers[name.toLowerCase()] = Array.isArray(value) ? value.join(", ") : String(value);
    },
    removeHeader(name: string) {
      delete headers[name.toLowerCase()];
    },
  };
  let failure: unknown;
  helmet(config)({} as IncomingMessage, recorder as unknown as ServerResponse, (error?: unknown) => {
    failure = error;
  });
  if (failure) throw failure instanceof Error ? failure : new Error(String(failure));
  return Object.freeze(headers);
}

/** The security headers of API answers: {@link securityHeaders} plus `Cache-Control: no-store`. */
export function apiSecurityHeaders(options: { secure: boolean }): Readonly<Record<string, string>> {
  return Object.freeze({ ...securityHeaders(options), "cache-control": "no-store" });
}

/** Sets the security headers (and `Cache-Control: no-store` on the API) before anything else runs. */
export function registerSecurityHeaders(app: FastifyInstance, options: { secure: boolean }): void {
  const headers = securityHeaders(options);
  const apiHeaders = apiSecurityHeaders(options);
  app.addHook("onRequest", (request, reply, done) => {
    reply.headers(request.url.startsWith("/api/") ? apiHeaders : headers);
    done();
  });
}
