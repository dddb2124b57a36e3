import { randomBytes } from "node:crypto";
import Provider, { errors, interactionPolicy, type Account, type Configuration, type KoaContextWithOIDC } from "oidc-provider";
import type { AuthContext } from "../../request-context.js";
import { createOidcAdapterClass } from "./oidc-adapter.js";
import { accountClaims } from "./oidc-claims.js";
import type { OidcKeySet } from "./oidc-keys.js";
import { errorPage, logoutPage, signedOutPage } from "./oidc-pages.js";
import { ACR_MFA, ACR_VALUES, acrFor, amrFor, methodsOfSession } from "./sso-amr.js";
import type { SsoDeps } from "./sso.deps.js";
import type { SsoClients } from "./sso-clients.service.js";

/*
 * The OpenID Provider (oidc-provider, panva) configured for Profile Center: code flow only, PKCE
 * S256 (required for public clients), exact redirect URIs, `iss` in authorization responses,
 * rotating refresh tokens, 10-minute access tokens, no consent screen (every client is first
 * party: the operator registers them), no dynamic registration. Our session is its session: a
 * custom login check prompts whenever the provider's session is not the one of the Profile
 * Center session this browser holds, and our interaction page (sso-interactions.ts) signs the
 * person in with our own pages. Design: docs/single-sign-on.md.
 */

/** Paths of the provider's endpoints (the issuer is PUBLIC_URL itself, so every path is explicit). */
export const OIDC_PREFIX = "/oidc";
export const DISCOVERY_PATH = "/.well-known/openid-configuration";
export const interactionPath = (uid: string) => `${OIDC_PREFIX}/interaction/${uid}`;

export const SCOPES = ["openid", "offline_access", "profile", "email", "phone", "accounts"] as const;

export const TTL = {
  accessToken: 600,
  authorizationCode: 60,
  idToken: 3600,
  interaction: 900,
} as const;

/** What the provider asks of the rest of single sign-on. */
export interface OidcProviderHooks {
  clients: SsoClients;
  /** A code was issued (adapter): record who got it in which Profile Center session. */
  codeIssued(
    payload: Record<string, unknown>,
    auth: AuthContext | undefined,
    account: string | undefined,
    meta: { ip: string | null; userAgent: string | null },
  ): Promise<void>;
  /** RP-initiated logout confirmed: end the Profile Center session. */
  signedOut(auth: AuthContext, meta: { ip: string | null; userAgent: string | null }): Promise<void>;
}

/** What the first middleware reads for an authorization request (the checks use it synchronously). */
type PcState = { pcAuth?: AuthContext | null; requestedScope?: unknown };

/** The provider's Session as the adoption below changes it. */
interface AdoptableSession {
  uid: string;
  accountId?: string | undefined;
  acr?: string | undefined;
  loginTs?: number | undefined;
  authorizations?: Record<string, unknown> | undefined;
  touched?: boolean;
  loginAccount(details: { accountId: string; loginTs: number; amr: string[]; acr: string }): void;
}

