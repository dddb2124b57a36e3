import { parse as parseForm } from "node:querystring";
import type { IncomingHttpHeaders } from "node:http";
import { hashToken } from "../../lib/crypto/hash-token.js";
import { accountClaims } from "./oidc-claims.js";
import { CLOCK_TOLERANCE_SECONDS, SCOPE_CLAIMS } from "./oidc-shared.js";
import type { OidcTokenLookup, StoredObject, TokenRow } from "./oidc-token-lookup.repo.js";
import type { SsoDeps } from "./sso.deps.js";

/*
 * Userinfo and introspection, the calls a platform makes on every request it serves, answered
 * beside the provider: the same rows, the same checks and the same answers as oidc-provider's own
 * endpoints (userinfo.js, introspection.js, shared/access_token.js, models/token_helpers.js of
 * oidc-provider 9), without its Koa stack, its model classes and one query per object. The
 * differential tests (oidc-fast-path.test.ts) send every case to both and compare the answers.
 *
 * Only the common shape is answered here: a Bearer header for userinfo; a form with the token and
 * HTTP Basic or form credentials that match for introspection. Anything else (DPoP, CORS
 * requests, other parameters, a failed client authentication, a token with an audience or a
 * claims request, grants with rejected scopes) returns `undefined`, and the provider answers it.
 */

/** An answer of the fast path; `undefined` hands the request to the provider. */
export interface FastAnswer {
  status: number;
  headers: Record<string, string>;
  body: Record<string, unknown>;
}

type Payload = Record<string, unknown>;

/** An opaque token's characters (oidc-provider's nanoid alphabet), bounded. */
const OPAQUE = /^[A-Za-z0-9_-]{1,512}$/;
/** What client credentials may contain (RFC 6749 Appendix A: VSCHAR). */
const VSCHAR = /^[\x20-\x7E]+$/;
const FORM = /^application\/x-www-form-urlencoded(?:\s*;\s*charset=utf-8)?$/i;
const INTROSPECTION_PARAMS = new Set(["token", "token_type_hint", "client_id", "client_secret"]);
const HINTS = new Set([undefined, "access_token", "refresh_token"]);

/** Headers the provider sets on both endpoints' answers (no-store, its CORS for any origin). */
const COMMON_HEADERS = {
  "cache-control": "no-store",
  "content-type": "application/json; charset=utf-8",
  vary: "Origin",
  "access-control-allow-origin": "*",
  "access-control-expose-headers": "WWW-Authenticate",
} as const;

type FastPathDeps = Pick<SsoDeps, "publicUrl" | "clock" | "myAccountPages" | "links" | "mfaFactors"> & {
  tokens: OidcTokenLookup;
  /** The client secret check the provider uses (hashed secrets). */
  secretMatches(storedHash: string | undefined, presented: string): boolean;
};

