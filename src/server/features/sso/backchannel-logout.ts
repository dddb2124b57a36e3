import { randomBytes } from "node:crypto";
import type Provider from "oidc-provider";
import type { SsoDeps } from "./sso.deps.js";

/*
 * Back-channel logout (OpenID Back-Channel Logout 1.0) for every way a Profile Center session
 * ends. The trigger is the session's state, not the code path that ended it: a sweep finds the
 * clients that got a code in a session that is now ended, cut (a generation behind its person's:
 * sign out everywhere else, password or MFA change, reset, deletion, an operator's disabling),
 * idle or past its absolute end, or gone with its person. Each such link is queued once
 * (compare-and-set on its state, so one node queues it), its grant is revoked (refresh and access
 * tokens stop working), and a logout token is POSTed to the client's URI, retried with back-off
 * until a 200/204 (a 4xx other than 408/429 is final). Delivery is claimed per attempt, so one
 * node sends each attempt. URIs are the operator's own: loopback and private addresses included.
 */

/** Waits after the 1st, 2nd, … failed attempt; after the last one the entry is given up. */
export const LOGOUT_RETRY_DELAYS_MS = [2_000, 10_000, 30_000, 120_000, 600_000, 1_800_000, 3_600_000];
/** How long one attempt may take before it counts as failed. */
const ATTEMPT_TIMEOUT_MS = 5_000;
/** A claimed attempt that never reports (its node died) is tried again after this. */
const CLAIM_LEASE_MS = 30_000;

type LogoutDeps = Pick<
  SsoDeps,
  "db" | "clock" | "logger" | "links" | "oidcState" | "oidcClients" | "idleMs" | "endSession" | "countLogoutDelivery"
>;

export function createBackchannelLogout(deps: LogoutDeps, provider: () => Provider | undefined) {
  const { links, clock } = deps;

  /** Queues the logouts of sessions that ended since the last sweep; returns how many links it saw. */
  async function queueEnded(limit = 200): Promise<number> {
    const now = clock.now();
    const ended = await links.findEnded(now, deps.idleMs, limit);
    for (const link of ended) {
      await deps.db.transaction().execute(async (trx) => {
        // Expiry is lazy elsewhere: a session with apps is marked expired here, at its real end.
        if (link.expiredAt !== null) await deps.endSession(trx, link.sessionId, "expired", link.expiredAt);
        const client = await deps.oidcClients.in(trx).find(link.clientId);
        const queued = await links.in(trx).markEnded(link.sessionId, link.clientId, Boolean(client?.backchannelLogoutUri), now);
        if (queued) await deps.oidcState.in(trx).revokeByGrantId(link.grantId);
      });
    }
    return ended.length;
  }

  /** The signed logout token: `typ: logout+jwt`, iss, aud, iat, exp, jti, events, sub, sid (no nonce). */
  async function logoutToken(op: Provider, client: InstanceType<Provider["Client"]>, sub: string, sid: string): Promise<string> {
    const IdToken = op.IdToken as unknown as new (
      claims: Record<string, unknown>,
      options: { client: unknown; ctx: undefined },
    ) => { mask: unknown; set(key: string, value: unknown): void; issue(options: { use: string }): Promise<string> };
    const token = new IdToken({ sub }, { client, ctx: undefined });
    token.mask = { sub: null };
    token.set("events", { "http://schemas.openid.net/event/backchannel-logout": {} });
    token.set("jti", randomBytes(16).toString("base64url"));
    token.set("sid", sid);
    return token.issue({ use: "logout" });
  }

  /** Sends the due logouts (one attempt each); returns how many were delivered. */
  async function deliverDue(limit = 50): Promise<number> {
    const op = provider();
    if (!op) return 0;
    const now = clock.now();
    let delivered = 0;
    for (const due of await links.listDue(now, limit)) {
      if (!(await links.claim(due, now + CLAIM_LEASE_MS))) continue; // another node has it
      const client = await op.Client.find(due.clientId);
      const uri = client?.backchannelLogoutUri;
      if (!client || !uri) {
        await links.markAttemptFailed(due.sessionId, due.clientId, {
          failed: true,
          error: "client or its logout URI is gone",
          nextAttemptAt: now,
        });
        continue;
      }
      let error: string;
      let final = false;
      try {
        const response = await fetch(uri, {
          method: "POST",
          redirect: "manual",
          headers: { "content-type": "application/x-www-form-urlencoded" },
          body: new URLSearchParams({ logout_token: await logoutToken(op, client, due.userId, due.sid) }),
          signal: AbortSignal.timeout(ATTEMPT_TIMEOUT_MS),
        });
        await response.body?.cancel();
        if (response.status === 200 || response.status === 204) {
          await links.markDelivered(due.sessionId, due.clientId, clock.now());
          deps.countLogoutDelivery?.("delivered");
          delivered++;
          continue;
        }
        error = `HTTP ${response.status}`;
        final = response.status >= 400 && response.status < 500 && response.status !== 408 && response.status !== 429;
      } catch (e) {
        error = e instanceof Error ? e.message : String(e);
      }
      const wait = LOGOUT_RETRY_DELAYS_MS[due.attempts];
      const failed = final || wait === undefined;
      await links.markAttemptFailed(due.sessionId, due.clientId, { failed, error, nextAttemptAt: clock.now() + (wait ?? 0) });
      deps.countLogoutDelivery?.("failed");
      deps.logger.warn(
        { clientId: due.clientId, attempt: due.attempts + 1, err: error, givenUp: failed },
        "back-channel logout failed",
      );
    }
    return delivered;
  }

  let running: Promise<void> | undefined;
  let again = false;
  /** One sweep: queue what ended, send what is due. Concurrent calls on a node coalesce. */
  function tick(): Promise<void> {
    if (running) {
      again = true;
      return running;
    }
    running = (async () => {
      try {
        do {
          again = false;
          await queueEnded();
          await deliverDue();
        } while (again);
      } finally {
        running = undefined;
      }
    })();
    return running;
  }

  /** Resolves once no sweep runs on this node (shutdown, tests). */
  async function idle(): Promise<void> {
    while (running) await running.catch(() => undefined);
  }

  return { queueEnded, deliverDue, tick, idle };
}

export type BackchannelLogout = ReturnType<typeof createBackchannelLogout>;
