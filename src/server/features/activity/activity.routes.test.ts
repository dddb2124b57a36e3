import { describe, expect, it } from "vitest";
import { eventsResponseSchema, securityEventSchema } from "../../../contracts/sessions.js";
import { newOpaqueId } from "../../lib/ids.js";
import type { TestApp } from "@test/create-test-app.js";
import { useTestApp } from "@test/use-test-app.js";
import { insertUser, openSession, signedIn, TEST_PASSWORD, UA } from "@test/factories.js";
import { readAllPages } from "@test/test-client.js";
import { CSV_COLUMNS } from "./events-csv.js";

const t = useTestApp();

type Page = {
  items: Array<{
    id: string;
    type: string;
    result: string;
    ip: string | null;
    userAgent: string | null;
    device: string | null;
    details: Record<string, unknown>;
  }>;
  nextCursor: string | null;
};

async function events(client: ReturnType<TestApp["client"]>, query = ""): Promise<Page> {
  const response = await client.get(`/api/v1/me/events${query}`);
  expect(response.statusCode, response.body).toBe(200);
  return eventsResponseSchema.parse(response.json()) as Page;
}

/** Parses RFC 4180 CSV (quoted fields, doubled quotes, CRLF records). */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = "";
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted && c === '"' && text[i + 1] === '"') {
      field += '"';
      i++;
    } else if (quoted && c === '"') quoted = false;
    else if (quoted) field += c;
    else if (c === '"') quoted = true;
    else if (c === ",") {
      row.push(field);
      field = "";
    } else if (c === "\r" && text[i + 1] === "\n") {
      row.push(field);
      rows.push(row);
      row = [];
      field = "";
      i++;
    } else field += c;
  }
  return rows;
}

async function insertEvents(userId: string, count: number, type = "authn_login_success", at = t.clock.now()) {
  const rows = Array.from({ length: count }, () => ({
    id: newOpaqueId(),
    userId,
    type,
    at,
    ip: "203.0.113.9",
    userAgent: UA.chromeWindows,
    sessionRef: null,
    accountId: null,
    result: "success",
    details: "{}",
  }));
  for (let i = 0; i < rows.length; i += 200)
    await t.app.services.db
      .insertInto("securityEvents")
      .values(rows.slice(i, i + 200))
      .execute();
}

describe("I1: authentication events reach the person's activity log", () => {
  it("I1: sign-in success and failure appear with IP, user agent and device; the newest first", async () => {
    const user = await insertUser(t);
    const attacker = t.client({ ip: "198.51.100.66", userAgent: UA.firefoxLinux });
    expect(
      (await attacker.post("/api/v1/auth/login", { email: user.email, password: "wrong password guess 1" })).statusCode,
    ).toBe(401);
    t.clock.advance(1000);
    const client = await signedIn(t, user, { ip: "203.0.113.10", userAgent: UA.chromeWindows });
    const { items } = await events(client);
    expect(items.map((e) => [e.type, e.result, e.ip, e.device])).toEqual([
      ["authn_login_success", "success", "203.0.113.10", "Chrome 126 on Windows"],
      ["authn_login_fail", "failure", "198.51.100.66", "Firefox 127 on Ubuntu"],
    ]);
    expect(items[1]?.userAgent).toBe(UA.firefoxLinux);
    for (const item of items) expect(Object.keys(item).sort()).toEqual(Object.keys(securityEventSchema.shape).sort());
  });

  it("I1: throttling shows as authn_login_lock, then excess_rate_limit_exceeded", async () => {
    const user = await insertUser(t);
    const attacker = t.client({ ip: "198.51.100.66" });
    let last = 0;
    for (let i = 0; i < 6; i++) {
      last = (await attacker.post("/api/v1/auth/login", { email: user.email, password: `wrong guess ${i}` })).statusCode;
      t.clock.advance(1000); // distinct timestamps: the log's order is then the order of events
    }
    expect(last).toBe(429);
    t.clock.advance(60 * 60_000);
    const client = await signedIn(t, user);
    const types = (await events(client, "?type=authn_login_lock,excess_rate_limit_exceeded")).items.map((e) => e.type);
    expect(types).toEqual(["excess_rate_limit_exceeded", "authn_login_lock"]);
  });

  it("I1: sign-out and revocations appear (authn_logout, session_revoked, sessions_revoked_others)", async () => {
    const user = await insertUser(t);
    const a = await signedIn(t, user);
    const b = await openSession(t, user.id);
    await openSession(t, user.id);
    t.clock.advance(1000);
    expect((await a.delete(`/api/v1/me/sessions/${b.session.id}`)).statusCode).toBe(204);
    t.clock.advance(1000);
    expect((await a.post("/api/v1/me/sessions/revoke-others")).statusCode).toBe(200);
    t.clock.advance(1000);
    const other = await signedIn(t, user);
    t.clock.advance(1000);
    await a.post("/api/v1/auth/logout");
    const { items } = await events(other);
    expect(items.map((e) => e.type)).toEqual([
      "authn_logout",
      "authn_login_success",
      "sessions_revoked_others",
      "session_revoked",
      "authn_login_success",
    ]);
    expect(items[2]?.details).toEqual({ revoked: 1 });
  });
});

