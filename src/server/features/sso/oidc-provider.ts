import Provider, { errors, type Account, type Configuration, type KoaContextWithOIDC } from "oidc-provider";
import type { AuthContext } from "../../request-context.js";
import { createOidcAdapterClass } from "./oidc-adapter.js";
import { bridgeProvider } from "./oidc-bridge.js";
import { accountClaims } from "./oidc-claims.js";
import type { OidcKeySet } from "./oidc-keys.js";
import { errorPage, logoutPage, signedOutPage } from "./oidc-pages.js";
import { createLoginPolicy } from "./oidc-policy.js";
import {
  CLOCK_TOLERANCE_SECONDS,
  interactionPath,
  OIDC_PREFIX,
  SCOPE_CLAIMS,
  SCOPES,
  TTL,
  type OidcProviderHooks,
  type PcState,
} from "./oidc-shared.js";
import { ACR_VALUES } from "./sso-amr.js";
import type { SsoDeps } from "./sso.deps.js";

export { DISCOVERY_PATH, interactionPath, OIDC_PREFIX, SCOPES, TTL } from "./oidc-shared.js";
export type { OidcProviderHooks } from "./oidc-shared.js";

/*
 * The OpenID Provider (oidc-provider, panva) configured for Profile Center: code flow only, PKCE
 * S256 (required for public clients), exact redirect URIs, `iss` in authorization responses,
 * rotating refresh tokens, 10-minute access tokens, no consent screen (every client is first
 * party: the operator registers them), no dynamic registration. Our session is its session
 * (oidc-bridge.ts adopts it when an authorization request loads the provider's session); our
 * checks (oidc-policy.ts) and interaction page (sso-interactions.ts) sign the person in with our
 * own pages. Design: docs/single-sign-on.md.
 */

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

  const policy = createLoginPolicy(deps, hooks.clients, pcAuthOf);

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
    claims: { ...Object.fromEntries(Object.entries(SCOPE_CLAIMS).map(([k, v]) => [k, [...v]])), sid: null },
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
      // RFC 7009 §2.1: a client revokes only its own tokens (another's is answered 200 and left alone).
      revocation: { enabled: true, allowedPolicy: (_ctx, client, token) => token.clientId === client.clientId },
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
    clockTolerance: CLOCK_TOLERANCE_SECONDS,
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

  bridgeProvider(provider, { deps, hooks, pcAuthOf, sessionCookie });

  return provider;
}
