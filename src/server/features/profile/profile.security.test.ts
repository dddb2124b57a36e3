import fc from "fast-check";
import { beforeAll, describe, expect, it } from "vitest";
import { DATE_FORMATS, TIME_FORMATS } from "../../../contracts/me.js";
import { isKnownTimeZone } from "../../../contracts/timezones.js";
import { useTestApp } from "@test/use-test-app.js";
import { signedInUser, type SignedInUser } from "@test/factories.js";
import { eventsOf, readUser } from "@test/inspect.js";

// One app and one user for the whole file: every case below must leave the row exactly as it was.
const t = useTestApp({}, { scope: "suite" });
let me: SignedInUser;
beforeAll(async () => {
  me = await signedInUser(t, { phone: "+4930123456", jobTitle: "Buyer", timezone: "Europe/Berlin" });
});

/** PATCHes `body`, expects 400 `validation_failed` naming `field`, and the row untouched. */
async function expectRefused(body: unknown, field: string | undefined, code = "validation_failed") {
  const before = await readUser(t, me.user.id);
  const res = await me.client.patch("/api/v1/me", body);
  expect(res.statusCode, res.body).toBe(400);
  const error = res.json().error as { code: string; details?: { fields?: Record<string, string> } };
  expect(error.code).toBe(code);
  if (field) expect(Object.keys(error.details?.fields ?? {})).toContain(field);
  expect(await readUser(t, me.user.id)).toEqual(before);
}

const FIVE_KB = "a".repeat(5 * 1024);

describe("H1/H2: positive validation of every field, server side", () => {
  const cases: Array<[string, unknown]> = [
    ["timezone", "Mars/Olympus"],
    ["timezone", "Europe/../../etc"],
    ["timezone", "../../etc/passwd"],
    ["timezone", "UTC+25"],
    ["timezone", "UTC+1"],
    ["timezone", "GMT+25:00"],
    ["timezone", "europe/berlin"],
    ["timezone", " Europe/Berlin"],
    ["timezone", "Europe/Berlin\u0000"],
    ["timezone", ""],
    ["timezone", FIVE_KB],
    ["timezone", null],
    ["timezone", 1],
    ["dateFormat", "YYYY/MM/DD"],
    ["dateFormat", "yyyy-mm-dd"],
    ["dateFormat", "%Y-%m-%d"],
    ["dateFormat", FIVE_KB],
    ["timeFormat", "12H"],
    ["timeFormat", "25h"],
    ["timeFormat", ""],
    ["locale", "xx-YY"],
    ["locale", "en_GB"],
    ["locale", "en-GB\u0000"],
    ["locale", "'; DROP TABLE users; --"],
    ["locale", ""],
    ["locale", FIVE_KB],
    ["firstName", ""],
    ["firstName", "   "],
    ["firstName", "Ada\u0000"],
    ["firstName", "Ada\nLovelace"],
    ["firstName", "\u202EecilA"],
    ["firstName", "x".repeat(65)],
    ["firstName", FIVE_KB],
    ["firstName", null],
    ["lastName", "\u0007bell"],
    ["lastName", FIVE_KB],
    ["jobTitle", "a\u0000b"],
    ["jobTitle", FIVE_KB],
    ["phone", "030 123456"],
    ["phone", "+0123456789"],
    ["phone", "+49 30 123456"],
    ["phone", "+1234"],
    ["phone", "+1234567890123456"],
    ["phone", "+4930123456\u0000"],
    ["phone", FIVE_KB],
    ["newsOptIn", "true"],
    ["newsOptIn", 1],
    ["newsOptIn", null],
  ];
  it.each(cases)("H1: %s = %j → 400 validation_failed naming the field, row unchanged", async (field, value) => {
    await expectRefused({ [field]: value }, field);
  });

  it("H1: property test: any string outside the zone list is refused and changes nothing", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(fc.string({ maxLength: 80 }), fc.constantFrom("Mars/Olympus", "UTC+25", "Etc/GMT+99", "Europe/../../etc")),
        async (zone) => {
          fc.pre(!isKnownTimeZone(zone));
          await expectRefused({ timezone: zone }, "timezone");
        },
      ),
      { numRuns: 60 },
    );
  });

  it("H1: property test: formats outside the fixed lists are refused", async () => {
    await fc.assert(
      fc.asyncProperty(fc.constantFrom("dateFormat", "timeFormat"), fc.string({ maxLength: 20 }), async (field, value) => {
        const allowed: readonly string[] = field === "dateFormat" ? DATE_FORMATS : TIME_FORMATS;
        fc.pre(!allowed.includes(value));
        await expectRefused({ [field]: value }, field);
      }),
      { numRuns: 40 },
    );
  });

  it("H1: property test: names with a control character are refused", async () => {
    const control = fc.integer({ min: 0, max: 0x1f }).map((c) => String.fromCharCode(c));
    await fc.assert(
      fc.asyncProperty(fc.string({ minLength: 1, maxLength: 10 }), control, async (name, bad) => {
        await expectRefused({ firstName: `A${name}${bad}z` }, "firstName");
      }),
      { numRuns: 40 },
    );
  });
});