describe("I2: refused requests produce matching events in the log", () => {
  it("I2: a CSRF failure (malicious_csrf) and an IDOR attempt (authz_fail) are listed as failures", async () => {
    const [ada, bob] = [await insertUser(t), await insertUser(t)];
    const a = await openSession(t, ada.id);
    const b = await openSession(t, bob.id);
    expect((await a.client.request({ method: "POST", url: "/api/v1/me/sessions/revoke-others", csrf: false })).statusCode).toBe(
      403,
    );
    t.clock.advance(1000);
    expect((await a.client.delete(`/api/v1/me/sessions/${b.session.id}`)).statusCode).toBe(404);
    const { items } = await events(a.client);
    expect(items.map((e) => [e.type, e.result])).toEqual([
      ["authz_fail", "failure"],
      ["malicious_csrf", "failure"],
    ]);
    expect(items[1]?.details).toMatchObject({ reason: "missing token" });
    expect((await events(b.client)).items).toEqual([]);
  });
});

describe("GET /me/events", () => {
  it("answers 401 without a session and 400 for an unknown type or a bad cursor", async () => {
    expect((await t.client().get("/api/v1/me/events")).statusCode).toBe(401);
    const { client } = await openSession(t, (await insertUser(t)).id);
    for (const query of ["?type=authn_login_success,drop_table", "?type=%27%20OR%201%3D1--", "?cursor=%7B%7D", "?format=xml"]) {
      const response = await client.get(`/api/v1/me/events${query}`);
      expect(response.statusCode, query).toBe(400);
      expect(response.json().error.code).toBe("validation_failed");
    }
  });

  it("filters by one type or a comma list", async () => {
    const user = await insertUser(t);
    const { client } = await openSession(t, user.id);
    await insertEvents(user.id, 2, "authn_login_success");
    await insertEvents(user.id, 3, "authn_login_fail");
    await insertEvents(user.id, 1, "mfa_enabled");
    expect((await events(client, "?type=authn_login_fail")).items).toHaveLength(3);
    expect((await events(client, "?type=mfa_enabled,authn_login_success")).items.map((e) => e.type).sort()).toEqual([
      "authn_login_success",
      "authn_login_success",
      "mfa_enabled",
    ]);
  });

  it("keyset pagination returns every event exactly once (25 events sharing one timestamp, pages of 4)", async () => {
    const user = await insertUser(t);
    const { client } = await openSession(t, user.id);
    await insertEvents(user.id, 25);
    const { ids, pages } = await readAllPages(client, "/api/v1/me/events", 4);
    expect(pages).toBe(7);
    expect(ids).toHaveLength(25);
    expect(new Set(ids).size).toBe(25);
    const filtered = await readAllPages(client, "/api/v1/me/events?type=authn_login_success", 10);
    expect(new Set(filtered.ids)).toEqual(new Set(ids));
  });

  it("I4/J2: details never show secrets, whatever a feature wrote", async () => {
    const user = await insertUser(t);
    const { client, token } = await openSession(t, user.id);
    await t.app.services.events.recordEvent(t.app.services.db, {
      type: "authn_reauthenticate",
      userId: user.id,
      details: {
        factor: "password",
        password: TEST_PASSWORD,
        code: "123456",
        recoveryCodes: ["a"],
        tokenHash: "h",
        retryAfterSeconds: 5,
      },
    });
    const response = await client.get("/api/v1/me/events");
    expect(response.json().items[0].details).toEqual({ factor: "password", retryAfterSeconds: 5 });
    for (const secret of [TEST_PASSWORD, "123456", token]) expect(response.body).not.toContain(secret);
  });
});

