import type { KoaContextWithOIDC } from "oidc-provider";
import type { AuthContext } from "../../request-context.js";
import type { SsoClients } from "./sso-clients.service.js";

/* What the provider's modules share: paths, lifetimes, scopes, hooks, per-request state. */

/** Paths of the provider's endpoints (the issuer is PUBLIC_URL itself, so every path is explicit). */
export const OIDC_PREFIX = "/oidc";
export const DISCOVERY_PATH = "/.well-known/openid-configuration";
export const interactionPath = (uid: string) => `${OIDC_PREFIX}/interaction/${uid}`;

export const SCOPES = ["openid", "offline_access", "profile", "email", "phone", "accounts"] as const;

/**
 * The claims each scope releases (contract "Single sign-on"). `acr`, `amr` and `auth_time` ride
 * with `openid`: every ID token states how the person signed in.
 */
export const SCOPE_CLAIMS: Readonly<Record<string, readonly string[]>> = {
  openid: ["sub", "acr", "amr", "auth_time"],
  profile: ["name", "given_name", "family_name", "locale", "zoneinfo", "updated_at"],
  email: ["email", "email_verified"],
  phone: ["phone_number"],
  accounts: ["accounts", "active_account"],
};

export const TTL = {
  accessToken: 600,
  authorizationCode: 60,
  idToken: 3600,
  interaction: 900,
} as const;

/**
 * Seconds of leeway in the provider's expiry checks of stored objects (its default, stated so
 * the fast path applies the same): an access token is still found this long after its `exp`,
 * while introspection calls it inactive from `exp` on.
 */
export const CLOCK_TOLERANCE_SECONDS = 15;

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
export type PcState = { pcAuth?: AuthContext | null; requestedScope?: unknown; databaseFault?: boolean };

/** The provider's Session as the adoption below changes it. */
export interface AdoptableSession {
  uid: string;
  accountId?: string | undefined;
  acr?: string | undefined;
  loginTs?: number | undefined;
  authorizations?: Record<string, unknown> | undefined;
  touched?: boolean;
  loginAccount(details: { accountId: string; loginTs: number; amr: string[]; acr: string }): void;
}

/** Reads the request's fully signed-in Profile Center session (once per request). */
export type PcAuthReader = (ctx: KoaContextWithOIDC) => Promise<AuthContext | undefined>;
