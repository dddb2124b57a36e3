import { describe, expect, it } from "vitest";
import { userSchema } from "../../../contracts/me.js";
import { useTestApp } from "@test/use-test-app.js";
import { signedInUser } from "@test/factories.js";
import { USER_JSON_KEYS } from "@test/expectations.js";
import { eventsOf, readUser } from "@test/inspect.js";

const t = useTestApp();

describe("GET /api/v1/me", () => {
  it("answers 401 unauthenticated without a session, for every /me route", async () => {
    const anonymous = t.client();
    for (const [method, url, body] of [
      ["GET", "/api/v1/me", undefined],
      ["PATCH", "/api/v1/me", { firstName: "Eve" }],
      ["POST", "/api/v1/me/email-change", { newEmail: "eve@example.com", password: "x" }],
    ] as const) {
      const res = await anonymous.request({ method, url, ...(body ? { payload: body } : {}) });
      expect(res.statusCode, `${method} ${url}`).toBe(401);
      expect(res.json().error.code).toBe("unauthenticated");
    }
  });

  it("J2: returns exactly the allow-listed user fields, never a hash or secret", async () => {
    const { user, client } = await signedInUser(t, { phone: "+4930123456", jobTitle: "Engineer" });
    const res = await client.get("/api/v1/me");
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(Object.keys(body).sort()).toEqual(USER_JSON_KEYS);
    expect(userSchema.strict().parse(body)).toMatchObject({
      id: user.id,
      email: user.email,
      phone: "+4930123456",
      jobTitle: "Engineer",
      mfaEnabled: false,
      pendingEmail: null,
      createdAt: new Date(user.createdAt).toISOString(),
    });
    expect(res.body).not.toContain("argon2");
    expect(res.headers["content-type"]).toBe("application/json; charset=utf-8");
  });
});

describe("PATCH /api/v1/me", () => {
  const zones = [
    "Asia/Kathmandu",
    "Europe/Kyiv",
    "Asia/Kolkata",
    "America/Argentina/Buenos_Aires",
    "UTC",
    "Australia/Lord_Howe",
    // Links (old names) are accepted too and echoed exactly as chosen, never canonicalised.
    "Asia/Calcutta",
    "Europe/Kiev",
    "Asia/Katmandu",
    "Etc/UTC",
  ];
  it.each(zones)("H1: time zone %s round-trips exactly", async (zone) => {
    const { user, client } = await signedInUser(t);
    const res = await client.patch("/api/v1/me", { timezone: zone });
    expect(res.statusCode).toBe(200);
    expect(res.json().timezone).toBe(zone);
    expect((await client.get("/api/v1/me")).json().timezone).toBe(zone);
    expect((await readUser(t, user.id))?.timezone).toBe(zone);
  });

  const fields: Array<[string, unknown, unknown?]> = [
    ["firstName", "Zoë", undefined],
    ["firstName", "  Grace  ", "Grace"],
    ["lastName", "李小龍", undefined],
    ["lastName", "x".repeat(64), undefined],
    ["phone", "+4930123456", undefined],
    ["phone", " +14155550123 ", "+14155550123"],
    ["phone", null, undefined],
    ["jobTitle", "Head of Procurement", undefined],
    ["jobTitle", null, undefined],
    ["locale", "de-DE", undefined],
    ["locale", "fr-CA", undefined],
    ["locale", "en-US", undefined],
    ["dateFormat", "YYYY-MM-DD", undefined],
    ["dateFormat", "DD/MM/YYYY", undefined],
    ["dateFormat", "MM/DD/YYYY", undefined],
    ["dateFormat", "DD.MM.YYYY", undefined],
    ["dateFormat", "D MMM YYYY", undefined],
    ["timeFormat", "12h", undefined],
    ["timeFormat", "24h", undefined],
    ["newsOptIn", true, undefined],
    ["newsOptIn", false, undefined],
  ];
  it.each(fields)("%s = %j round-trips", async (field, value, expected) => {
    const { client } = await signedInUser(t, { phone: "+4912345678", jobTitle: "Old title" });
    const res = await client.patch("/api/v1/me", { [field]: value });
    expect(res.statusCode, res.body).toBe(200);
    const want = expected === undefined ? value : expected;
    expect(res.json()[field]).toEqual(want);
    expect((await client.get("/api/v1/me")).json()[field]).toEqual(want);
  });

  it("changes several fields at once and records profile_updated with the field NAMES only", async () => {
    const { user, client } = await signedInUser(t);
    const res = await client.patch("/api/v1/me", {
      firstName: "Grace",
      lastName: "Lovelace", // unchanged: not listed
      phone: "+4930999888",
      timezone: "Europe/Berlin",
    });
    expect(res.statusCode).toBe(200);
    const events = await eventsOf(t, user.id, "profile_updated");
    expect(events).toHaveLength(1);
    const details = JSON.parse(events[0]!.details) as { fields: string[] };
    expect(details.fields.sort()).toEqual(["firstName", "phone", "timezone"]);
    expect(events[0]!.details).not.toContain("Grace");
    expect(events[0]!.details).not.toContain("+4930999888");
  });

  it("writes nothing and records no event when no value changes", async () => {
    const { user, client } = await signedInUser(t);
    t.clock.advance(60_000);
    const res = await client.patch("/api/v1/me", { firstName: user.firstName, timezone: "UTC" });
    expect(res.statusCode).toBe(200);
    expect((await readUser(t, user.id))?.updatedAt).toBe(user.updatedAt);
    expect(await eventsOf(t, user.id, "profile_updated")).toHaveLength(0);
  });

  it("stores when news consent was given or withdrawn, and only when it changes", async () => {
    const { user, client } = await signedInUser(t);
    expect((await client.get("/api/v1/me")).json().newsOptInChangedAt).toBeNull();
    t.clock.advance(1000);
    const givenAt = t.clock.now();
    const on = await client.patch("/api/v1/me", { newsOptIn: true });
    expect(on.json()).toMatchObject({ newsOptIn: true, newsOptInChangedAt: new Date(givenAt).toISOString() });
    t.clock.advance(5000);
    await client.patch("/api/v1/me", { newsOptIn: true, firstName: "Ada B." });
    expect((await readUser(t, user.id))?.newsOptInChangedAt).toBe(givenAt);
    t.clock.advance(7000);
    const off = await client.patch("/api/v1/me", { newsOptIn: false });
    expect(off.json()).toMatchObject({ newsOptIn: false, newsOptInChangedAt: new Date(t.clock.now()).toISOString() });
    expect(await readUser(t, user.id)).toMatchObject({ newsOptIn: 0, newsOptInChangedAt: t.clock.now() });
  });

  it("H2: a PATCH with one invalid field changes nothing, not even the valid ones", async () => {
    const { user, client } = await signedInUser(t);
    const before = await readUser(t, user.id);
    const res = await client.patch("/api/v1/me", { firstName: "Valid", newsOptIn: true, timezone: "Mars/Olympus" });
    expect(res.statusCode).toBe(400);
    expect(res.json().error).toMatchObject({ code: "validation_failed", details: { fields: { timezone: expect.any(String) } } });
    expect(await readUser(t, user.id)).toEqual(before);
    expect(await eventsOf(t, user.id, "profile_updated")).toHaveLength(0);
  });

  it("one user's PATCH never touches another user", async () => {
    const a = await signedInUser(t);
    const b = await signedInUser(t);
    const beforeB = await readUser(t, b.user.id);
    await a.client.patch("/api/v1/me", { firstName: "Changed", timezone: "Asia/Tokyo" });
    expect(await readUser(t, b.user.id)).toEqual(beforeB);
  });
});
