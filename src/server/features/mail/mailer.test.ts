import { describe, expect, it } from "vitest";
import type { TestApp } from "@test/create-test-app.js";
import { useTestApp } from "@test/use-test-app.js";

/* The outbox on shutdown: a mail that went out is marked sent before the database closes. */

const t = useTestApp();

const message = (to: string) => ({ to, subject: "Hello", text: "Hello there.", html: "<p>Hello there.</p>" });
const statuses = async (app: TestApp) =>
  (await app.database.db.selectFrom("mailOutbox").select(["toAddress", "status"]).orderBy("toAddress").execute()).map(
    (row) => `${row.toAddress}: ${row.status}`,
  );

describe("mailer on close", () => {
  it("finishes a delivery in progress and marks it sent before the app's close resolves", async () => {
    const { mailer } = t.app.services;
    await mailer.enqueueMail(t.database.db, message("ada@example.com"));
    const delivery = mailer.deliverDueMail(); // in flight, as after a request that queued a mail
    await t.app.close();
    expect(await statuses(t)).toEqual(["ada@example.com: sent"]);
    expect(await delivery).toBe(1);
    expect(t.mails().map((mail) => mail.to)).toEqual(["ada@example.com"]);
  });

  it("starts no delivery once closed: the mail waits in the outbox for the next start", async () => {
    const { mailer } = t.app.services;
    await t.app.close();
    await mailer.enqueueMail(t.database.db, message("grace@example.com"));
    expect(await mailer.deliverDueMail()).toBe(0);
    expect(await statuses(t)).toEqual(["grace@example.com: pending"]);
    expect(t.mails()).toEqual([]);
  });
});
