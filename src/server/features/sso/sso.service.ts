import type Provider from "oidc-provider";
import type { AuthContext, RequestMeta } from "../../request-context.js";
import { createBackchannelLogout } from "./backchannel-logout.js";
import { createOidcFastPath } from "./oidc-fast-path.js";
import { createOidcKeys, type OidcKeySet } from "./oidc-keys.js";
import { createOidcProvider, TTL } from "./oidc-provider.js";
import { createSsoClients } from "./sso-clients.service.js";
import { createSsoInteractions } from "./sso-interactions.js";
import { ssoErrors } from "./sso.errors.js";
import type { SsoDeps } from "./sso.deps.js";
import { presentConnectedApp } from "./sso.presenters.js";
import type { ConnectedAppDto } from "../../../contracts/sso.js";

/** Finished logout queue entries are kept this long (for support), then pruned. */
const FINISHED_LOGOUT_KEEP_MS = 7 * 24 * 3_600_000;

/**
 * Single sign-on: Profile Center as the platform's OpenID Provider (docs/single-sign-on.md).
 * `start()` reads (or, at first start, makes) the keys and builds the provider; a node picks up a
 * rotated key set by `reloadKeysIfChanged()` (the jobs poll it).
 */
export function createSso(deps: SsoDeps) {
  const keys = createOidcKeys({
    clients: deps.oidcClients,
    encryptor: deps.encryptor,
    clock: deps.clock,
    // A replaced key stays published while an ID token it signed may still be checked.
    signedLifetimeMs: (TTL.idToken + 300) * 1000,
  });
  const clients = createSsoClients(deps);
  let current: { provider: Provider; version: string } | undefined;

  const provider = (): Provider => {
    if (!current) throw new Error("single sign-on is not started (sso.start())");
    return current.provider;
  };
  const logout = createBackchannelLogout(deps, () => current?.provider);

  function build(keySet: OidcKeySet): void {
    current = {
      version: keySet.version,
      provider: createOidcProvider(deps, keySet, { clients, codeIssued, signedOut }),
    };
  }

  async function start(): Promise<void> {
    if (!current) build(await keys.load());
  }

  /** Rebuilds the provider when the stored key set changed (a rotation by the CLI or another node). */
  async function reloadKeysIfChanged(): Promise<boolean> {
    const keySet = await keys.load();
    if (current?.version === keySet.version) return false;
    build(keySet);
    return true;
  }

  async function rotateSigningKey() {
    const rotated = await keys.rotateSigningKey();
    if (current) await reloadKeysIfChanged();
    return rotated;
  }

  /** A code was issued in a Profile Center session: the link (logout, Sessions page), the app, the event. */
  async function codeIssued(
    payload: Record<string, unknown>,
    auth: AuthContext | undefined,
    account: string | undefined,
    meta: { ip: string | null; userAgent: string | null },
  ) {
    const userId = String(payload.accountId);
    const clientId = String(payload.clientId);
    const sessionId =
      auth?.user.id === userId ? auth.session.id : await deps.oidcState.sessionIdOfUid(String(payload.sessionUid));
    if (!sessionId) return;
    const now = deps.clock.now();
    const activeAccountId = account ?? (auth?.session.id === sessionId ? auth.session.activeAccountId : null);
    await deps.db.transaction().execute(async (trx) => {
      await deps.links.in(trx).link({
        sessionId,
        clientId,
        userId,
        sid: String(payload.sid),
        grantId: String(payload.grantId),
        activeAccountId,
        createdAt: now,
      });
      await deps.links.in(trx).touchApp({
        userId,
        clientId,
        scopes: String(payload.scope ?? ""),
        firstAuthorizedAt: now,
        lastUsedAt: now,
      });
      if (account !== undefined) await deps.sessionRows.in(trx).setActiveAccount(sessionId, account);
      await deps.events.recordEvent(trx, {
        type: "app_signed_in",
        userId,
        details: { clientId, scope: String(payload.scope ?? "") },
        meta: { ...meta, sessionId },
      });
    });
  }

  /** RP-initiated logout that the person confirmed: the Profile Center session ends (`signed_out`). */
  async function signedOut(auth: AuthContext, meta: { ip: string | null; userAgent: string | null }): Promise<void> {
    await deps.db.transaction().execute(async (trx) => {
      const ended = await deps.endSession(trx, auth.session.id, "signed_out");
      if (ended) {
        await deps.events.recordEvent(trx, {
          type: "authn_logout",
          userId: auth.user.id,
          details: { via: "single_sign_on" },
          meta: { ...meta, sessionId: auth.session.id },
        });
      }
    });
    void logout.tick().catch((e: unknown) => deps.logger.warn({ err: (e as Error).message }, "back-channel logout sweep failed"));
  }

  /** `GET /me/apps`. */
  async function listApps(userId: string): Promise<ConnectedAppDto[]> {
    return (await deps.links.listApps(userId)).map(presentConnectedApp);
  }

  /** `DELETE /me/apps/{clientId}`: grants and tokens revoked, the app's sessions logged out over the back channel. */
  async function disconnectApp(auth: AuthContext, clientId: string, meta: RequestMeta): Promise<void> {
    await deps.db.transaction().execute(async (trx) => {
      if (!(await deps.links.in(trx).deleteApp(auth.user.id, clientId))) throw ssoErrors.appNotFound();
      const client = await deps.oidcClients.in(trx).find(clientId);
      const now = deps.clock.now();
      for (const link of await deps.links.in(trx).liveLinksOf(auth.user.id, clientId)) {
        await deps.links.in(trx).markEnded(link.sessionId, clientId, Boolean(client?.backchannelLogoutUri), now);
        await deps.oidcState.in(trx).revokeByGrantId(link.grantId);
      }
      for (const grantId of await deps.oidcState.in(trx).grantIdsOf(auth.user.id, clientId)) {
        await deps.oidcState.in(trx).revokeByGrantId(grantId);
      }
      await deps.events.recordEvent(trx, {
        type: "app_disconnected",
        userId: auth.user.id,
        details: { clientId, name: client?.name ?? null },
        meta,
      });
    });
    void logout.tick().catch((e: unknown) => deps.logger.warn({ err: (e as Error).message }, "back-channel logout sweep failed"));
  }

  /**
   * `POST /sso/step-up`: the code step an app's request asked for, in a session signed in with
   * the password only. The session counts as MFA-verified from now on, on a new token (C2).
   */
  async function stepUp(auth: AuthContext, code: string, meta: RequestMeta): Promise<string> {
    const result = await deps.verifySecondFactor(auth.user.id, code, meta);
    if (!result.ok) throw ssoErrors.invalidCode();
    return deps.rotateSession(deps.db, auth.session.id, { authenticated: true, mfaVerified: true, methods: ["otp", "mfa"] });
  }

  /** Expired provider state, finished logouts and retired keys (the hourly pruning). */
  async function prune(): Promise<number> {
    const now = deps.clock.now();
    let total = 0;
    for (;;) {
      const n = await deps.oidcState.deleteExpired(now, 1000);
      total += n;
      if (n < 1000) break;
    }
    for (;;) {
      const n = await deps.links.deleteFinishedBefore(now - FINISHED_LOGOUT_KEEP_MS, 1000);
      total += n;
      if (n < 1000) break;
    }
    await deps.oidcClients.deleteRetiredKeys(now);
    return total;
  }

  const interactions = createSsoInteractions(deps, provider, clients);
  const fastPath = createOidcFastPath({ ...deps, tokens: deps.oidcTokens, secretMatches: clients.secretMatches });

  return {
    start,
    provider,
    reloadKeysIfChanged,
    rotateSigningKey,
    clients,
    interactions,
    fastPath,
    logout,
    listApps,
    disconnectApp,
    stepUp,
    prune,
  };
}

export type Sso = ReturnType<typeof createSso>;