describe("G4: mass assignment", () => {
  const forbidden: Array<[string, unknown]> = [
    ["role", "admin"],
    ["isAdmin", true],
    ["mfaEnabled", true],
    ["totpSecret", "JBSWY3DPEHPK3PXP"],
    ["passwordHash", "$argon2id$v=19$m=19456,t=2,p=1$x$y"],
    ["userId", "UR-000-000-001"],
    ["id", "UR-000-000-001"],
    ["email", "attacker@example.com"],
    ["emailVerified", true],
    ["createdAt", "2000-01-01T00:00:00.000Z"],
    ["newsOptInChangedAt", "2000-01-01T00:00:00.000Z"],
    ["pendingEmail", "attacker@example.com"],
  ];
  it.each(forbidden)(
    "G4: %s is refused with 400 naming it, even beside a valid field, and the DB is unchanged",
    async (key, value) => {
      await expectRefused({ firstName: "Mallory", [key]: value }, undefined);
      const res = await me.client.patch("/api/v1/me", { firstName: "Mallory", [key]: value });
      expect(res.json().error.details.fields.body).toContain(key);
      const mfa = await t.app.services.db.selectFrom("mfaFactors").select("id").where("userId", "=", me.user.id).execute();
      expect(mfa).toHaveLength(0);
      expect((await me.client.get("/api/v1/me")).json()).toMatchObject({
        id: me.user.id,
        email: me.user.email,
        mfaEnabled: false,
      });
    },
  );
});

describe("H5: strict types, no prototype pollution", () => {
  it.each([
    ['{"firstName": ["x"]}', "firstName", "validation_failed"],
    ['{"firstName": {"$ne": null}}', "firstName", "validation_failed"],
    ['{"newsOptIn": {"$gt": ""}}', "newsOptIn", "validation_failed"],
    ['{"__proto__": {"isAdmin": true}}', undefined, undefined],
    ['{"firstName": "x", "__proto__": {"isAdmin": true}}', undefined, undefined],
    ['{"constructor": {"prototype": {"isAdmin": true}}}', undefined, undefined],
    ['{"timezone": "UTC", "constructor": {"prototype": {"isAdmin": true}}}', undefined, undefined],
  ])("H5: %s → 400, nothing changes, Object.prototype stays clean", async (payload, field, code) => {
    const before = await readUser(t, me.user.id);
    const res = await me.client.request({
      method: "PATCH",
      url: "/api/v1/me",
      payload,
      headers: { "content-type": "application/json" },
    });
    expect(res.statusCode).toBe(400);
    if (code) expect(res.json().error.code).toBe(code);
    if (field) expect(Object.keys(res.json().error.details.fields)).toContain(field);
    expect(await readUser(t, me.user.id)).toEqual(before);
    expect(({} as Record<string, unknown>).isAdmin).toBeUndefined();
    expect(Object.prototype).not.toHaveProperty("isAdmin");
  });
});

describe("H3/H4: hostile text is data, stored and echoed verbatim", () => {
  const payloads = [
    "' OR 1=1--",
    '"; DROP TABLE users; --',
    "Robert'); DROP TABLE users;--",
    "%_%",
    "\u2019 OR \u20181\u2019=\u20181",
    "<img src=x onerror=alert(1)>",
    '"><svg onload=alert(1)>',
    "javascript:alert(1)",
    "{{7*7}} ${7*7}",
  ];
  it.each(payloads)("H3/H4: name %j is stored and returned verbatim as a JSON string", async (payload) => {
    const other = await signedInUser(t);
    const res = await me.client.patch("/api/v1/me", { firstName: payload, lastName: payload, jobTitle: payload });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.headers["content-type"]).toBe("application/json; charset=utf-8");
    const got = (await me.client.get("/api/v1/me")).json();
    expect(got).toMatchObject({ firstName: payload, lastName: payload, jobTitle: payload });
    expect(await readUser(t, me.user.id)).toMatchObject({ firstName: payload, lastName: payload });
    // Nothing broke: the other user and the table are intact.
    expect((await other.client.get("/api/v1/me")).json().firstName).toBe("Ada");
    const count = await t.app.services.db
      .selectFrom("users")
      .select((eb) => eb.fn.countAll().as("n"))
      .executeTakeFirstOrThrow();
    expect(Number(count.n)).toBeGreaterThanOrEqual(2);
    expect(await eventsOf(t, me.user.id, "profile_updated")).not.toHaveLength(0);
  });
});
