import { defineRepo } from "../../db/repo.js";
import type { Executor, MailOutboxTable } from "../../db/schema.js";

/** A mail due for delivery, as the mailer reads it. */
export type DueMail = Pick<MailOutboxTable, "id" | "toAddress" | "subject" | "bodyEncrypted" | "attempts">;

/** The `mail_outbox` table: the queue of mail to send, the mailer's and the pruning job's statements. */
function mailOutboxStatements(ex: Executor) {
  return {
    async insert(row: MailOutboxTable): Promise<void> {
      await ex.insertInto("mailOutbox").values(row).execute();
    },

    /** Pending mail whose next attempt is due, oldest due first. */
    listDue(now: number, limit: number): Promise<DueMail[]> {
      return ex
        .selectFrom("mailOutbox")
        .select(["id", "toAddress", "subject", "bodyEncrypted", "attempts"])
        .where("status", "=", "pending")
        .where("nextAttemptAt", "<=", now)
        .orderBy("nextAttemptAt")
        .limit(limit)
        .execute();
    },

    /**
     * Claims a due mail for one delivery attempt (compare-and-set on its attempt count), so a second
     * node does not send it too; its next attempt moves to `retryAt` in case this one never reports.
     */
    async claim(mail: Pick<DueMail, "id" | "attempts">, retryAt: number): Promise<boolean> {
      const result = await ex
        .updateTable("mailOutbox")
        .set({ nextAttemptAt: retryAt, attempts: mail.attempts + 1 })
        .where("id", "=", mail.id)
        .where("attempts", "=", mail.attempts)
        .where("status", "=", "pending")
        .executeTakeFirst();
      return Number(result.numUpdatedRows) === 1;
    },

    /** Sent: its body (which may hold single-use links) is erased. */
    async markSent(id: string, at: number): Promise<void> {
      await ex
        .updateTable("mailOutbox")
        .set({ status: "sent", sentAt: at, bodyEncrypted: null, lastError: null })
        .where("id", "=", id)
        .execute();
    },

    /** How many mails wait to be sent (the outbox depth). */
    async countPending(): Promise<number> {
      const row = await ex
        .selectFrom("mailOutbox")
        .select((eb) => eb.fn.countAll<number | string>().as("n"))
        .where("status", "=", "pending")
        .executeTakeFirstOrThrow();
      return Number(row.n);
    },

    /** A failed attempt: tried again at `nextAttemptAt`, or given up (`failed`). */
    async markAttemptFailed(id: string, outcome: { failed: boolean; error: string; nextAttemptAt: number }): Promise<void> {
      await ex
        .updateTable("mailOutbox")
        .set({
          status: outcome.failed ? "failed" : "pending",
          lastError: outcome.error.slice(0, 500),
          nextAttemptAt: outcome.nextAttemptAt,
        })
        .where("id", "=", id)
        .execute();
    },

    /** Sent or failed mail created before `cutoff`, up to `limit` per call (`mail_outbox_status_created_idx`). */
    async deleteFinishedBefore(cutoff: number, limit: number): Promise<number> {
      const batch = ex
        .selectFrom("mailOutbox")
        .select("id")
        .where("status", "in", ["sent", "failed"])
        .where("createdAt", "<", cutoff)
        .limit(limit);
      const result = await ex.deleteFrom("mailOutbox").where("id", "in", batch).executeTakeFirst();
      return Number(result.numDeletedRows);
    },

    /** Mail queued for or sent to these addresses, oldest first: what and when, never the body (the data export). */
    listToAddresses(emails: string[]) {
      return ex
        .selectFrom("mailOutbox")
        .select(["id", "toAddress", "subject", "status", "createdAt", "sentAt"])
        .where("toAddress", "in", emails)
        .orderBy("createdAt")
        .orderBy("id")
        .execute();
    },

    /** Sent or abandoned mail keeps no address of an erased person (bodies are erased on sending); pending notices still go out. */
    async eraseFinishedAddress(email: string): Promise<void> {
      await ex
        .updateTable("mailOutbox")
        .set({ toAddress: "(erased)" })
        .where("toAddress", "=", email)
        .where("status", "!=", "pending")
        .execute();
    },
  };
}

export const createMailOutboxRepo = defineRepo(mailOutboxStatements);
export type MailOutboxRepo = ReturnType<typeof createMailOutboxRepo>;
