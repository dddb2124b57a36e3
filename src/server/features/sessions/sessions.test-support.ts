import type { TestApp } from "@test/create-test-app.js";
import { insertUser, openSession } from "@test/factories.js";
import type { TestClient } from "@test/test-client.js";
import type { EndReason } from "../../../contracts/sessions.js";
import type { Executor } from "../../db/schema.js";
import { createUsersRepo } from "../users/users.repo.js";
import { createSessionCuts, type SessionCutsDeps } from "./session-cuts.js";
import { createSessionsRepo } from "./sessions.repo.js";

/** The cuts' own mechanism on the app's clock, over `db` (the app's database, or one wrapped to fail). */
export function sessionCutsOn(t: TestApp, db: Executor = t.app.services.db, logger?: SessionCutsDeps["logger"]) {
  return createSessionCuts({
    sessions: createSessionsRepo(db, t.database.prepareHot),
    users: createUsersRepo(db),
    clock: t.clock,
    logger,
  });
}

/** A sessions page as the API answers it. */
export interface SessionsBody {
  items: Array<Record<string, unknown> & { id: string; current: boolean; endReason: string | null }>;
  nextCursor: string | null;
}

/** `GET /me/sessions` as JSON. */
export async function listSessions(client: TestClient, query = "") {
  const response = await client.get(`/api/v1/me/sessions${query}`);
  return { status: response.statusCode, body: response.json() as SessionsBody, raw: response.body };
}

/** A session of the person still waiting for its MFA code (no IP, no user agent), from the session engine. */
export function openPendingSession(t: TestApp, userId: string) {
  return t.app.services.sessions.createSession(t.app.services.db, { userId, ip: null, userAgent: null, mfaPending: true });
}

/**
 * A cut in its own transaction, without the background settling the session engine starts
 * (`endUserSessions`): the cuts' own mechanism, on the app's database and clock.
 */
export function cutWithoutSettling(t: TestApp, userId: string, reason: EndReason, keep?: string): Promise<number> {
  const cuts = sessionCutsOn(t);
  return t.app.services.db.transaction().execute((trx) => cuts.cut(trx, userId, reason, keep));
}

/** A new person with two sessions, one of them cut ("revoked") and not yet marked ended: as after a crash right after the commit. */
export async function personWithPendingCut(t: TestApp) {
  const user = await insertUser(t);
  const kept = await openSession(t, user.id);
  await openSession(t, user.id);
  await cutWithoutSettling(t, user.id, "revoked", kept.session.id);
  return user;
}

/** The person's pending cut, as `users` holds it. */
export function pendingCutOf(t: TestApp, userId: string) {
  return t.app.services.db
    .selectFrom("users")
    .select(["unsettledCutAt", "unsettledCutReason"])
    .where("id", "=", userId)
    .executeTakeFirstOrThrow();
}

/**
 * The app's database, refusing to mark sessions ended: every UPDATE of `sessions` (a failing disk
 * or lock), or only those naming the person `onlyFor` (bad data, a broken row). Counts its refusals.
 */
export function refusingSessionWrites(t: TestApp, onlyFor?: string) {
  let refusals = 0;
  const db = t.app.services.db.withPlugin({
    transformQuery: (args) => {
      const node = args.node as { kind: string; table?: { table?: { identifier?: { name?: string } } } };
      const isSessionsUpdate = node.kind === "UpdateQueryNode" && node.table?.table?.identifier?.name === "sessions";
      if (isSessionsUpdate && (onlyFor === undefined || JSON.stringify(node).includes(onlyFor))) {
        refusals++;
        throw new Error("refused");
      }
      return args.node;
    },
    transformResult: async (args) => args.result,
  });
  return { db, refusals: () => refusals };
}
