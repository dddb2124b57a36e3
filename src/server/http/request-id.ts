import { randomUUID } from "node:crypto";
import type { IncomingMessage } from "node:http";
import type { FastifyInstance } from "fastify";

/** The header that carries a request's id, in and out. */
export const REQUEST_ID_HEADER = "x-request-id";

/** What an incoming id may look like to be kept: short, and safe in logs, headers and CSV. */
const SAFE_REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;

/**
 * The id of a request: the caller's `X-Request-Id` when it is at most 128 safe characters (a
 * proxy or client correlating its own logs), else a random UUID. Random rather than a counter so
 * ids never repeat across nodes or restarts.
 */
export function requestIdOf(raw: Pick<IncomingMessage, "headers">): string {
  const incoming = raw.headers[REQUEST_ID_HEADER];
  return typeof incoming === "string" && SAFE_REQUEST_ID.test(incoming) ? incoming : randomUUID();
}

/** Echoes the request's id on every answer, before anything else can answer. */
export function registerRequestIdEcho(app: FastifyInstance): void {
  app.addHook("onRequest", (request, reply, done) => {
    reply.header(REQUEST_ID_HEADER, request.id);
    done();
  });
}
