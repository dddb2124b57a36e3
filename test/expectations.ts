import { expect } from "vitest";
import type { EndReason } from "../src/contracts/sessions.js";
import type { TestApp } from "./create-test-app.js";
import { mailsTo } from "./inspect.js";
import type { TestClient } from "./test-client.js";

/* Assertions that several suites make the same way, named by what they assert. */

/** The keys of the /me JSON, and nothing else (J2 allow-list), sorted. */
export const USER_JSON_KEYS: readonly string[] = [
  "createdAt",
  "dateFormat",
  "email",
  "firstName",
  "id",
  "jobTitle",
  "lastName",
  "locale",
  "mfaEnabled",
  "newsOptIn",
  "newsOptInChangedAt",
  "pendingEmail",
  "phone",
  "timeFormat",
  "timezone",
];

/**
 * A session cookie that must no longer work: a new client presenting `token` gets 401 from
 * `path`. Returns the answer, for checks of its body.
 */
export async function expectSessionTokenRefused(t: TestApp, token: string | undefined, path = "/api/v1/me") {
  const replay = t.client();
  replay.setSessionToken(token ?? "");
  const response = await replay.get(path);
  expect(response.statusCode).toBe(401);
  return response;
}

/**
 * "Other sessions cut, the current one rotated", after a security change made from `current`
 * (C7): it goes on (GET /me answers 200) on a token other than `previousToken`, which no longer
 * works; every client in `others` gets 401; and once the background marking is done, the
 * person's ended sessions are exactly the others, each ended with `reason`.
 */
export async function expectOtherSessionsEnded(
  t: TestApp,
  ended: { userId: string; current: TestClient; previousToken: string | undefined; others: TestClient[]; reason: EndReason },
) {
  expect(ended.current.sessionToken()).not.toBe(ended.previousToken);
  expect((await ended.current.get("/api/v1/me")).statusCode).toBe(200);
  for (const other of ended.others) expect((await other.get("/api/v1/me")).statusCode).toBe(401);
  await expectSessionTokenRefused(t, ended.previousToken);
  // The rows are marked ended right after the answer, in the background (session-cuts.ts).
  await t.app.services.sessions.whenSettled();
  const rows = await t.app.services.db
    .selectFrom("sessions")
    .select("endReason")
    .where("userId", "=", ended.userId)
    .where("endedAt", "is not", null)
    .execute();
  expect(rows.map((r) => r.endReason)).toEqual(ended.others.map(() => ended.reason));
}

/**
 * Mail went to `address` with each of `subjects` (a string matches whole, a RegExp in part),
 * among whatever else it received. Delivers the outbox first; returns the mails to `address`.
 */
export async function expectMailedTo(t: TestApp, address: string, subjects: Array<string | RegExp>) {
  const mails = await mailsTo(t, address);
  const wanted = subjects.map((subject) => (typeof subject === "string" ? subject : expect.stringMatching(subject)));
  expect(mails.map((m) => m.subject)).toEqual(expect.arrayContaining(wanted));
  return mails;
}
