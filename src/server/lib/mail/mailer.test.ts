import { afterEach, describe, expect, it } from "vitest";
import { createTestApp, type TestApp } from "@test/create-test-app.js";

/* The outbox on shutdown: a mail that went out is marked sent before the database closes. */

let t: TestApp | undefined;
afterEach(async () => {
  await t?.close();
  t = undefined;
});

const message = (to: string) => ({ to, subject: "Hello", text: "Hello there.", html: "<p>Hello there.</p>" });
const statuses = async (app: TestApp) =>
  (await app.database.db.selectFrom("mailOutbox").select(["toAddress", "status"]).orderBy("toAddress").execute()).map(
    (row) => `${row.toAddress}: ${row.status}`,
  );

describe("mailer on close", () => {
  it("finishes a delivery in progress and marks it sent before the app's close resolves", async () => {
    t = await createTestApp();
    const { mailer } = t.app.services;
    await mailer.enqueueMail(t.database.db, message("ada@example.com"));
    const delivery = mailer.deliverDueMail(); // in flight, as after a request that queued a mail
    await t.app.close();
    expect(await statuses(t)).toEqual(["ada@example.com: sent"]);
    expect(await delivery).toBe(1);
    expect(t.mails().map((mail) => mail.to)).toEqual(["ada@example.com"]);
  });

  it("starts no delivery once closed: the mail waits in the outbox for the next start", async () => {
    t = await createTestApp();
    const { mailer } = t.app.services;
    await t.app.close();
    await mailer.enqueueMail(t.database.db, message("grace@example.com"));
    expect(await mailer.deliverDueMail()).toBe(0);
    expect(await statuses(t)).toEqual(["grace@example.com: pending"]);
    expect(t.mails()).toEqual([]);
  });
});
