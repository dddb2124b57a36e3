import type * as z from "zod";
import type { deleteMeSchema } from "../../../../contracts/security.js";
import type { RecentAuth } from "../../../http/require-recent-auth.js";
import type { CoreServices } from "../../../services.js";
import { findSoleAdminAccounts } from "../../accounts/membership-queries.js";
import type { RequestMeta } from "../../activity/event-recorder.js";
import type { AuthContext } from "../../sessions/session-store.js";
import { accountDeletedMail } from "../security.mails.js";
import { deletionErrors } from "./deletion.errors.js";
import * as repo from "./deletion.repo.js";
import { pseudonymousUserId } from "./pseudonym.js";

export type DeleteMeInput = z.output<typeof deleteMeSchema>;

export type DeletionServiceDeps = Pick<CoreServices, "db" | "clock" | "config" | "events" | "mailer" | "sessions" | "logger"> & {
  recentAuth: RecentAuth;
};

/** "Delete my account" (checklist C8, C11, J3). */
export function createDeletionService(deps: DeletionServiceDeps) {
  const { db, clock, config, events, mailer, sessions, recentAuth, logger } = deps;
  const serverKey = config.encryptionKeys[0]?.key;

  /** Guards in order of cost: the typed email, the last-administrator rule, then password (+ code). */
  async function checkRequest(auth: AuthContext, input: DeleteMeInput, meta: RequestMeta): Promise<void> {
    if (input.confirmEmail.trim().toLowerCase() !== auth.user.email) throw deletionErrors.emailMismatch();
    const sole = await findSoleAdminAccounts(db, auth.user.id);
    if (sole.length > 0) throw deletionErrors.soleAdmin(sole);
    if (auth.mfaEnabled && !input.code) throw deletionErrors.codeRequired();
    // Always the password (and code), whatever the session's age: the most destructive action (C11).
    await recentAuth.verifyCredentials(auth, { password: input.password, code: input.code }, meta);
  }

  /**
   * Deletes the person in ONE transaction: every session ends (`account_deleted`), their events
   * move to a pseudonymous id, a confirmation is queued to the old address, and the user row
   * goes, with everything hanging off it by foreign key. A session validated by any node after
   * the commit finds no user and answers 401 (C8).
   */
  async function deleteMe(auth: AuthContext, input: DeleteMeInput, meta: RequestMeta): Promise<void> {
    await checkRequest(auth, input, meta);
    const { user } = auth;
    if (!serverKey) throw new Error("no encryption key configured");
    const pseudonym = pseudonymousUserId(user.id, serverKey);
    const at = clock.now();
    await db.transaction().execute(async (trx) => {
      const sole = await findSoleAdminAccounts(trx, user.id);
      if (sole.length > 0) throw deletionErrors.soleAdmin(sole);
      const sessionsEnded = await sessions.endUserSessions(trx, user.id, "account_deleted");
      await repo.pseudonymizeEvents(trx, user.id, pseudonym);
      await events.recordEvent(trx, { type: "user_deleted", userId: pseudonym, details: { sessionsEnded }, meta });
      await repo.forgetSentMailAddress(trx, user.email);
      await mailer.enqueueMail(trx, accountDeletedMail(user, { at, ip: meta.ip, publicUrl: config.publicUrl }));
      await repo.deleteThrottles(trx, [`totp:${user.id}`]);
      await repo.deleteUser(trx, user.id);
    });
    mailer.deliverDueMail().catch((error: unknown) => logger.warn({ err: error }, "mail delivery run failed"));
  }

  /** `GET /me/deletion`: the accounts that would refuse the deletion (the person is their only administrator). */
  async function checkDeletion(auth: AuthContext): Promise<{ soleAdminOf: Array<{ id: string; name: string }> }> {
    return { soleAdminOf: await findSoleAdminAccounts(db, auth.user.id) };
  }

  return { deleteMe, checkDeletion };
}

export type DeletionService = ReturnType<typeof createDeletionService>;
