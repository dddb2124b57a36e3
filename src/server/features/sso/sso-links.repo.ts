import { sql } from "kysely";
import { defineRepo } from "../../db/repo.js";
import type { Executor, SsoAppsTable, SsoSessionClientsTable } from "../../db/schema.js";

/** A logout due to a client: the ended session's link, as the delivery worker reads it. */
export type DueLogout = Pick<SsoSessionClientsTable, "sessionId" | "clientId" | "userId" | "sid" | "attempts">;

/** A live link whose Profile Center session has ended (or was cut, or expired, or is gone). */
export interface EndedLink {
  sessionId: string;
  clientId: string;
  grantId: string;
  /** Set when the session ran out (idle or absolute) without being marked ended yet. */
  expiredAt: number | null;
}

/**
 * `sso_session_clients` (which clients got a code in which Profile Center session, then the
 * back-channel logout queue) and `sso_apps` (a person's connected apps).
 */
function ssoLinksStatements(ex: Executor) {
  return {
    /** Records that the client got a code in the session (again: keeps the first sid, updates grant). */
    async link(
      row: Omit<SsoSessionClientsTable, "state" | "attempts" | "nextAttemptAt" | "endedAt" | "deliveredAt" | "lastError">,
    ) {
      await ex
        .insertInto("ssoSessionClients")
        .values({ ...row, state: "live", attempts: 0, nextAttemptAt: null, endedAt: null, deliveredAt: null, lastError: null })
        .onConflict((oc) =>
          oc.columns(["sessionId", "clientId"]).doUpdateSet({
            grantId: row.grantId,
            sid: row.sid,
            activeAccountId: row.activeAccountId,
          }),
        )
        .execute();
    },

    /** The link a grant was issued under (claims: active account). */
    findByGrant(grantId: string): Promise<Pick<SsoSessionClientsTable, "sessionId" | "activeAccountId" | "state"> | undefined> {
      return ex
        .selectFrom("ssoSessionClients")
        .select(["sessionId", "activeAccountId", "state"])
        .where("grantId", "=", grantId)
        .executeTakeFirst();
    },

    /**
     * Live links whose session no longer lets anyone in: marked ended, cut (generation behind its
     * person's), past its absolute or idle end, or deleted with its person. Reads state, not who
     * ended the session, so every way a session ends is seen, including ones added later.
     */
    async findEnded(now: number, idleMs: number, limit: number): Promise<EndedLink[]> {
      const rows = await ex
        .selectFrom("ssoSessionClients as sc")
        .leftJoin("sessions as s", "s.id", "sc.sessionId")
        .leftJoin("users as u", "u.id", "s.userId")
        .select([
          "sc.sessionId",
          "sc.clientId",
          "sc.grantId",
          "s.endedAt",
          "s.expiresAt",
          "s.lastSeenAt",
          "s.generation",
          "u.sessionGeneration",
        ])
        .where("sc.state", "=", "live")
        .where((eb) =>
          eb.or([
            eb("s.id", "is", null),
            eb("u.id", "is", null),
            eb("s.endedAt", "is not", null),
            eb("s.generation", "!=", eb.ref("u.sessionGeneration")),
            eb("s.expiresAt", "<=", now),
            eb("s.lastSeenAt", "<=", now - idleMs),
          ]),
        )
        .limit(limit)
        .execute();
      return rows.map((r) => {
        const runOut =
          r.endedAt === null && r.expiresAt !== null && r.lastSeenAt !== null && r.generation === r.sessionGeneration;
        return {
          sessionId: r.sessionId,
          clientId: r.clientId,
          grantId: r.grantId,
          expiredAt: runOut ? Math.min(Number(r.expiresAt), Number(r.lastSeenAt) + idleMs) : null,
        };
      });
    },

    /**
     * Moves a live link to the queue (`pending`, or `none` without a logout URI); false when
     * another node (or call) already did, so each ended link is queued once.
     */
    async markEnded(sessionId: string, clientId: string, deliver: boolean, now: number): Promise<boolean> {
      const result = await ex
        .updateTable("ssoSessionClients")
        .set({ state: deliver ? "pending" : "none", endedAt: now, nextAttemptAt: deliver ? now : null })
        .where("sessionId", "=", sessionId)
        .where("clientId", "=", clientId)
        .where("state", "=", "live")
        .executeTakeFirst();
      return Number(result.numUpdatedRows) === 1;
    },

    /** Logouts whose next attempt is due, oldest first. */
    listDue(now: number, limit: number): Promise<DueLogout[]> {
      return ex
        .selectFrom("ssoSessionClients")
        .select(["sessionId", "clientId", "userId", "sid", "attempts"])
        .where("state", "=", "pending")
        .where("nextAttemptAt", "<=", now)
        .orderBy("nextAttemptAt")
        .limit(limit)
        .execute();
    },

    /** Claims a due logout for one attempt (compare-and-set on its attempt count): one node sends it. */
    async claim(due: DueLogout, retryAt: number): Promise<boolean> {
      const result = await ex
        .updateTable("ssoSessionClients")
        .set({ attempts: due.attempts + 1, nextAttemptAt: retryAt })
        .where("sessionId", "=", due.sessionId)
        .where("clientId", "=", due.clientId)
        .where("state", "=", "pending")
        .where("attempts", "=", due.attempts)
        .executeTakeFirst();
      return Number(result.numUpdatedRows) === 1;
    },

    async markDelivered(sessionId: string, clientId: string, at: number): Promise<void> {
      await ex
        .updateTable("ssoSessionClients")
        .set({ state: "sent", deliveredAt: at, lastError: null, nextAttemptAt: null })
        .where("sessionId", "=", sessionId)
        .where("clientId", "=", clientId)
        .execute();
    },

    async markAttemptFailed(
      sessionId: string,
      clientId: string,
      outcome: { failed: boolean; error: string; nextAttemptAt: number },
    ) {
      await ex
        .updateTable("ssoSessionClients")
        .set({
          state: outcome.failed ? "failed" : "pending",
          lastError: outcome.error.slice(0, 500),
          nextAttemptAt: outcome.failed ? null : outcome.nextAttemptAt,
        })
        .where("sessionId", "=", sessionId)
        .where("clientId", "=", clientId)
        .execute();
    },

    /** The person's live links to a client (Disconnect logs them out). */
    liveLinksOf(userId: string, clientId: string): Promise<Array<Pick<SsoSessionClientsTable, "sessionId" | "grantId">>> {
      return ex
        .selectFrom("ssoSessionClients")
        .select(["sessionId", "grantId"])
        .where("userId", "=", userId)
        .where("clientId", "=", clientId)
        .where("state", "=", "live")
        .execute();
    },

    /** Every link of the person (the export): which app signed in through which session, oldest first. */
    listLinksOfUser(userId: string): Promise<Array<SsoSessionClientsTable & { name: string | null }>> {
      return ex
        .selectFrom("ssoSessionClients as sc")
        .leftJoin("oidcClients as c", "c.clientId", "sc.clientId")
        .selectAll("sc")
        .select("c.name")
        .where("sc.userId", "=", userId)
        .orderBy("sc.createdAt")
        .orderBy("sc.clientId")
        .execute();
    },

    /** A client deleted by the operator: its links go (nothing more to deliver to it). */
    async deleteByClient(clientId: string): Promise<void> {
      await ex.deleteFrom("ssoSessionClients").where("clientId", "=", clientId).execute();
    },

    /** Finished queue entries older than `cutoff` (the hourly pruning). */
    async deleteFinishedBefore(cutoff: number, limit: number): Promise<number> {
      const batch = ex
        .selectFrom("ssoSessionClients")
        .select(sql<string>`session_id || ' ' || client_id`.as("k"))
        .where("state", "in", ["sent", "failed", "none"])
        .where("endedAt", "<", cutoff)
        .limit(limit);
      const result = await ex
        .deleteFrom("ssoSessionClients")
        .where(sql<string>`session_id || ' ' || client_id`, "in", batch)
        .executeTakeFirst();
      return Number(result.numDeletedRows);
    },

    /** Records that the person used the app (a code issued): first and last use, scopes. */
    async touchApp(row: SsoAppsTable): Promise<void> {
      await ex
        .insertInto("ssoApps")
        .values(row)
        .onConflict((oc) => oc.columns(["userId", "clientId"]).doUpdateSet({ scopes: row.scopes, lastUsedAt: row.lastUsedAt }))
        .execute();
    },

    /** The person's connected apps, most recently used first. */
    listApps(userId: string): Promise<Array<SsoAppsTable & { name: string }>> {
      return ex
        .selectFrom("ssoApps as a")
        .innerJoin("oidcClients as c", "c.clientId", "a.clientId")
        .select(["a.userId", "a.clientId", "a.scopes", "a.firstAuthorizedAt", "a.lastUsedAt", "c.name"])
        .where("a.userId", "=", userId)
        .orderBy("a.lastUsedAt", "desc")
        .execute();
    },

    async deleteApp(userId: string, clientId: string): Promise<boolean> {
      const result = await ex
        .deleteFrom("ssoApps")
        .where("userId", "=", userId)
        .where("clientId", "=", clientId)
        .executeTakeFirst();
      return Number(result.numDeletedRows) === 1;
    },
  };
}

export const createSsoLinksRepo = defineRepo(ssoLinksStatements);
export type SsoLinksRepo = ReturnType<typeof createSsoLinksRepo>;
