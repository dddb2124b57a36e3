import net from "node:net";
import type { FastifyBaseLogger, FastifyRequest } from "fastify";
import { pino, type LoggerOptions } from "pino";

type Bindings = Parameters<FastifyBaseLogger["child"]>[0];
type ChildLoggerOptions = NonNullable<Parameters<FastifyBaseLogger["child"]>[1]>;

/**
 * The logger of the server, the CLI and the background jobs (pino): one JSON line per request,
 * with no cookie, token, password or code in it.
 * Request serializers drop headers and query strings (email links carry tokens in them);
 * the redact list is a second net for anything logged by hand.
 */
export function createLogger(level: string, stream?: NodeJS.WritableStream): FastifyBaseLogger {
  const options = {
    level,
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
      // A forwarded value that is not an address is not written (http/client-ip.ts ignores it too).
      req: (request: FastifyRequest) => ({
        method: request.method,
        path: request.url.split("?")[0],
        ip: net.isIP(request.ip) !== 0 ? request.ip : request.socket?.remoteAddress,
      }),
      res: (reply: { statusCode: number }) => ({ status: reply.statusCode }),
    },
  } satisfies LoggerOptions;
  return stream ? pino(options, stream) : pino(options);
}

/** Whether the app's logger (pino, from {@link createLogger}) writes lines at `level`: pino's own level order. */
export function logsAt(logger: FastifyBaseLogger, level: "info"): boolean {
  return (logger as FastifyBaseLogger & { isLevelEnabled(level: string): boolean }).isLevelEnabled(level);
}

/**
 * `request.log` without a pino child logger made for every request: Fastify's default makes one
 * per request (bindings stringified through the redact rules above), a cost every request would
 * pay though at LOG_LEVEL=warn a successful request logs nothing.
 * The child (same bindings, same options, so the request id and the redaction are unchanged) is
 * made on the first line the request logs, then kept.
 */
export function lazyChildLogger(logger: FastifyBaseLogger, bindings: Bindings, options: ChildLoggerOptions): FastifyBaseLogger {
  return new LazyChildLogger(logger, bindings, options) as LazyChildLogger & Pick<FastifyBaseLogger, LogMethod>;
}

/** The level methods of a Fastify logger (pino's), each forwarded to the child. */
const LOG_METHODS = [
  "fatal",
  "error",
  "warn",
  "info",
  "debug",
  "trace",
  "silent",
] as const satisfies readonly (keyof FastifyBaseLogger)[];
type LogMethod = (typeof LOG_METHODS)[number];

/** Everything a Fastify logger has but the level methods, which the static block adds to the prototype. */
class LazyChildLogger implements Omit<FastifyBaseLogger, LogMethod> {
  #child: FastifyBaseLogger | undefined;
  readonly #parent: FastifyBaseLogger;
  readonly #bindings: Bindings;
  readonly #options: ChildLoggerOptions;

  constructor(parent: FastifyBaseLogger, bindings: Bindings, options: ChildLoggerOptions) {
    this.#parent = parent;
    this.#bindings = bindings;
    this.#options = options;
  }

  #real(): FastifyBaseLogger {
    return (this.#child ??= this.#parent.child(this.#bindings, this.#options));
  }

  static {
    // One method per level on the prototype (not per request): each calls the child's method as
    // a method, since pino's level methods use `this`.
    for (const method of LOG_METHODS) {
      Object.defineProperty(LazyChildLogger.prototype, method, {
        value(this: LazyChildLogger, ...args: unknown[]): void {
          (this.#real() as unknown as Record<LogMethod, (...args: unknown[]) => void>)[method](...args);
        },
      });
    }
  }

  get level(): string {
    return (this.#child ?? this.#parent).level;
  }
  set level(level: string) {
    this.#real().level = level;
  }

  child(bindings: Bindings, options?: ChildLoggerOptions): FastifyBaseLogger {
    return this.#real().child(bindings, options);
  }
}
