import { describe, expect, it } from "vitest";
import { useTestApp } from "@test/use-test-app.js";
import { insertUser, openSession } from "@test/factories.js";
import { eventsResponseSchema } from "../../../contracts/sessions.js";
import { eventsOfType } from "@test/inspect.js";
import { loadConfig } from "../../config.js";
import { EVENT_FIELD_LIMITS } from "./event-recorder.js";
import { RESET_THROTTLE } from "../auth/password-reset.service.js";
import { EVENT_SAMPLING } from "./event-sampler.js";

const t = useTestApp();

const DAY = 24 * 3_600_000;
const LONG_UA = `Mozilla/5.0 ${"x".repeat(500)}`;

async function eventRowCount(): Promise<number> {
  const row = await t.app.services.db
    .selectFrom("securityEvents")
    .select((eb) => eb.fn.countAll<number>().as("n"))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

describe("I7: unauthenticated floods write a bounded number of event rows", () => {
  it("10,000 CSRF-less password-reset posts from one source store a handful of rows that count them all", async () => {
    const client = t.client({ userAgent: LONG_UA });
    const N = 10_000;
    for (let i = 0; i < N; i++) {
      const response = await client.request({
        method: "POST",
        url: "/api/v1/auth/password-reset",
        payload: { email: `victim${i}@example.com` },
        csrf: false,
      });
      if (response.statusCode !== 403) throw new Error(`request ${i}: ${response.statusCode} ${response.body}`);
    }
    const rows = await eventsOfType(t, "malicious_csrf");
    expect(rows.length).toBeLessThanOrEqual(EVENT_SAMPLING.keepEach + 1);
    expect(await eventRowCount()).toBe(rows.length);
    expect(rows.reduce((sum, row) => sum + Number(row.occurrences), 0)).toBe(N);
    for (const row of rows) expect((row.userAgent ?? "").length).toBeLessThanOrEqual(EVENT_FIELD_LIMITS.userAgent);
    // The log is not flooded either: folded occurrences write no line of their own.
    expect(t.logs.filter((l) => l.includes('"msg":"security event"')).length).toBeLessThanOrEqual(EVENT_SAMPLING.keepEach);
  }, 120_000);

  it("failed sign-ins and unknown-address resets from one source fold the same way; a new slice starts afresh", async () => {
    const client = t.client();
    for (let i = 0; i < 30; i++) {
      const response = await client.post("/api/v1/auth/password-reset", { email: `nobody${i}@example.com` });
      expect(response.statusCode).toBe(202);
    }
    const resets = await eventsOfType(t, "authn_password_reset_request");
    expect(resets.length).toBe(EVENT_SAMPLING.keepEach + 1);
    expect(resets.reduce((sum, row) => sum + Number(row.occurrences), 0)).toBe(30);

    t.clock.advance(EVENT_SAMPLING.sliceMs);
    await client.post("/api/v1/auth/password-reset", { email: "nobody-later@example.com" });
    const later = await eventsOfType(t, "authn_password_reset_request");
    expect(later.length).toBe(resets.length + 1);
    expect(later.at(-1)?.occurrences).toBe(1);

    // Wrong sign-ins on many unknown addresses from one source (below its throttle).
    for (let i = 0; i < 12; i++) {
      const response = await client.post("/api/v1/auth/login", {
        email: `stuffed${i}@example.com`,
        password: `wrong guess ${i}`,
      });
      expect(response.statusCode).toBe(401);
    }
    const failures = await eventsOfType(t, "authn_login_fail");
    expect(failures.length).toBe(EVENT_SAMPLING.keepEach + 1);
    expect(failures.reduce((sum, row) => sum + Number(row.occurrences), 0)).toBe(12);
  });

  it("resets for ever new addresses from one source stop adding throttle rows once the source is over its budget", async () => {
    const client = t.client({ ip: "198.51.100.200" });
    for (let i = 0; i < 200; i++) {
      expect((await client.post("/api/v1/auth/password-reset", { email: `fresh-${i}@example.com` })).statusCode).toBe(202);
    }
    const rows = await t.app.services.db.selectFrom("throttles").select("key").execute();
    expect(rows.length).toBeLessThanOrEqual(RESET_THROTTLE.perIp.threshold + 1);
    const events = await eventsOfType(t, "authn_password_reset_request");
    expect(events.length).toBeLessThanOrEqual(EVENT_SAMPLING.keepEach + 1);
  });

  it("a person's activity log shows a folded row with how many occurrences it stands for", async () => {
    const user = await insertUser(t);
    const { events, db } = t.app.services;
    const meta = { ip: "198.51.100.9", userAgent: null };
    for (let i = 0; i < 9; i++)
      await events.recordEvent(db, { type: "authn_login_fail", userId: user.id, result: "failure", meta });
    const { client } = await openSession(t, user.id);
    const response = await client.get("/api/v1/me/events?type=authn_login_fail");
    expect(response.statusCode).toBe(200);
    const { items } = eventsResponseSchema.parse(response.json());
    expect(items).toHaveLength(EVENT_SAMPLING.keepEach + 1);
    expect(items.map((e) => e.details.occurrences ?? 1).reduce((a, b) => Number(a) + Number(b), 0)).toBe(9);
    expect(items.filter((e) => e.details.occurrences === 4)).toHaveLength(1);
  });

  it("events older than EVENTS_RETENTION_DAYS (default 400) are pruned by the hourly job", async () => {
    expect(loadConfig({}).eventsRetentionDays).toBe(400);
    expect(t.config.eventsRetentionDays).toBe(400);
    const user = await insertUser(t);
    const { events, db } = t.app.services;
    await events.recordEvent(db, { type: "profile_updated", userId: user.id });
    t.clock.advance(399 * DAY);
    await events.recordEvent(db, { type: "profile_updated", userId: user.id });
    expect((await t.app.services.historyPruner.pruneOnce()).eventsDeleted).toBe(0);
    t.clock.advance(2 * DAY);
    expect((await t.app.services.historyPruner.pruneOnce()).eventsDeleted).toBe(1);
    expect(await eventsOfType(t, "profile_updated")).toHaveLength(1);
  });
});
