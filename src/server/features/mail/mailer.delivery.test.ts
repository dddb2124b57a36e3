import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { useTestApp } from "@test/use-test-app.js";
import { startFakeSmtpServer, type FakeSmtpServer } from "@test/smtp-server.js";

const message = (to: string) => ({ to, subject: "Hello", text: "Hello there.", html: "<p>Hello there.</p>" });

describe("mail delivery over SMTP", () => {
  let smtp: FakeSmtpServer;
  beforeAll(async () => {
    smtp = await startFakeSmtpServer();
  });
  afterAll(async () => smtp.close());
  const t = useTestApp(() => ({ SMTP_URL: smtp.url }));

  const rowOf = (to: string) =>
    t.database.db.selectFrom("mailOutbox").selectAll().where("toAddress", "=", to).executeTakeFirstOrThrow();

  it("marks every mail Auto-Submitted: auto-generated and logs one line per delivered mail", async () => {
    smtp.setRcptReply("250 OK");
    const { mailer } = t.app.services;
    await mailer.enqueueMail(t.database.db, message("ada@example.com"));
    expect(await mailer.deliverDueMail()).toBe(1);
    const raw = smtp.messages.at(-1) ?? "";
    expect(raw).toMatch(/^Auto-Submitted: auto-generated$/m);
    expect(raw).toMatch(/^X-Auto-Response-Suppress: All$/m);
    const row = await rowOf("ada@example.com");
    expect(row.status).toBe("sent");
    const delivered = t.logs
      .map((l) => JSON.parse(l) as { msg: string; mailId?: string })
      .filter((l) => l.msg === "mail delivered");
    expect(delivered.map((l) => l.mailId)).toEqual([row.id]);
    expect(t.logs.filter((l) => l.includes("mail delivered")).join("\n")).not.toContain("ada@example.com");
  });

  it("a permanent refusal (SMTP 5xx) is marked failed at once, counted and logged; a transient one (4xx) is retried", async () => {
    const { mailer } = t.app.services;
    smtp.setRcptReply("550 5.1.1 No such user here");
    await mailer.enqueueMail(t.database.db, message("gone@example.com"));
    expect(await mailer.deliverDueMail()).toBe(0);
    expect(await rowOf("gone@example.com")).toMatchObject({ status: "failed", attempts: 1 });
    expect(t.logs.some((l) => l.includes("refused permanently") && l.includes('"level":50'))).toBe(true);

    smtp.setRcptReply("451 4.3.0 Try again later");
    await mailer.enqueueMail(t.database.db, message("later@example.com"));
    expect(await mailer.deliverDueMail()).toBe(0);
    const later = await rowOf("later@example.com");
    expect(later).toMatchObject({ status: "pending", attempts: 1 });
    expect(later.nextAttemptAt).toBeGreaterThan(t.clock.now());

    const figures = Object.fromEntries(await Promise.all(mailer.metrics.map(async (m) => [m.name, await m.read()] as const)));
    expect(figures).toMatchObject({
      mail_failed_total: 1,
      mail_retries_total: 1,
      mail_delivered_total: 0,
      mail_outbox_pending: 1,
    });
    // Once the server accepts again, the pending one goes out; the failed one stays failed.
    smtp.setRcptReply("250 OK");
    t.clock.advance(60_000);
    expect(await mailer.deliverDueMail()).toBe(1);
    expect(await rowOf("gone@example.com")).toMatchObject({ status: "failed" });
  });
});
