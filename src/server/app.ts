import path from "node:path";
import { fileURLToPath } from "node:url";
import cookie from "@fastify/cookie";
import swagger from "@fastify/swagger";
import Fastify, { LogController, type FastifyInstance, type FastifyServerOptions } from "fastify";
import { validatorCompiler, type ZodTypeProvider } from "fastify-type-provider-zod";
import { LIMITS } from "../contracts/limits.js";
import { DEMO_EMAIL } from "./cli/demo-seed.js";
import type { ResolvedConfig } from "./config.js";
import type { Db } from "./db/database.js";
import { createAccountsRoutes } from "./features/accounts/accounts.routes.js";
import { createActivityRoutes } from "./features/activity/activity.routes.js";
import { createAdminRoutes } from "./features/admin/admin.routes.js";
import { createAuthRoutes } from "./features/auth/auth.routes.js";
import { createCsrfRoutes } from "./features/auth/csrf.routes.js";
import { createPasswordResetRoutes } from "./features/auth/password-reset.routes.js";
import { createHealthRoutes } from "./features/health/health.routes.js";
import { createPeopleRoutes } from "./features/people/people.routes.js";
import { createPasskeysRoutes } from "./features/passkeys/passkeys.routes.js";
import { createLockdownRoutes } from "./features/lockdown/lockdown.routes.js";
import { createDataExportRoutes } from "./features/data-export/data-export.routes.js";
import { createCheckupRoutes } from "./features/checkup/checkup.routes.js";
import { createProfileRoutes } from "./features/profile/profile.routes.js";
import { createDeletionRoutes } from "./features/security/deletion/deletion.routes.js";
import { createMfaRoutes } from "./features/security/mfa/mfa.routes.js";
import { createPasswordRoutes } from "./features/security/password/password.routes.js";
import { createSessionsRoutes } from "./features/sessions/sessions.routes.js";
import { createSsoApiRoutes } from "./features/sso/sso-api.routes.js";
import { createSsoRoutes } from "./features/sso/sso.routes.js";
import { ownOriginsOf, registerAuthGuard } from "./http/auth-guard.js";
import { registerErrorHandling } from "./http/error-handler.js";
import { registerMetrics } from "./http/metrics.js";
import { openapiOptions } from "./http/openapi.js";
import { responseSerializerCompiler } from "./http/response-serializer.js";
import { createFrameworkAnswers } from "./http/framework-answers.js";
import { registerRequestIdEcho, requestIdOf } from "./http/request-id.js";
import { registerTextInputRule } from "./http/text-input.js";
import { apiSecurityHeaders, registerSecurityHeaders } from "./http/security-headers.js";
import { registerWebApp } from "./http/web-app.js";
import type { Clock } from "./lib/clock.js";
import type { PasswordHasherOptions } from "./lib/crypto/password-hasher.js";
import { createLogger, lazyChildLogger, logsAt } from "./lib/logger.js";
import { createServices, type Services } from "./services.js";
import type { Registry } from "prom-client";

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
  const { config } = deps;
  const logger = createLogger(config.logLevel, deps.logStream);
  const services = createServices({ config, database: deps.database, logger, clock: deps.clock, hasher: deps.hasher });
  const frameworkAnswers = createFrameworkAnswers(apiSecurityHeaders({ secure: config.secure }));
  const options: FastifyServerOptions = {
    loggerInstance: logger,
    // Fastify's two lines a request are off; onResponse below writes one line with what we choose.
    logController: new LogController({ disableRequestLogging: true }),
    childLoggerFactory: lazyChildLogger,
    bodyLimit: LIMITS.bodyBytes,
    trustProxy: typeof config.trustProxy === "number" ? String(config.trustProxy) : config.trustProxy,
    requestIdHeader: false,
    // The caller's X-Request-Id when it is safe, else a random UUID (unique across nodes).
    genReqId: requestIdOf,
    frameworkErrors: frameworkAnswers.frameworkErrors,
    clientErrorHandler: frameworkAnswers.clientErrorHandler,
    onProtoPoisoning: "error",
    onConstructorPoisoning: "error",
    return503OnClosing: true,
  };
  const app = Fastify(options).withTypeProvider<ZodTypeProvider>();
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(responseSerializerCompiler(config.nodeEnv === "production" ? "compiled" : "checked"));
  app.decorate("services", services);
  // Work in progress (a mail being delivered, cut sessions being marked) finishes before whoever
  // closed the app closes the database.
  app.addHook("onClose", async () => services.close());

  registerErrorHandling(app);
  // The request id and the security headers go on first, so every answer carries them (the 405 below too).
  registerRequestIdEcho(app);
  registerSecurityHeaders(app, { secure: config.secure });
  // Global hooks are synchronous (callback style): every request passes them, and a callback
  // hook costs no promise per request.
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
  await app.register(cookie);
  await app.register(swagger, openapiOptions({ secure: config.secure }));
  const { sessions, events, db } = services;
  registerAuthGuard(app, {
    validateSessionToken: sessions.validateSessionToken,
    endReasonOf: sessions.endReasonOf,
    recordCsrfFailure: ({ userId, reason, route, method, meta }) =>
      events.recordEvent(db, {
        type: "malicious_csrf",
        userId,
        result: "failure",
        details: { reason, route, method },
        meta,
      }),
    adminToken: config.adminToken,
    secure: config.secure,
    ownOrigins: ownOriginsOf(config.publicUrl, config.publicUrlExplicit, config.port),
    enforceActiveAccountPolicy: (auth, meta) => services.accounts.enforceActiveAccountPolicy(auth, meta),
  });
  registerTextInputRule(app);
  const metricsRegistry = registerMetrics(app, {
    defaultMetrics: config.nodeEnv !== "test",
    sampled: services.metrics,
    token: config.metricsToken,
    serveOnAppPort: config.metricsPort === null,
  });
  app.decorate("metricsRegistry", metricsRegistry);

  await app.register(createHealthRoutes({ writable: deps.database.probeWrite }));
  // Single sign-on: the OpenID Provider on the issuer's paths, and our interaction page. A refusal
  // (keys that cannot read the data) closes what was opened, so the caller only has to report it.
  await services.startSso().catch(async (error: unknown) => {
    await services.close().catch(() => undefined);
    throw error;
  });
  await app.register(
    createSsoRoutes({
      provider: services.sso.provider,
      fastPath: services.sso.fastPath,
      interactions: services.sso.interactions,
      publicUrl: config.publicUrl,
    }),
  );
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

