import type { FastifyBaseLogger } from "fastify";
import type { Kysely } from "kysely";
import type { ResolvedConfig } from "../../../config.js";
import type { Database, Executor, UsersTable } from "../../../db/schema.js";
import type { Clock } from "../../../lib/clock.js";
import type { Mailer } from "../../mail/mailer.js";
import type { EventRecorder } from "../../activity/event-recorder.js";
import type { SessionStore } from "../../sessions/session-store.js";
import type * as z from "zod";
import type { deleteMeSchema } from "../../../../contracts/security.js";
import type { RecentAuth } from "../../auth/recent-auth.js";
import type { AccountsRepo } from "../../accounts/accounts.repo.js";
import type { SecurityEventsRepo } from "../../activity/security-events.repo.js";
import type { MailOutboxRepo } from "../../mail/mail-outbox.repo.js";
import type { ThrottlesRepo } from "../../throttle/throttles.repo.js";
import type { UsersRepo } from "../../users/users.repo.js";
import type { RequestMeta } from "../../../request-context.js";
import type { AuthContext } from "../../../request-context.js";
import { accountDeletedMail } from "../security.mails.js";
import { deletionErrors } from "./deletion.errors.js";
import { pseudonymousUserId } from "./pseudonym.js";

export type DeleteMeInput = z.output<typeof deleteMeSchema>;

export interface DeletionServiceDeps {
  db: Kysely<Database>;
  /** Every table that keeps something of the person beyond what the foreign keys erase with them. */
  users: UsersRepo;
  accountRows: AccountsRepo;
  securityEvents: SecurityEventsRepo;
  mailOutbox: MailOutboxRepo;
  throttles: ThrottlesRepo;
  clock: Clock;
  config: Pick<ResolvedConfig, "encryptionKeys" | "publicUrl">;
  events: EventRecorder;
  mailer: Mailer;
  sessions: SessionStore;
  logger: FastifyBaseLogger;
  recentAuth: RecentAuth;
}

/** "Delete my account" (checklist C8, C11, J3). */
export function createDeletionService(deps: DeletionServiceDeps) {
  const {
    db,
    users,
    accountRows,
    securityEvents,
    mailOutbox,
    throttles,
    clock,
    config,
    events,
    mailer,
    sessions,
    recentAuth,
    logger,
  } = deps;
  const serverKey = config.encryptionKeys[0]?.key;

  /** Guards in order of cost: the typed email, the last-administrator rule, then password (+ code). */
  async function checkRequest(auth: AuthContext, input: DeleteMeInput, meta: RequestMeta): Promise<void> {
    if (input.confirmEmail.trim().toLowerCase() !== auth.user.email) throw deletionErrors.emailMismatch();
    const sole = await accountRows.findSoleAdminAccounts(auth.user.id);
    if (sole.length > 0) throw deletionErrors.soleAdmin(sole);
    if (auth.totpEnabled && !input.code) throw deletionErrors.codeRequired();
    // With a passkey as the only second factor, the password is one factor: a passkey confirms first.
    if (!recentAuth.isRecent(auth)) recentAuth.assertPasswordSuffices(auth);
    // Always the password (and code), whatever the session's age: the most destructive action (C11).
    await recentAuth.verifyCredentials(auth, { password: input.password, code: input.code }, meta);
  }

  /**
   * Deletes the person in ONE transaction: every session ends (`account_deleted`), their events
   * move to a pseudonymous id, a confirmation is queued to the old address, and the user row
   * goes, with everything hanging off it by foreign key. A session validated by any node after
   * the commit finds no user and answers 401 (C8). `alsoRecord` adds the caller's own audit row
   * (under the pseudonym) to the same transaction.
   */
  async function erasePerson(
    user: UsersTable,
    meta: RequestMeta,
    options: {
      soleAdmin: (accounts: Array<{ id: string; name: string }>) => Error;
      byOperator?: boolean;
      alsoRecord?: (trx: Executor, pseudonym: string, sessionsEnded: number) => Promise<void>;
    },
  ): Promise<void> {
    if (!serverKey) throw new Error("no encryption key configured");
    const pseudonym = pseudonymousUserId(user.id, serverKey);
    const at = clock.now();
    await db.transaction().execute(async (trx) => {
      const sole = await accountRows.in(trx).findSoleAdminAccounts(user.id);
      if (sole.length > 0) throw options.soleAdmin(sole);
      const sessionsEnded = await sessions.endUserSessions(trx, user.id, "account_deleted");
      await securityEvents.in(trx).pseudonymize(user.id, pseudonym);
      await events.recordEvent(trx, {
        type: "user_deleted",
        userId: pseudonym,
        details: { sessionsEnded, ...(options.byOperator ? { byOperator: true } : {}) },
        meta,
      });
      await options.alsoRecord?.(trx, pseudonym, sessionsEnded);
      await mailOutbox.in(trx).eraseFinishedAddress(user.email);
      const ctx = { at, ip: options.byOperator ? null : meta.ip, publicUrl: config.publicUrl };
      await mailer.enqueueMail(trx, accountDeletedMail(user, ctx, { byOperator: options.byOperator ?? false }));
      await throttles.in(trx).deleteKeys([`totp:${user.id}`, `email-change:person:${user.id}`]);
      // The foreign keys (ON DELETE CASCADE) take their sessions, factor, recovery codes, memberships,
      // known devices and one-time tokens with them.
      await users.in(trx).delete(user.id);
    });
    mailer.deliverDueMail().catch((error: unknown) => logger.warn({ err: error }, "mail delivery run failed"));
  }

  /** `DELETE /me`: the person deletes themselves, after the checks of {@link checkRequest}. */
  async function deleteMe(auth: AuthContext, input: DeleteMeInput, meta: RequestMeta): Promise<void> {
    await checkRequest(auth, input, meta);
    await erasePerson(auth.user, meta, { soleAdmin: deletionErrors.soleAdmin });
  }

  /**
   * An operator deletes a person (`DELETE /admin/users/{id}`, CLI `delete-user`): the same erasure
   * as self-deletion, refused the same way for an account's last administrator (409 `sole_admin`).
   * False when no such person exists.
   */
  async function deleteUserAsOperator(
    userId: string,
    meta: RequestMeta,
    alsoRecord: (trx: Executor, pseudonym: string, sessionsEnded: number) => Promise<void>,
  ): Promise<boolean> {
    const user = await users.findById(userId);
    if (!user) return false;
    await erasePerson(user, meta, { soleAdmin: deletionErrors.soleAdminOf, byOperator: true, alsoRecord });
    return true;
  }

  /** `GET /me/deletion`: the accounts that would refuse the deletion (the person is their only administrator). */
  async function checkDeletion(auth: AuthContext): Promise<{ soleAdminOf: Array<{ id: string; name: string }> }> {
    return { soleAdminOf: await accountRows.findSoleAdminAccounts(auth.user.id) };
  }

  return { deleteMe, deleteUserAsOperator, checkDeletion };
}

export type DeletionService = ReturnType<typeof createDeletionService>;