export function createOidcFastPath(deps: FastPathDeps) {
  const issuer = deps.publicUrl;
  const epoch = () => Math.floor(Date.now() / 1000);

  /**
   * A stored object as the provider's adapter and `BaseModel.find` accept it: within its stored
   * lifetime (our clock, oidc-adapter.ts), a JSON object whose `nbf`/`iat`/`exp` pass the
   * provider's checks (real time, with its clock tolerance) unless `ignoreExpiration`.
   */
  function live(stored: StoredObject | undefined, ignoreExpiration = false): Payload | undefined {
    if (!stored) return undefined;
    if (stored.expiresAt !== null && stored.expiresAt <= deps.clock.now()) return undefined;
    let payload: unknown;
    try {
      payload = JSON.parse(stored.payload);
    } catch {
      return undefined;
    }
    if (typeof payload !== "object" || payload === null || Array.isArray(payload)) return undefined;
    const p = payload as Payload;
    if ("jwt" in p || "jwt-ietf" in p || "paseto" in p || ("format" in p && p.format !== "opaque")) return undefined;
    const now = epoch();
    const leeway = CLOCK_TOLERANCE_SECONDS;
    if (p.nbf !== undefined && (typeof p.nbf !== "number" || p.nbf > now + leeway)) return undefined;
    if (p.iat !== undefined && (typeof p.iat !== "number" || (p.exp === undefined && p.iat > now + leeway))) return undefined;
    if (p.exp !== undefined && (typeof p.exp !== "number" || (!ignoreExpiration && now - leeway >= p.exp))) return undefined;
    if (stored.consumedAt !== null) p.consumed = Math.floor(stored.consumedAt / 1000);
    return p;
  }

  /** A token bound to its sign-in is valid only while that provider session still holds its grant. */
  async function boundToLiveSession(token: Payload, row: TokenRow): Promise<boolean> {
    if (!token.expiresWithSession) return true;
    if (typeof token.sessionUid !== "string") return false;
    // Read with the token when its row names the session (rows written before that: on their own).
    const stored = row.sessionUid === token.sessionUid ? row.session : await deps.tokens.session(token.sessionUid);
    const session = live(stored);
    if (!session || session.accountId !== token.accountId) return false;
    const authorizations = session.authorizations as Record<string, { grantId?: unknown }> | undefined;
    return authorizations?.[String(token.clientId)]?.grantId === token.grantId;
  }

  /** The grant as `Grant.find(id, { ignoreExpiration: true })` and the endpoints' checks take it. */
  function validGrant(stored: StoredObject | undefined, token: Payload): Payload | undefined {
    const grant = live(stored, true);
    if (!grant || (typeof grant.exp === "number" && grant.exp <= epoch())) return undefined;
    if (grant.clientId !== token.clientId || grant.accountId !== token.accountId) return undefined;
    return grant;
  }

  /** Sender-constrained tokens, audiences, claims requests and authorization details are the provider's. */
  const unusual = (token: Payload) =>
    token.jkt !== undefined ||
    token["x5t#S256"] !== undefined ||
    token.aud !== undefined ||
    token.rar !== undefined ||
    token.extra !== undefined ||
    Object.keys((token.claims as { userinfo?: object } | undefined)?.userinfo ?? {}).length > 0;

  const invalidToken = (): FastAnswer => ({
    status: 401,
    headers: {
      ...COMMON_HEADERS,
      "www-authenticate": `Bearer realm="${issuer}", error="invalid_token", error_description="invalid token provided"`,
    },
    body: { error: "invalid_token", error_description: "invalid token provided" },
  });

  /** `GET /oidc/me` with `Authorization: Bearer …` and nothing else. */
  async function userinfo(url: string, headers: IncomingHttpHeaders): Promise<FastAnswer | undefined> {
    const authorization = headers.authorization;
    if (url.includes("?") || headers.origin !== undefined || headers.dpop !== undefined) return undefined;
    if (headers["content-type"] !== undefined || headers["content-length"] !== undefined) return undefined;
    if (headers["transfer-encoding"] !== undefined || !authorization?.startsWith("Bearer ")) return undefined;
    const value = authorization.slice(7);
    if (!OPAQUE.test(value)) return undefined;

    const row = await deps.tokens.accessToken(hashToken(value));
    const token = live(row?.token);
    if (!row || !token || token.kind !== "AccessToken") return invalidToken();
    const scopes = new Set(typeof token.scope === "string" ? token.scope.split(" ") : []);
    if (!scopes.has("openid") || unusual(token)) return undefined;
    if (!(await boundToLiveSession(token, row))) return invalidToken();
    if (row.clientSecretHash === undefined || !row.user || row.user.id !== token.accountId) return invalidToken();
    const grant = validGrant(row.grant, token);
    if (!grant) return invalidToken();
    if (grant.rejected !== undefined) return undefined;

    // The grant's OpenID scopes that the token carries, in the grant's order (Grant#getOIDCScopeFiltered).
    const granted = String((grant.openid as { scope?: unknown } | undefined)?.scope ?? "").split(" ");
    const scope = granted.filter((s) => s !== "" && scopes.has(s)).join(" ");
    const available: Payload = {
      ...(await accountClaims(deps, row.user, scope, undefined, { grantId: String(token.grantId) })),
      sub: token.accountId,
    };
    // Only the claims of the granted scopes, and only those the person has (Claims#result).
    const body: Payload = {};
    for (const s of scope.split(" ")) {
      for (const claim of SCOPE_CLAIMS[s as keyof typeof SCOPE_CLAIMS] ?? []) {
        if (Object.hasOwn(available, claim)) body[claim] = available[claim];
      }
    }
    return { status: 200, headers: { ...COMMON_HEADERS }, body };
  }

  /** The client credentials of a form request (HTTP Basic xor form secret), as the provider decodes them. */
  function credentialsOf(form: Record<string, string>, authorization: string | undefined) {
    let clientId: string;
    let secret: string;
    if (authorization !== undefined) {
      if (form.client_secret !== undefined) return undefined;
      const [scheme, encoded, ...rest] = authorization.split(" ");
      if (scheme !== "Basic" || !encoded || rest.length > 0 || !/^[A-Za-z0-9+/]+={0,2}$/.test(encoded)) return undefined;
      const basic = Buffer.from(encoded, "base64").toString("utf8");
      const colon = basic.indexOf(":");
      if (colon <= 0) return undefined;
      try {
        clientId = decodeURIComponent(basic.slice(0, colon).replace(/\+/g, "%20"));
        secret = decodeURIComponent(basic.slice(colon + 1).replace(/\+/g, "%20"));
      } catch {
        return undefined;
      }
      if (form.client_id !== undefined && form.client_id !== clientId) return undefined;
    } else {
      if (form.client_id === undefined || form.client_secret === undefined) return undefined;
      clientId = form.client_id;
      secret = form.client_secret;
    }
    if (!VSCHAR.test(clientId) || !VSCHAR.test(secret)) return undefined;
    return { clientId, secret };
  }

  /** `POST /oidc/token/introspection` (RFC 7662) with its form body already read. */
  async function introspection(headers: IncomingHttpHeaders, rawBody: Buffer): Promise<FastAnswer | undefined> {
    if (headers.origin !== undefined || headers.dpop !== undefined) return undefined;
    if (headers["oauth-client-attestation"] !== undefined || headers["oauth-client-attestation-pop"] !== undefined) {
      return undefined;
    }
    if (!FORM.test(headers["content-type"] ?? "")) return undefined;
    const parsed = parseForm(rawBody.toString("utf8"));
    const form: Record<string, string> = {};
    for (const [key, value] of Object.entries(parsed)) {
      if (!INTROSPECTION_PARAMS.has(key) || typeof value !== "string" || value === "") return undefined;
      form[key] = value;
    }
    const value = form.token;
    if (value === undefined || !OPAQUE.test(value) || !HINTS.has(form.token_type_hint)) return undefined;
    const credentials = credentialsOf(form, headers.authorization);
    if (!credentials) return undefined;

    const row = await deps.tokens.anyToken(hashToken(value));
    // The caller authenticates first (a failure is the provider's to answer). The token's own
    // client came with the token; any other is read.
    const token = live(row?.token);
    const ownClient = row && token?.clientId === credentials.clientId;
    const secretHash = ownClient ? row.clientSecretHash : (await deps.tokens.client(credentials.clientId))?.secretHash;
    if (!secretHash || !deps.secretMatches(secretHash, credentials.secret)) return undefined;

    const inactive: FastAnswer = { status: 200, headers: { ...COMMON_HEADERS }, body: { active: false } };
    if (!row || !token || token.kind !== row.model) return inactive;
    if (unusual(token)) return undefined;
    // Found within the tolerance, but valid only until `exp` (BaseModel#isValid).
    if (typeof token.exp === "number" && token.exp <= epoch()) return inactive;
    if (token.consumed !== undefined && row.model === "RefreshToken") return inactive;
    if (!(await boundToLiveSession(token, row))) return inactive;
    if (token.grantId !== undefined && !validGrant(row.grant, token)) return inactive;
    // A client introspects only its own tokens (the provider's allowedPolicy, oidc-provider.ts).
    if (!ownClient) return inactive;
    const body: Payload = { active: true };
    if (token.accountId) body.sub = token.accountId;
    Object.assign(body, {
      client_id: token.clientId,
      exp: token.exp,
      iat: token.iat,
      sid: token.sid,
      iss: issuer,
      scope: token.scope || undefined,
      token_type: row.model === "AccessToken" ? "Bearer" : undefined,
    });
    for (const key of Object.keys(body)) if (body[key] === undefined) delete body[key];
    return { status: 200, headers: { ...COMMON_HEADERS }, body };
  }

  return { userinfo, introspection };
}

export type OidcFastPath = ReturnType<typeof createOidcFastPath>;
