import { randomBytes } from "node:crypto";
import type Provider from "oidc-provider";
import type { KoaContextWithOIDC } from "oidc-provider";
import {
  DATABASE_FAULT_MESSAGE,
  DATABASE_FAULT_RETRY_AFTER_SECONDS,
  databaseFaultOf,
  faultLogFields,
} from "../../lib/db-faults.js";
import { errorPage } from "./oidc-pages.js";
import { OIDC_PREFIX, type AdoptableSession, type OidcProviderHooks, type PcAuthReader, type PcState } from "./oidc-shared.js";
import { acrFor, amrFor, methodsOfSession } from "./sso-amr.js";
import type { SsoDeps } from "./sso.deps.js";

export interface BridgeOptions {
  deps: Pick<SsoDeps, "oidcState" | "secure" | "logger">;
  hooks: OidcProviderHooks;
  pcAuthOf: PcAuthReader;
  sessionCookie: string;
}

/**
 * Where the provider meets the rest of Profile Center: our back-channel logout and hashed
 * secrets in place of its own, every ID token with `sid`, our 404, the requested scope kept for
 * the scope check, our session adopted as its session, RP-initiated logout ending ours, and
 * database faults answered 503 `temporarily_unavailable` instead of its `server_error`.
 */
export function bridgeProvider(provider: Provider, { deps, hooks, pcAuthOf, sessionCookie }: BridgeOptions): void {
  answerDatabaseFaults(provider, deps.logger);
  // Back-channel logout is ours (backchannel-logout.ts: a durable queue for every way a session
  // ends); the provider's own one-shot sending at RP-initiated logout is turned into a no-op.
  const ClientProto = provider.Client.prototype as unknown as { backchannelLogout?: unknown };
  if (typeof ClientProto.backchannelLogout !== "function") {
    throw new Error("oidc-provider no longer has Client#backchannelLogout; review backchannel-logout.ts");
  }
  ClientProto.backchannelLogout = () => Promise.resolve();
  // Every ID token carries `sid` (the provider would only for clients with a logout URI), the
  // same value the logout token of that session carries.
  const ClientSid = provider.Client.prototype as unknown as { includeSid?: unknown };
  if (typeof ClientSid.includeSid !== "function") throw new Error("oidc-provider no longer has Client#includeSid");
  ClientSid.includeSid = () => true;

  // Client secrets are stored as SHA-256 only: compare the hash of the presented one.
  const ClientWithSecret = provider.Client.prototype as unknown as {
    compareClientSecret(this: { clientSecret?: string }, actual: string): boolean;
  };
  ClientWithSecret.compareClientSecret = function (actual: string) {
    return hooks.clients.secretMatches(this.clientSecret, actual);
  };

  // A path under /oidc that the provider does not serve answers our 404 envelope.
  provider.use(async (ctx, next) => {
    await next();
    if (ctx.status === 404 && ctx.body === undefined) {
      ctx.status = 404;
      ctx.body = { error: { code: "not_found", message: "This address does not exist." } };
    }
  });

  // The scope an authorization request asked for, before the provider filters it (supported_scopes).
  provider.use(async (ctx, next) => {
    if (ctx.path === `${OIDC_PREFIX}/auth`) (ctx.state as PcState).requestedScope = ctx.query.scope;
    await next();
  });

  /*
   * Our session is the provider's: when an authorization request loads the provider's session,
   * it adopts this browser's Profile Center session (person, sign-in time, acr, amr), so a
   * person signed in to Profile Center passes straight through, `prompt=none` included. A
   * provider session that belonged to another Profile Center session starts afresh (new uid,
   * new `sid`s): one per sign-in. The provider's own checks (max_age, prompt=login) then judge
   * the adopted sign-in time.
   */
  const SessionModel = provider.Session as unknown as { get(ctx: KoaContextWithOIDC): Promise<AdoptableSession> };
  const loadSession = SessionModel.get.bind(SessionModel);
  SessionModel.get = async (ctx) => {
    const session = await loadSession(ctx);
    if (ctx.oidc?.route !== "authorization") return session;
    const auth = await pcAuthOf(ctx);
    if (!auth) return session;
    const linked = session.accountId ? await deps.oidcState.sessionIdOfUid(session.uid) : undefined;
    const amr = amrFor(methodsOfSession(auth.session));
    const loginTs = Math.floor(auth.session.authenticatedAt / 1000);
    const other = session.accountId !== auth.user.id || linked !== auth.session.id;
    if (other && session.accountId) {
      session.authorizations = {};
      session.uid = randomBytes(16).toString("base64url");
    }
    if (other || session.acr !== acrFor(amr) || session.loginTs !== loginTs) {
      session.loginAccount({ accountId: auth.user.id, loginTs, amr, acr: acrFor(amr) });
      session.touched = true;
    }
    return session;
  };

  // RP-initiated logout that the person confirmed ends the Profile Center session too.
  provider.use(async (ctx, next) => {
    const confirming = ctx.method === "POST" && ctx.path === `${OIDC_PREFIX}/session/end/confirm`;
    const auth = confirming ? await pcAuthOf(ctx as KoaContextWithOIDC) : undefined;
    await next();
    const oidc = (ctx as KoaContextWithOIDC).oidc as KoaContextWithOIDC["oidc"] | undefined;
    if (auth && ctx.status === 303 && oidc?.params?.logout) {
      await hooks.signedOut(auth, { ip: ctx.ip ?? null, userAgent: ctx.get("user-agent").slice(0, 512) || null });
      ctx.cookies.set(sessionCookie, "", {
        httpOnly: true,
        sameSite: "lax",
        path: "/",
        secure: deps.secure,
        maxAge: 0,
        signed: false,
      });
    }
  });
}

