import fs from "node:fs/promises";
import path from "node:path";
import type { FastifyBaseLogger } from "fastify";
import nodemailer from "nodemailer";
import type { Executor } from "../../db/schema.js";
import type { Clock } from "../../lib/clock.js";
import type { Encryptor } from "../../lib/crypto/encrypt.js";
import { newOpaqueId } from "../../lib/ids.js";
import type { SampledMetric } from "../../http/metrics.js";
import type { DueMail, MailOutboxRepo } from "./mail-outbox.repo.js";

/** One message to send. */
export interface MailMessage {
  to: string;
  subject: string;
  text: string;
  html: string;
}

export interface MailerOptions {
  outbox: MailOutboxRepo;
  clock: Clock;
  encryptor: Encryptor;
  from: string;
  /** SMTP URL; unset: `.eml` files in `outboxDir`. */
  smtpUrl?: string | undefined;
  outboxDir: string;
  logger?: FastifyBaseLogger;
}

const MAX_ATTEMPTS = 10;

/**
 * Marks every mail as sent by a machine (RFC 3834 §5), so auto-responders (out-of-office,
 * vacation) do not answer it; Exchange reads its own header for the same.
 */
export const AUTOMATED_MAIL_HEADERS = { "Auto-Submitted": "auto-generated", "X-Auto-Response-Suppress": "All" } as const;

/**
 * True for a refusal that trying again will not change: the SMTP server's 5xx reply (RFC 5321
 * §4.2.1, "permanent negative completion", e.g. 550 no such mailbox). 4xx replies and network
 * errors are transient and retried.
 */
export function isPermanentFailure(error: unknown): boolean {
  const code = (error as { responseCode?: unknown }).responseCode;
  return typeof code === "number" && code >= 500 && code < 600;
}

/**
 * Mail goes through the `mail_outbox` table: `enqueueMail` inserts in the caller's transaction,
 * `deliverDueMail` sends what is due with nodemailer (SMTP, or `.eml` files by default) and
 * retries failures with back-off, so a mail is never lost and never a 500 to the person.
 * Bodies can hold single-use links, so they are stored encrypted and erased once sent.
 */
export function createMailer(options: MailerOptions) {
  const { outbox, clock, encryptor, logger } = options;
  const transport = options.smtpUrl
    ? nodemailer.createTransport(options.smtpUrl)
    : nodemailer.createTransport({ streamTransport: true, buffer: true, newline: "unix" });
  const counts = { delivered: 0, failed: 0, retried: 0 };
  let running: Promise<number> | undefined;
  let again: Promise<number> | undefined;
  let closed = false;

  /** Queues a mail in the caller's transaction: it goes out only if that commits. */
  async function enqueueMail(executor: Executor, message: MailMessage): Promise<void> {
    const now = clock.now();
    await outbox.in(executor).insert({
      id: newOpaqueId(),
      toAddress: message.to,
      subject: message.subject,
      bodyEncrypted: encryptor.encrypt(JSON.stringify({ text: message.text, html: message.html })),
      status: "pending",
      attempts: 0,
      nextAttemptAt: now,
      lastError: null,
      createdAt: now,
      sentAt: null,
    });
  }

  async function sendOne(row: DueMail): Promise<void> {
    const body = row.bodyEncrypted ? encryptor.decryptString(row.bodyEncrypted) : undefined;
    if (!body) throw new Error("mail body cannot be decrypted");
    const { text, html } = JSON.parse(body) as { text: string; html: string };
    const info = await transport.sendMail({
      from: options.from,
      to: row.toAddress,
      subject: row.subject,
      text,
      html,
      headers: AUTOMATED_MAIL_HEADERS,
    });
    if (!options.smtpUrl) {
      await fs.mkdir(options.outboxDir, { recursive: true, mode: 0o700 });
      const stamp = new Date(clock.now()).toISOString().replace(/[:.]/g, "-");
      await fs.writeFile(path.join(options.outboxDir, `${stamp}-${row.id}.eml`), (info as { message: Buffer }).message, {
        mode: 0o600,
      });
    }
  }

  async function deliverBatch(): Promise<number> {
    const now = clock.now();
    const due = await outbox.listDue(now, 50);
    let sent = 0;
    for (const row of due) {
      if (!(await outbox.claim(row, now + 5 * 60_000))) continue;
      try {
        await sendOne(row);
        await outbox.markSent(row.id, clock.now());
        sent++;
        counts.delivered++;
        // One line per delivered mail (the id joins it to the outbox row; no address, no body).
        logger?.info({ mailId: row.id, attempts: row.attempts + 1, via: options.smtpUrl ? "smtp" : "file" }, "mail delivered");
      } catch (error) {
        const attempts = row.attempts + 1;
        const permanent = isPermanentFailure(error);
        const failed = permanent || attempts >= MAX_ATTEMPTS;
        const message = String((error as Error).message);
        await outbox.markAttemptFailed(row.id, {
          failed,
          error: message,
          nextAttemptAt: clock.now() + Math.min(2 ** attempts * 1000, 3_600_000),
        });
        if (failed) {
          counts.failed++;
          logger?.error(
            { mailId: row.id, attempts, permanent, err: message },
            permanent ? "mail refused permanently by the SMTP server; not retried" : "mail delivery failed too often; given up",
          );
        } else {
          counts.retried++;
          logger?.warn({ mailId: row.id, attempts, err: message }, "mail delivery failed; will retry");
        }
      }
    }
    return sent;
  }

  /**
   * Sends what is due now. A call made while a run is in progress gets one more run after it, so
   * mail queued meanwhile is not left for the next timer. Resolves to how many were sent.
   */
  function deliverDueMail(): Promise<number> {
    if (closed) return Promise.resolve(0);
    if (running) {
      again ??= running.then(() => {
        again = undefined;
        return deliverDueMail();
      });
      return again;
    }
    running = deliverBatch().finally(() => {
      running = undefined;
    });
    return running;
  }

  /**
   * Stops starting deliveries and waits for the one in progress (and its follow-up run), so a
   * mail that went out is marked sent before the database closes; otherwise it would go out
   * again after the next start. The app closes the mailer when it closes (app.ts).
   */
  async function close(): Promise<void> {
    closed = true;
    while (running ?? again) await (again ?? running)?.catch(() => undefined);
    transport.close();
  }

  /** For `/metrics`: mail delivered, given up (failed), and attempts that will be retried, since start. */
  const metrics: SampledMetric[] = [
    { name: "mail_delivered_total", help: "Mail delivered by this node", type: "counter", read: () => counts.delivered },
    {
      name: "mail_failed_total",
      help: "Mail given up by this node: refused permanently (SMTP 5xx) or failing too often",
      type: "counter",
      read: () => counts.failed,
    },
    {
      name: "mail_retries_total",
      help: "Mail deliveries that failed and will be retried",
      type: "counter",
      read: () => counts.retried,
    },
    {
      name: "mail_outbox_pending",
      help: "Mail waiting in the outbox (all nodes)",
      type: "gauge",
      read: () => outbox.countPending(),
    },
  ];

  return { enqueueMail, deliverDueMail, close, metrics };
}

export type Mailer = ReturnType<typeof createMailer>;
