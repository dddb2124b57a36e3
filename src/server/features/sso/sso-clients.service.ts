import { randomBytes, timingSafeEqual } from "node:crypto";
import type { AdapterPayload, KoaContextWithOIDC } from "oidc-provider";
import type { OidcClientsTable } from "../../db/schema.js";
import { hashToken, newToken } from "../../lib/crypto/hash-token.js";
import { ssoErrors } from "./sso.errors.js";
import type { SsoDeps } from "./sso.deps.js";
import { presentClient, type ClientView } from "./sso.presenters.js";

/** What the operator gives to register or change a client (contract: admin API, CLI). */
export interface ClientInput {
  name: string;
  redirectUris: string[];
  postLogoutRedirectUris?: string[] | undefined;
  backchannelLogoutUri?: string | null | undefined;
  public?: boolean | undefined;
  requireMfa?: boolean | undefined;
}

type ClientsDeps = Pick<SsoDeps, "db" | "oidcClients" | "oidcState" | "links" | "clock" | "myAccountPages">;

/** Exact URIs only: absolute http(s), no fragment (OAuth 2.1 §2.3.1; loopback and private hosts allowed). */
function checkUri(value: string, field: string): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw ssoErrors.invalidClient(field, "must be an absolute URL");
  }
  if (url.protocol !== "https:" && url.protocol !== "http:") throw ssoErrors.invalidClient(field, "must be http or https");
  if (url.hash) throw ssoErrors.invalidClient(field, "must not have a fragment");
  if (url.username || url.password) throw ssoErrors.invalidClient(field, "must not carry credentials");
  return value;
}

/**
 * The relying parties: registered, changed and deleted by the operator only (admin API, CLI);
 * secrets are shown once and stored as SHA-256. Also what the provider reads of them.
 */