/**
 * The provider answers an error of ours with `server_error` 500 (an error that is not its own is
 * never redirected to the client), and an error while it saves its session at the end of a
 * request escapes it (Koa's plain 500). Both are caught here: every such error is logged, and a
 * database fault turns the answer into a 503 `temporarily_unavailable` (RFC 6749's name) with
 * Retry-After, as JSON or, for a browser, the HTML error page. An answer the fault overtook (a
 * redirect whose sign-in could not be saved) is dropped for it.
 */
function answerDatabaseFaults(provider: Provider, logger: SsoDeps["logger"]): void {
  const reported = (ctx: { path: string; state: unknown }, err: unknown): boolean => {
    const fault = databaseFaultOf(err);
    if (!fault) return false;
    logger.error({ ...faultLogFields(fault), path: ctx.path }, "database unavailable");
    (ctx.state as PcState).databaseFault = true;
    return true;
  };
  provider.on("server_error", (ctx: KoaContextWithOIDC, err: Error) => {
    if (!reported(ctx, err)) logger.error({ err, path: ctx.path }, "single sign-on request failed");
  });
  provider.use(async (ctx, next) => {
    let thrown = false;
    try {
      await next();
    } catch (err) {
      if (!reported(ctx, err)) throw err;
      thrown = true;
    }
    if (!(ctx.state as PcState).databaseFault) return;
    if (!thrown && ctx.status !== 500) return;
    const html = thrown ? ctx.accepts("json", "html") === "html" : ctx.response.is("html") === "html";
    ctx.status = 503;
    ctx.remove("location");
    ctx.set("retry-after", String(DATABASE_FAULT_RETRY_AFTER_SECONDS));
    ctx.set("cache-control", "no-store");
    if (html) {
      ctx.type = "html";
      ctx.body = errorPage("temporarily_unavailable", DATABASE_FAULT_MESSAGE);
    } else {
      ctx.body = { error: "temporarily_unavailable", error_description: DATABASE_FAULT_MESSAGE };
    }
  });
}
