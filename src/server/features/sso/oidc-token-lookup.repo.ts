import type { PrepareHotQuery, RowValues } from "../../db/hot-query.js";
import type { UsersTable } from "../../db/schema.js";

/*
 * The reads of a resource server's calls (userinfo, introspection), as prepared statements
 * (db/hot-query.ts): an opaque token by the hash of its value with, in the same row, its grant,
 * the provider session it is bound to, its client's secret hash and its person's claim columns;
 * a provider session by uid and a client's credentials for the other cases. The provider itself reads the same rows through its
 * adapter (oidc-adapter.ts), one object at a time.
 */

/** The person's columns that claims are made of (oidc-claims.ts). */
export type ClaimsUser = Pick<
  UsersTable,
  "id" | "email" | "firstName" | "lastName" | "phone" | "locale" | "timezone" | "updatedAt"
>;

/** A stored provider object: its payload and lifetime columns (as the adapter stores them). */
export interface StoredObject {
  payload: string;
  expiresAt: number | null;
  consumedAt: number | null;
}

export interface TokenRow {
  model: "AccessToken" | "RefreshToken";
  token: StoredObject;
  /** The token's grant (the `Grant` row whose id is the token's `grant_id`). */
  grant: StoredObject | undefined;
  /** The provider session uid stored with the token (rows written before it was stored have none). */
  sessionUid: string | null;
  /** That provider session, when it still exists. */
  session: StoredObject | undefined;
  /** The client's secret hash (null for a public client); undefined once the operator deleted it. */
  clientSecretHash: string | null | undefined;
  /** Undefined once the person is gone (and when not read). */
  user: ClaimsUser | undefined;
}

export interface ClientCredentials {
  clientId: string;
  secretHash: string | null;
}

const num = (v: unknown): number | null => (v === null || v === undefined ? null : Number(v));

const stored = (v: RowValues, at: number): StoredObject | undefined =>
  v[at] === null ? undefined : { payload: v[at] as string, expiresAt: num(v[at + 1]), consumedAt: num(v[at + 2]) };

const decodeToken = (v: RowValues): TokenRow => ({
  model: v[0] as TokenRow["model"],
  token: stored(v, 1)!,
  grant: stored(v, 4),
  sessionUid: v[7] as string | null,
  session: stored(v, 8),
  clientSecretHash: v[11] === null ? undefined : (v[12] as string | null),
  user:
    v[13] === null || v[13] === undefined
      ? undefined
      : {
          id: v[13] as string,
          email: v[14] as string,
          firstName: v[15] as string,
          lastName: v[16] as string,
          phone: v[17] as string | null,
          locale: v[18] as string,
          timezone: v[19] as string,
          updatedAt: Number(v[20]),
        },
});

/**
 * Parameters: the two models looked for (the same one twice for one model), the token's hash.
 * Userinfo reads the person's columns with it; introspection has no use for them.
 */
const tokenSql = (withUser: boolean) => `select t.model, t.payload, t.expires_at, t.consumed_at,
       g.payload, g.expires_at, g.consumed_at,
       t.uid, s.payload, s.expires_at, s.consumed_at,
       c.client_id, c.secret_hash${
         withUser ? ",\n       u.id, u.email, u.first_name, u.last_name, u.phone, u.locale, u.timezone, u.updated_at" : ""
       }
  from oidc_state t
  left join oidc_state g on g.grant_id = t.grant_id and g.model = 'Grant'
  left join oidc_state s on s.uid = t.uid and s.model = 'Session'
  left join oidc_clients c on c.client_id = t.client_id${withUser ? "\n  left join users u on u.id = t.account_id" : ""}
 where t.model in (?, ?) and t.id_hash = ?`;

export function createOidcTokenLookup(prepareHot: PrepareHotQuery) {
  const withUser = prepareHot("oidc_token_with_user_v1", tokenSql(true), decodeToken);
  const withoutUser = prepareHot("oidc_token_v1", tokenSql(false), decodeToken);
  const session = prepareHot(
    "oidc_session_by_uid_v1",
    "select payload, expires_at, consumed_at from oidc_state where model = 'Session' and uid = ?",
    (v): StoredObject => ({ payload: v[0] as string, expiresAt: num(v[1]), consumedAt: num(v[2]) }),
  );
  const client = prepareHot(
    "oidc_client_credentials_v1",
    "select client_id, secret_hash from oidc_clients where client_id = ?",
    (v): ClientCredentials => ({ clientId: v[0] as string, secretHash: v[1] as string | null }),
  );

  return {
    /** An access token by the hash of its value, with its person (userinfo). */
    async accessToken(idHash: string): Promise<TokenRow | undefined> {
      return (await withUser(["AccessToken", "AccessToken", idHash]))[0];
    },
    /** An access or refresh token by the hash of its value (introspection; no person). */
    async anyToken(idHash: string): Promise<TokenRow | undefined> {
      return (await withoutUser(["AccessToken", "RefreshToken", idHash]))[0];
    },
    /** The provider session with this uid. */
    async session(uid: string): Promise<StoredObject | undefined> {
      return (await session([uid]))[0];
    },
    /** A client's id and secret hash (null for a public client). */
    async client(clientId: string): Promise<ClientCredentials | undefined> {
      return (await client([clientId]))[0];
    },
  };
}

export type OidcTokenLookup = ReturnType<typeof createOidcTokenLookup>;
