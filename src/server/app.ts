import path from "node:path";
import { fileURLToPath } from "node:url";
import cookie from "@fastify/cookie";
import swagger from "@fastify/swagger";
import Fastify, { LogController, type FastifyInstance, type FastifyServerOptions } from "fastify";
import { jsonSchemaTransform, validatorCompiler, type ZodTypeProvider } from "fastify-type-provider-zod";
import { LIMITS } from "../contracts/limits.js";
import type { ResolvedConfig } from "./config.js";
import type { Db } from "./db/database.js";
import { createEventRecorder } from "./features/activity/event-recorder.js";
import { createHealthRoutes } from "./features/health/health.routes.js";
import { registerApiRoutes } from "./routes.js";
import { createSessionStore } from "./features/sessions/session-store.js";
import { createFeatureServices, type Services } from "./services.js";
import { ownOriginsOf, registerAuthGuard } from "./http/auth-guard.js";
import { registerErrorHandling } from "./http/error-handler.js";
import { registerMetrics } from "./http/metrics.js";
import { responseSerializerCompiler } from "./http/response-serializer.js";
import { registerSecurityHeaders } from "./http/security-headers.js";
import { registerWebApp } from "./http/web-app.js";
import { systemClock, type Clock } from "./lib/clock.js";
import { createEncryptor } from "./lib/crypto/encrypt.js";
import { createPasswordHasher, type PasswordHasherOptions } from "./lib/crypto/password-hasher.js";
import { createMailer } from "./lib/mail/mailer.js";
import { buildLoggerOptions, lazyChildLogger, logsAt } from "./lib/logger.js";

export interface AppDeps {
  config: Readonly<ResolvedConfig>;
  database: Db;
  clock?: Clock;
  /** Where log lines go (tests capture them); default stdout. */
  logStream?: NodeJS.WritableStream;
  /** Built web app; default dist/web next to the build. */
  webRoot?: string;
  hasher?: PasswordHasherOptions;
}

const ALLOWED_METHODS = new Set(["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"]);

const here = path.dirname(fileURLToPath(import.meta.url));
/** dist/web, from both src/server (tsx, vitest) and dist/server (build). */
export const DEFAULT_WEB_ROOT = path.resolve(here, "../../dist/web");

/** Builds the whole application; tests drive it with `app.inject()`, main.ts makes it listen. */
export async function buildApp(deps: AppDeps): Promise<FastifyInstance> {
  const { config, database } = deps;
  const clock = deps.clock ?? systemClock;
  const options: FastifyServerOptions = {
    logger: buildLoggerOptions(config.logLevel, deps.logStream),
    // Fastify's two lines a request are off; onResponse below writes one line with what we choose.
    logController: new LogController({ disableRequestLogging: true }),
    childLoggerFactory: lazyChildLogger,
    bodyLimit: LIMITS.bodyBytes,
    trustProxy: typeof config.trustProxy === "number" ? String(config.trustProxy) : config.trustProxy,
    requestIdHeader: false,
    onProtoPoisoning: "error",
    onConstructorPoisoning: "error",
    return503OnClosing: true,
  };
  const app = Fastify(options).withTypeProvider<ZodTypeProvider>();
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(responseSerializerCompiler(config.nodeEnv === "production" ? "compiled" : "checked"));

  const db = database.db;
  const encryptor = createEncryptor(config.encryptionKeys);
  const sessions = createSessionStore({
    db,
    prepareHot: database.prepareHot,
    clock,
    idleMinutes: config.sessionIdleMinutes,
    maxHours: config.sessionMaxHours,
    logger: app.log,
  });
  const events = createEventRecorder({ clock, logger: app.log });
  const hasher = createPasswordHasher(deps.hasher);
  const mailer = createMailer({
    db,
    clock,
    encryptor,
    from: config.mailFrom,
    smtpUrl: config.smtpUrl,
    outboxDir: path.join(config.dataDir, "outbox"),
    logger: app.log,
  });
  const services: Services = createFeatureServices({
    config,
    db,
    dialect: database.dialect,
    prepareHot: database.prepareHot,
    clock,
    encryptor,
    sessions,
    events,
    hasher,
    mailer,
    logger: app.log,
  });
  app.decorate("services", services);
  // A delivery in progress finishes (and is marked sent) before whoever closed the app closes the database.
  app.addHook("onClose", async () => mailer.close());
  // Sessions being marked ended after a cut finish too (the sweep would otherwise redo them).
  app.addHook("onClose", async () => sessions.whenSettled());
  // Then the hasher's worker threads stop (tests build many apps in one process).
  app.addHook("onClose", async () => hasher.close());

  registerErrorHandling(app);
  // Global hooks are synchronous (callback style): every request passes them (issue 8).
  app.addHook("onRequest", (request, reply, done) => {
    if (ALLOWED_METHODS.has(request.method)) return done();
    reply
      .status(405)
      .header("allow", "GET, HEAD, POST, PATCH, DELETE")
      .send({ error: { code: "method_not_allowed", message: `${request.method} is not allowed.` } });
  });
  // One line per request at `info`; below it (LOG_LEVEL=warn) there is no such hook at all.
  if (logsAt(app.log, "info")) {
    app.addHook("onResponse", (request, reply, done) => {
      request.log.info(
        {
          method: request.method,
          path: request.url.split("?")[0],
          route: request.routeOptions.url,
          status: reply.statusCode,
          ms: Math.round(reply.elapsedTime * 10) / 10,
        },
        "request",
      );
      done();
    });
  }
  registerSecurityHeaders(app, { secure: config.secure });
  await app.register(cookie);
  await app.register(swagger, {
    openapi: {
      openapi: "3.1.0",
      info: {
        title: "Profile Center API",
        version: "1.0.0",
        description: "User profile and account-security center. See the README.",
      },
      components: {
        securitySchemes: {
          session: { type: "apiKey", in: "cookie", name: config.secure ? "__Host-pc_session" : "pc_session" },
          csrf: { type: "apiKey", in: "header", name: "X-CSRF-Token" },
          admin: { type: "http", scheme: "bearer" },
        },
      },
    },
    transform: jsonSchemaTransform,
  });
  registerAuthGuard(app, {
    sessions,
    events,
    db,
    adminToken: config.adminToken,
    secure: config.secure,
    ownOrigins: ownOriginsOf(config.publicUrl, config.publicUrlExplicit, config.port),
    enforceActiveAccountPolicy: (auth, meta) => services.accounts.enforceActiveAccountPolicy(auth, meta),
  });
  registerMetrics(app, { defaultMetrics: config.nodeEnv !== "test", sampled: services.sessions.metrics });

  await app.register(createHealthRoutes({ ping: database.ping }));
  await app.register(
    async (api) => {
      api.get("/openapi.json", { config: { auth: "public" }, schema: { hide: true } }, async () => app.swagger());
      await registerApiRoutes(api, services);
    },
    { prefix: "/api/v1" },
  );
  await registerWebApp(app, deps.webRoot ?? DEFAULT_WEB_ROOT);
  return app;
}

declare module "fastify" {
  interface FastifyInstance {
    services: Services;
  }
}
