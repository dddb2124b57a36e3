import { randomUUID } from "node:crypto";
import type { Socket } from "node:net";
import type { FastifyError, FastifyReply, FastifyRequest } from "fastify";
import { REQUEST_ID_HEADER } from "./request-id.js";

/** One answer in the contract's error envelope. */
interface Envelope {
  status: number;
  code: string;
  message: string;
}

/** What the router refuses before any route or hook runs (the URL is never echoed back). */
function routerEnvelope(error: FastifyError): Envelope {
  if (error.code === "FST_ERR_MAX_PARAM_LENGTH")
    return { status: 414, code: "uri_too_long", message: "A part of the request URL is too long." };
  if (error.code === "FST_ERR_BAD_URL")
    return { status: 400, code: "bad_request", message: "The request URL holds a malformed percent escape." };
  return { status: 400, code: "bad_request", message: "The request could not be processed." };
}

/** What the HTTP parser refuses before Fastify sees a request. */
function connectionEnvelope(error: NodeJS.ErrnoException): Envelope {
  if (error.code === "HPE_HEADER_OVERFLOW")
    return { status: 431, code: "headers_too_large", message: "The request URL or headers are too large." };
  if (error.code === "ERR_HTTP_REQUEST_TIMEOUT")
    return { status: 408, code: "request_timeout", message: "The request took too long to arrive." };
  return { status: 400, code: "bad_request", message: "The request is not valid HTTP." };
}

const REASONS: Record<number, string> = {
  400: "Bad Request",
  408: "Request Timeout",
  414: "URI Too Long",
  431: "Request Header Fields Too Large",
};

/**
 * Fastify's `frameworkErrors` and `clientErrorHandler`: the answers the framework and Node's HTTP
 * parser would otherwise write themselves (a malformed % escape, a parameter past the router's
 * length, headers or a URL past Node's limit) carry the contract's envelope, the security headers
 * and a request id like every other answer. Hooks do not run for them, so the headers are written
 * here; nothing of the request is reflected.
 */
export function createFrameworkAnswers(securityHeaders: Readonly<Record<string, string>>) {
  function frameworkErrors(error: FastifyError, request: FastifyRequest, reply: FastifyReply): void {
    const { status, code, message } = routerEnvelope(error);
    // The request's one log line (the URL left out: it is what was malformed).
    request.log.info({ method: request.method, status, code }, "request");
    void reply
      .status(status)
      .headers(securityHeaders)
      .header(REQUEST_ID_HEADER, request.id)
      .type("application/json; charset=utf-8")
      .send({ error: { code, message } });
  }

  function clientErrorHandler(error: NodeJS.ErrnoException, socket: Socket): void {
    // A reset or closed connection has nobody left to answer.
    if (error.code === "ECONNRESET" || socket.destroyed) return;
    if (socket.writable) {
      const { status, code, message } = connectionEnvelope(error);
      const body = JSON.stringify({ error: { code, message } });
      const headers = {
        ...securityHeaders,
        "content-type": "application/json; charset=utf-8",
        "content-length": String(Buffer.byteLength(body)),
        [REQUEST_ID_HEADER]: randomUUID(),
        connection: "close",
      };
      const head = Object.entries(headers)
        .map(([name, value]) => `${name}: ${value}\r\n`)
        .join("");
      socket.write(`HTTP/1.1 ${status} ${REASONS[status] ?? "Bad Request"}\r\n${head}\r\n${body}`);
    }
    socket.destroy(error);
  }

  return { frameworkErrors, clientErrorHandler };
}
