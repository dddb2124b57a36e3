import type { FastifyServerOptions } from "fastify";
import type { FastifyRequest } from "fastify";

/**
 * pino options: one JSON line per request with no cookie, token, password or code in it.
 * Request serializers drop headers and query strings (email links carry tokens in them);
 * the redact list is a second net for anything logged by hand.
 */
export function buildLoggerOptions(level: string, stream?: NodeJS.WritableStream): FastifyServerOptions["logger"] {
  return {
    level,
    ...(stream ? { stream } : {}),
    timestamp: () => `,"ts":"${new Date().toISOString()}"`,
    redact: {
      paths: [
        "req.headers",
        "headers",
        "cookie",
        "cookies",
        "authorization",
        "password",
        "newPassword",
        "currentPassword",
        "code",
        "token",
        "secret",
        "*.password",
        "*.newPassword",
        "*.currentPassword",
        "*.code",
        "*.token",
        "*.secret",
        "*.cookie",
      ],
      censor: "[redacted]",
    },
    serializers: {
      req: (request: FastifyRequest) => ({ method: request.method, path: request.url.split("?")[0], ip: request.ip }),
      res: (reply: { statusCode: number }) => ({ status: reply.statusCode }),
    },
  };
}