/** Registers every feature's routes under /api/v1, each with the few services it uses. */
async function registerApiRoutes(api: FastifyInstance, services: Services): Promise<void> {
  const { config, clock } = services;
  const secure = config.secure;
  const presentMe = services.profile.presentMe;
  await api.register(createCsrfRoutes({ secure }));
  await api.register(createAuthRoutes({ auth: services.auth, clock, secure }));
  await api.register(createPasswordResetRoutes({ passwordReset: services.passwordReset }));
  await api.register(createLockdownRoutes({ lockdown: services.lockdown }));
  await api.register(createProfileRoutes({ profile: services.profile }));
  await api.register(
    createMfaRoutes({
      mfa: services.mfa,
      recentAuth: services.recentAuth,
      clock,
      secure,
      sessionMaxMs: services.sessions.maxMs,
      presentMe,
      onSignIn: services.onSignIn,
    }),
  );
  await api.register(
    createPasskeysRoutes({
      passkeys: services.passkeys,
      passkeySignIn: services.passkeySignIn,
      recentAuth: services.recentAuth,
      clock,
      secure,
      demoEmail: config.demo ? DEMO_EMAIL : null,
    }),
  );
  await api.register(createPasswordRoutes({ password: services.password, clock, secure }));
  await api.register(createDeletionRoutes({ deletion: services.deletion, secure }));
  await api.register(
    createAccountsRoutes({
      accounts: services.accounts,
      presentMe,
      secure,
      sessionMaxAgeSeconds: config.sessionMaxHours * 3600,
    }),
  );
  await api.register(createAdminRoutes({ accounts: services.accounts, presentMe }));
  await api.register(createPeopleRoutes({ people: services.people, accounts: services.accounts }));
  await api.register(createSessionsRoutes({ sessionsService: services.sessionsService, secure }));
  await api.register(createActivityRoutes({ activity: services.activity }));
  await api.register(createDataExportRoutes({ dataExport: services.dataExport }));
  await api.register(createCheckupRoutes({ checkup: services.checkup }));
  await api.register(createSsoApiRoutes({ sso: services.sso, clock, secure }));
}

declare module "fastify" {
  interface FastifyInstance {
    services: Services;
    /** The registry /metrics reads (main.ts serves it on METRICS_PORT when set). */
    metricsRegistry: Registry;
  }
}