describe("GET /me/events?format=csv|json (download)", () => {
  it("CSV: an attachment with a header row; quotes, commas, line breaks and formula-looking cells are escaped", async () => {
    const user = await insertUser(t);
    const hostileUa = '=HYPERLINK("http://evil.test","click"), with, commas';
    const client = await signedIn(t, user, { userAgent: hostileUa });
    t.clock.advance(1000);
    await t.app.services.events.recordEvent(t.app.services.db, {
      type: "profile_updated",
      userId: user.id,
      details: { note: 'line one\nline "two"' },
      meta: { ip: "203.0.113.5", userAgent: "@SUM(1+1)" },
    });
    const response = await client.get("/api/v1/me/events?format=csv");
    expect(response.statusCode).toBe(200);
    expect(response.headers["content-type"]).toBe("text/csv; charset=utf-8");
    expect(response.headers["content-disposition"]).toMatch(/^attachment; filename="security-activity-\d{4}-\d{2}-\d{2}\.csv"$/);
    expect(response.headers["cache-control"]).toBe("no-store");
    const rows = parseCsv(response.body);
    expect(rows[0]).toEqual([...CSV_COLUMNS]);
    expect(rows).toHaveLength(3);
    const col = (name: (typeof CSV_COLUMNS)[number]) => CSV_COLUMNS.indexOf(name);
    const [, updated, loginRow] = rows;
    expect(updated?.[col("type")]).toBe("profile_updated");
    expect(updated?.[col("userAgent")]).toBe("'@SUM(1+1)");
    expect(JSON.parse(updated?.[col("details")] ?? "")).toEqual({ note: 'line one\nline "two"' });
    expect(loginRow?.[col("type")]).toBe("authn_login_success");
    expect(loginRow?.[col("userAgent")]).toBe(`'${hostileUa}`);
    expect(response.body).toContain(`"'=HYPERLINK(""http://evil.test"",""click""), with, commas"`);
  });

  it("JSON: every matching event in one file, across several internal batches, each exactly once", async () => {
    const user = await insertUser(t);
    const { client } = await openSession(t, user.id);
    await insertEvents(user.id, 1203, "authn_login_fail");
    await insertEvents(user.id, 2, "mfa_enabled");
    const response = await client.get("/api/v1/me/events?format=json&type=authn_login_fail");
    expect(response.headers["content-type"]).toBe("application/json; charset=utf-8");
    expect(response.headers["content-disposition"]).toMatch(/^attachment; filename="security-activity-.*\.json"$/);
    const items = (response.json() as unknown[]).map((item) => securityEventSchema.parse(item));
    expect(items).toHaveLength(1203);
    expect(new Set(items.map((i) => i.id)).size).toBe(1203);
    expect(new Set(items.map((i) => i.type))).toEqual(new Set(["authn_login_fail"]));
  });

  it("an empty log downloads as a header-only CSV and an empty JSON array", async () => {
    const { client } = await openSession(t, (await insertUser(t)).id);
    expect(parseCsv((await client.get("/api/v1/me/events?format=csv")).body)).toEqual([[...CSV_COLUMNS]]);
    expect((await client.get("/api/v1/me/events?format=json")).json()).toEqual([]);
  });
});
