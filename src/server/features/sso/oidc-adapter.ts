import type { Adapter, AdapterPayload } from "oidc-provider";
import { errors } from "oidc-provider";
import type { Clock } from "../../lib/clock.js";
import { hashToken } from "../../lib/crypto/hash-token.js";
import type { OidcStateRepo } from "./oidc-state.repo.js";

/*
 * The provider's storage on our database (`oidc_state`), so every node sees every code, token,
 * grant, interaction and provider session. Rows are keyed by the SHA-256 of the object's id:
 * an opaque token's id is the token itself. For bearer artifacts the id is left out of the stored
 * payload too, and put back from the caller's value on reading.
 */

/** Models whose id is a bearer secret (never stored). */
const SECRET_ID_MODELS = new Set([
  "AccessToken",
  "AuthorizationCode",
  "RefreshToken",
  "ClientCredentials",
  "DeviceCode",
  "BackchannelAuthenticationRequest",
]);

/** What the adapter asks of the rest of single sign-on. */
export interface OidcAdapterHooks {
  /** A client's metadata for the provider (clients live in `oidc_clients`). */
  clientMetadata(clientId: string): Promise<AdapterPayload | undefined>;
  /** The Profile Center session a provider Session being saved belongs to (from the current request). */
  sessionIdFor(payload: AdapterPayload): Promise<string | null>;
  /** A code was issued: who got it in which session. */
  codeIssued(payload: AdapterPayload): Promise<void>;
}

export function createOidcAdapterClass(state: OidcStateRepo, clock: Clock, hooks: OidcAdapterHooks) {
  return class OidcStateAdapter implements Adapter {
    constructor(private readonly model: string) {}

    async upsert(id: string, payload: AdapterPayload, expiresIn: number): Promise<void> {
      if (this.model === "Client") throw new Error("clients are registered by the operator only");
      const stored: AdapterPayload = { ...payload };
      if (SECRET_ID_MODELS.has(this.model)) delete stored.jti;
      const grantId = this.model === "Grant" ? id : (payload.grantId ?? null);
      await state.upsert(this.model, hashToken(id), JSON.stringify(stored), {
        grantId,
        // A token's row carries the uid of the provider session it is bound to, so the
        // resource server's calls read both in one statement (oidc-token-lookup.repo.ts).
        uid:
          payload.uid ?? (SECRET_ID_MODELS.has(this.model) && typeof payload.sessionUid === "string" ? payload.sessionUid : null),
        accountId: payload.accountId ?? null,
        clientId: payload.clientId ?? null,
        sessionId: this.model === "Session" ? await hooks.sessionIdFor(payload) : null,
        expiresAt: expiresIn ? clock.now() + expiresIn * 1000 : null,
      });
      if (this.model === "AuthorizationCode") await hooks.codeIssued(payload);
    }

    async find(id: string): Promise<AdapterPayload | undefined> {
      if (this.model === "Client") return hooks.clientMetadata(id);
      const row = await state.find(this.model, hashToken(id));
      return row ? this.revive(row, id) : undefined;
    }

    async findByUid(uid: string): Promise<AdapterPayload | undefined> {
      const row = await state.findByUid(this.model, uid);
      return row ? this.revive(row, undefined) : undefined;
    }

    findByUserCode(): Promise<AdapterPayload | undefined> {
      return Promise.resolve(undefined); // device flow is off
    }

    /**
     * Redemption is find → check → consume in the provider; the conditional update makes the
     * consume itself the one atomic step. The loser of a race (a code or refresh token used twice
     * at once, on one node or two) revokes the grant and fails.
     */
    async consume(id: string): Promise<void> {
      const idHash = hashToken(id);
      if (await state.consume(this.model, idHash, clock.now())) return;
      const row = await state.find(this.model, idHash);
      const grantId = row ? (JSON.parse(row.payload) as AdapterPayload).grantId : undefined;
      if (grantId) await state.revokeByGrantId(grantId);
      throw new errors.InvalidGrant("grant request is invalid");
    }

    async destroy(id: string): Promise<void> {
      await state.destroy(this.model, hashToken(id));
    }

    async revokeByGrantId(grantId: string): Promise<void> {
      await state.revokeByGrantId(grantId);
    }

    private revive(row: { payload: string; expiresAt: number | null; consumedAt: number | null }, id: string | undefined) {
      if (row.expiresAt !== null && Number(row.expiresAt) <= clock.now()) return undefined;
      const payload = JSON.parse(row.payload) as AdapterPayload;
      if (id !== undefined && SECRET_ID_MODELS.has(this.model)) payload.jti = id;
      if (row.consumedAt !== null) payload.consumed = Math.floor(Number(row.consumedAt) / 1000);
      return payload;
    }
  };
}