export function createOidcProvider(deps: SsoDeps, keys: OidcKeySet, hooks: OidcProviderHooks): Provider {
  const sessionCookie = deps.secure ? "__Host-pc_session" : "pc_session";

  /** The fully signed-in Profile Center session of the request's cookie (read once per request). */
  async function pcAuthOf(ctx: KoaContextWithOIDC): Promise<AuthContext | undefined> {
    const state = ctx.state as PcState;
    if (state.pcAuth !== undefined) return state.pcAuth ?? undefined;
    const token = ctx.cookies.get(sessionCookie, { signed: false });
    const auth = token ? await deps.validateSessionToken(token) : undefined;
    state.pcAuth = auth && auth.session.mfaPending === 0 ? auth : null;
    return state.pcAuth ?? undefined;
  }

  /**
   * Whether this authorization needs a second factor: the client requires it, `acr_values` asks
   * for it, or `account=` names an account whose policy is `required`. A person who is not a
   * member of the named account is refused (`access_denied`).
   */
  async function mfaRequired(ctx: KoaContextWithOIDC, auth: AuthContext): Promise<boolean> {
    const { params, client } = ctx.oidc;
    let needed = client?.metadata().require_mfa === true;
    const acrValues = typeof params?.acr_values === "string" ? params.acr_values.split(" ") : [];
    if (acrValues.includes(ACR_MFA)) needed = true;
    const account = typeof params?.account === "string" ? params.account : undefined;
    if (account !== undefined) {
      const policy = await hooks.clients.accountPolicy(auth.user.id, account);
      if (policy === undefined) throw new errors.AccessDenied("you are not a member of the requested account");
      if (policy === "required") needed = true;
    }
    return needed;
  }

  const { Check, Prompt, base } = interactionPolicy;
  const policy = base();
  const login = policy.get("login")!;
  const supportedScopes: ReadonlySet<string> = new Set(SCOPES);
  // An unknown scope is refused (invalid_scope, RFC 6749 §4.1.2.1), not silently dropped.
  login.checks.add(
    new Check("supported_scopes", "every requested scope must be supported", (ctx) => {
      // The provider drops unknown scopes before the checks run: read what the request said.
      const raw = (ctx.state as PcState).requestedScope;
      const requested = typeof raw === "string" ? raw.split(" ") : [];
      const unknown = requested.find((scope) => scope && !supportedScopes.has(scope));
      if (unknown !== undefined) throw new errors.InvalidScope("requested scope is not supported", unknown);
      return Check.NO_NEED_TO_PROMPT;
    }),
    0,
  );
  // Then: a Profile Center session (the provider's session adopted it when loaded, see below).
  login.checks.add(
    new Check("pc_session", "Profile Center sign-in is required", "login_required", async (ctx) => {
      const auth = await pcAuthOf(ctx);
      return auth && ctx.oidc.session?.accountId === auth.user.id ? Check.NO_NEED_TO_PROMPT : Check.REQUEST_PROMPT;
    }),
    1,
  );
  // max_age judged by our clock, against the Profile Center session's last sign-in.
  login.checks.add(
    new Check("pc_max_age", "End-User authentication is too old", "login_required", async (ctx) => {
      const maxAge = ctx.oidc.params?.max_age;
      const auth = await pcAuthOf(ctx);
      if (maxAge === undefined || !auth || ctx.oidc.result?.login) return Check.NO_NEED_TO_PROMPT;
      return deps.clock.now() - auth.session.authenticatedAt > Number(maxAge) * 1000
        ? Check.REQUEST_PROMPT
        : Check.NO_NEED_TO_PROMPT;
    }),
    2,
  );
  login.checks.add(
    new Check("mfa_required", "A second factor is required", "interaction_required", async (ctx) => {
      const auth = await pcAuthOf(ctx);
      if (!auth) return Check.NO_NEED_TO_PROMPT; // signing in comes first (pc_session)
      if (!(await mfaRequired(ctx, auth))) return Check.NO_NEED_TO_PROMPT;
      return auth.session.mfaVerified === 1 ? Check.NO_NEED_TO_PROMPT : Check.REQUEST_PROMPT;
    }),
    3,
  );
  void Prompt;

  const Adapter = createOidcAdapterClass(deps.oidcState, deps.clock, {
    clientMetadata: (clientId) => hooks.clients.providerMetadata(clientId, Provider.ctx),
    sessionIdFor: async (payload) => {
      const ctx = Provider.ctx;
      const auth = ctx ? await pcAuthOf(ctx) : undefined;
      return auth && auth.user.id === payload.accountId ? auth.session.id : null;
    },
    codeIssued: async (payload) => {
      const ctx = Provider.ctx;
      const auth = ctx ? await pcAuthOf(ctx) : undefined;
      const account = ctx?.oidc.params?.account;
      const meta = { ip: ctx?.ip ?? null, userAgent: ctx?.get("user-agent").slice(0, 512) || null };
      await hooks.codeIssued(payload, auth, typeof account === "string" ? account : undefined, meta);
    },
  });

  const sessionTtl = deps.sessionMaxHours * 3600;
  const configuration: Configuration = {
    adapter: Adapter,
    clients: [],
    jwks: { keys: keys.signing as never },
    cookies: {
      keys: keys.cookieKeys,
      long: { signed: true, httpOnly: true, sameSite: "lax" },
      short: { signed: true, httpOnly: true, sameSite: "lax" },
    },
    routes: {
      authorization: `${OIDC_PREFIX}/auth`,
      backchannel_authentication: `${OIDC_PREFIX}/backchannel`,
      code_verification: `${OIDC_PREFIX}/device`,
      device_authorization: `${OIDC_PREFIX}/device/auth`,
      end_session: `${OIDC_PREFIX}/session/end`,
      introspection: `${OIDC_PREFIX}/token/introspection`,
      jwks: `${OIDC_PREFIX}/jwks`,
      pushed_authorization_request: `${OIDC_PREFIX}/request`,
      registration: `${OIDC_PREFIX}/reg`,
      revocation: `${OIDC_PREFIX}/token/revocation`,
      token: `${OIDC_PREFIX}/token`,
      userinfo: `${OIDC_PREFIX}/me`,
      challenge: `${OIDC_PREFIX}/challenge`,
    },
    scopes: [...SCOPES],
    claims: {
      // acr, amr and auth_time ride with `openid`: every ID token states how the person signed in.
      openid: ["sub", "acr", "amr", "auth_time"],
      profile: ["name", "given_name", "family_name", "locale", "zoneinfo", "updated_at"],
      email: ["email", "email_verified"],
      phone: ["phone_number"],
      accounts: ["accounts", "active_account"],
      sid: null,
    },
    acrValues: [...ACR_VALUES],
    extraParams: ["account"],
    extraClientMetadata: {
      properties: ["require_mfa"],
      validator(_ctx, key, value) {
        if (key === "require_mfa" && value !== undefined && typeof value !== "boolean") {
          throw new errors.InvalidClientMetadata("require_mfa must be a boolean");
        }
      },
    },
    responseTypes: ["code"],
    clientAuthMethods: ["client_secret_basic", "client_secret_post", "none"],
    clientDefaults: {
      grant_types: ["authorization_code", "refresh_token"],
      response_types: ["code"],
      id_token_signed_response_alg: "RS256",
      token_endpoint_auth_method: "client_secret_basic",
    },
    features: {
      devInteractions: { enabled: false },
      // A client introspects only the tokens issued to it.
      introspection: { enabled: true, allowedPolicy: (_ctx, client, token) => token.clientId === client.clientId },
      revocation: { enabled: true },
      backchannelLogout: { enabled: true },
      registration: { enabled: false },
      rpInitiatedLogout: {
        enabled: true,
        logoutSource(ctx, form) {
          ctx.type = "html";
          ctx.body = logoutPage(form, ctx.oidc.client?.clientName);
        },
        postLogoutSuccessSource(ctx) {
          ctx.type = "html";
          ctx.body = signedOutPage();
        },
      },
    },
    rotateRefreshToken: true,
    ttl: {
      AccessToken: TTL.accessToken,
      AuthorizationCode: TTL.authorizationCode,
      IdToken: TTL.idToken,
      Interaction: TTL.interaction,
      Grant: sessionTtl,
      RefreshToken: sessionTtl,
      Session: sessionTtl,
    },
    interactions: {
      url: (_ctx, interaction) => interactionPath(interaction.uid),
      policy,
    },
    /**
     * Every client is first party: the grant is made from the current request (never widened
     * by an earlier one) once the person is signed in, so no consent screen is shown.
     */
    async loadExistingGrant(ctx) {
      const { session, client } = ctx.oidc;
      if (!session?.accountId || !client) return undefined;
      const grant = new ctx.oidc.provider.Grant({ accountId: session.accountId, clientId: client.clientId });
      const scope = ctx.oidc.requestParamScopes;
      grant.addOIDCScope([...scope].join(" "));
      const claims = [...ctx.oidc.requestParamClaims];
      if (claims.length > 0) grant.addOIDCClaims(claims);
      await grant.save();
      return grant;
    },
    async findAccount(ctx, sub, token): Promise<Account | undefined> {
      const user = await deps.users.findById(sub);
      if (!user) return undefined;
      return {
        accountId: sub,
        claims: (_use, scope) => accountClaims(deps, user, scope, ctx, token),
      };
    },
    renderError(ctx, out) {
      ctx.type = "html";
      ctx.body = errorPage(String(out.error), typeof out.error_description === "string" ? out.error_description : undefined);
    },
  };

  const provider = new Provider(deps.publicUrl, configuration);
  // We set the forwarded headers ourselves from PUBLIC_URL (sso.routes.ts), never the client's.
  provider.proxy = true;

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

  return provider;
}