export function createSsoClients(deps: ClientsDeps) {
  const { oidcClients } = deps;

  async function create(input: ClientInput): Promise<ClientView & { clientSecret?: string }> {
    const now = deps.clock.now();
    const secret = input.public ? undefined : newToken();
    const row: OidcClientsTable = {
      clientId: `pc-${randomBytes(12).toString("base64url")}`,
      name: input.name,
      secretHash: secret ? hashToken(secret) : null,
      redirectUris: JSON.stringify(input.redirectUris.map((u) => checkUri(u, "redirectUris"))),
      postLogoutRedirectUris: JSON.stringify(
        (input.postLogoutRedirectUris ?? []).map((u) => checkUri(u, "postLogoutRedirectUris")),
      ),
      backchannelLogoutUri: input.backchannelLogoutUri ? checkUri(input.backchannelLogoutUri, "backchannelLogoutUri") : null,
      isPublic: input.public ? 1 : 0,
      requireMfa: input.requireMfa ? 1 : 0,
      createdAt: now,
      updatedAt: now,
    };
    if (input.redirectUris.length === 0) throw ssoErrors.invalidClient("redirectUris", "at least one is required");
    await oidcClients.insert(row);
    return { ...presentClient(row), ...(secret ? { clientSecret: secret } : {}) };
  }

  async function list(): Promise<ClientView[]> {
    return (await oidcClients.list()).map(presentClient);
  }

  async function get(clientId: string): Promise<ClientView> {
    const row = await oidcClients.find(clientId);
    if (!row) throw ssoErrors.clientNotFound();
    return presentClient(row);
  }

  async function update(clientId: string, input: Partial<Omit<ClientInput, "public">>): Promise<ClientView> {
    const changes: Partial<OidcClientsTable> = { updatedAt: deps.clock.now() };
    if (input.name !== undefined) changes.name = input.name;
    if (input.redirectUris !== undefined) {
      if (input.redirectUris.length === 0) throw ssoErrors.invalidClient("redirectUris", "at least one is required");
      changes.redirectUris = JSON.stringify(input.redirectUris.map((u) => checkUri(u, "redirectUris")));
    }
    if (input.postLogoutRedirectUris !== undefined) {
      changes.postLogoutRedirectUris = JSON.stringify(
        input.postLogoutRedirectUris.map((u) => checkUri(u, "postLogoutRedirectUris")),
      );
    }
    if (input.backchannelLogoutUri !== undefined) {
      changes.backchannelLogoutUri = input.backchannelLogoutUri
        ? checkUri(input.backchannelLogoutUri, "backchannelLogoutUri")
        : null;
    }
    if (input.requireMfa !== undefined) changes.requireMfa = input.requireMfa ? 1 : 0;
    if (!(await oidcClients.update(clientId, changes))) throw ssoErrors.clientNotFound();
    return get(clientId);
  }

  /** Deletes the client with its grants and tokens (and connected-app rows, by foreign key). */
  async function remove(clientId: string): Promise<void> {
    await deps.db.transaction().execute(async (trx) => {
      if (!(await oidcClients.in(trx).delete(clientId))) throw ssoErrors.clientNotFound();
      await deps.oidcState.in(trx).deleteByClient(clientId);
      await deps.links.in(trx).deleteByClient(clientId);
    });
  }

  /** A new secret; the old one stops working at once. */
  async function rotateSecret(clientId: string): Promise<{ clientSecret: string }> {
    const row = await oidcClients.find(clientId);
    if (!row) throw ssoErrors.clientNotFound();
    if (row.isPublic) throw ssoErrors.publicClient();
    const secret = newToken();
    await oidcClients.update(clientId, { secretHash: hashToken(secret), updatedAt: deps.clock.now() });
    return { clientSecret: secret };
  }

  /**
   * The client as the provider reads it. A confidential client may authenticate with HTTP Basic
   * or in the form body: the method the request uses is the one described, so both work.
   */
  async function providerMetadata(clientId: string, ctx: KoaContextWithOIDC | undefined): Promise<AdapterPayload | undefined> {
    const row = await oidcClients.find(clientId);
    if (!row) return undefined;
    const basic = /^basic /i.test(ctx?.get("authorization") ?? "");
    return {
      client_id: row.clientId,
      client_name: row.name,
      ...(row.secretHash ? { client_secret: row.secretHash } : {}),
      redirect_uris: JSON.parse(row.redirectUris) as string[],
      post_logout_redirect_uris: JSON.parse(row.postLogoutRedirectUris) as string[],
      ...(row.backchannelLogoutUri ? { backchannel_logout_uri: row.backchannelLogoutUri } : {}),
      // Every ID token carries `sid` (the provider includes it only for clients that require it).
      backchannel_logout_session_required: true,
      require_auth_time: true,
      grant_types: ["authorization_code", "refresh_token"],
      response_types: ["code"],
      token_endpoint_auth_method: row.isPublic ? "none" : basic ? "client_secret_basic" : "client_secret_post",
      require_mfa: row.requireMfa === 1,
    };
  }

  /** Both sides are SHA-256 digests of one length: compared in constant time as they are. */
  function secretMatches(storedHash: string | undefined, presented: string): boolean {
    if (!storedHash) return false;
    const stored = Buffer.from(storedHash);
    const given = Buffer.from(hashToken(presented));
    return stored.length === given.length && timingSafeEqual(stored, given);
  }

  /** The person's membership policy in an account, or undefined when not a member. */
  async function accountPolicy(userId: string, accountId: string): Promise<string | undefined> {
    if (!/^[A-Z]{2}-\d{3}-\d{3}$/.test(accountId)) return undefined; // not an account id at all
    const rows = await deps.myAccountPages.readPage({ userId, limit: 100, q: accountId });
    return rows.find((r) => r.id === accountId)?.mfaPolicy;
  }

  return { create, list, get, update, remove, rotateSecret, providerMetadata, secretMatches, accountPolicy };
}

export type SsoClients = ReturnType<typeof createSsoClients>;
