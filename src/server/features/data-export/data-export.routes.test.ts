import { sql } from "kysely";
import { describe, expect, it } from "vitest";
import { exportDocumentSchema, type ExportDocument } from "../../../contracts/data-export.js";
import { toIso } from "../../lib/clock.js";
import { useTestApp } from "@test/use-test-app.js";
import { TEST_DIALECT } from "@test/database.js";
import type { TestApp } from "@test/create-test-app.js";
import { addMember, createAccount, expectStatus } from "@test/accounts-fixtures.js";
import { enrollTotp, insertUser, openSession, signedIn, TEST_PASSWORD, UA } from "@test/factories.js";
import { linkTokensFromMail } from "@test/inspect.js";
import { EXPORT_SECTION_OF_TABLE } from "./data-export.coverage.js";

const EXPORT = "/api/v1/me/export";

/** Tables of the database (not the migrator's own), each with its columns and the tables its foreign keys point to. */
async function readSchema(t: TestApp): Promise<Map<string, { columns: string[]; references: string[] }>> {
  const db = t.app.services.db;
  const tables = new Map<string, { columns: string[]; references: string[] }>();
  if (TEST_DIALECT === "sqlite") {
    const names = await sql<{ name: string }>`select name from sqlite_master where type = 'table'`.execute(db);
    for (const { name } of names.rows) {
      if (name.startsWith("sqlite_") || name.startsWith("kysely_")) continue;
      const columns = await sql<{ name: string }>`select name from pragma_table_info(${name})`.execute(db);
      const fks = await sql<{ table: string }>`select "table" from pragma_foreign_key_list(${name})`.execute(db);
      tables.set(name, { columns: columns.rows.map((c) => c.name), references: fks.rows.map((f) => f.table) });
    }
    return tables;
  }
  const columns = await sql<{ tableName: string; columnName: string }>`
    select table_name, column_name from information_schema.columns where table_schema = current_schema()`.execute(db);
  for (const { tableName, columnName } of columns.rows) {
    if (tableName.startsWith("kysely_")) continue;
    const entry = tables.get(tableName) ?? { columns: [], references: [] };
    entry.columns.push(columnName);
    tables.set(tableName, entry);
  }
  const fks = await sql<{ tableName: string; referenced: string }>`
    select tc.table_name, ccu.table_name as referenced
    from information_schema.table_constraints tc
    join information_schema.constraint_column_usage ccu on ccu.constraint_name = tc.constraint_name
    where tc.constraint_type = 'FOREIGN KEY' and tc.table_schema = current_schema()`.execute(db);
  for (const { tableName, referenced } of fks.rows) tables.get(tableName)?.references.push(referenced);
  return tables;
}

describe("GET /api/v1/me/export", () => {
  const t = useTestApp();

  /**
   * A person with something in every table that can hold rows about them: a sign-in (device),
   * an email change (links, mail, previous address), an account with groups (made active), an
   * authenticator with recovery codes, live and ended sessions, and the events of all of it.
   */
  async function fullPerson() {
    const user = await insertUser(t);
    const viaLogin = await signedIn(t, user, { userAgent: UA.chromeWindows });
    const vendor = await createAccount(t, { name: "Acme Vendor", groups: ["Finance"] });
    await addMember(t, vendor.id, user.email, [vendor.adminGroupId, vendor.groups.Finance as string]);
    expectStatus(await viaLogin.post("/api/v1/me/active-account", { accountId: vendor.id }), 200);
    expect(
      (await viaLogin.post("/api/v1/me/email-change", { newEmail: "moved@example.com", password: TEST_PASSWORD })).statusCode,
    ).toBe(202);
    const [confirm] = await linkTokensFromMail(t, "moved@example.com", "/confirm-email");
    expectStatus(await t.client().post("/api/v1/me/email-change/confirm", { token: confirm }), 200);
    const email = "moved@example.com";
    const ended = await openSession(t, user.id);
    await ended.client.post("/api/v1/auth/logout");
    const { client, token: sessionToken } = await openSession(t, user.id);
    const enrollment = await enrollTotp(t, client);
    await t.app.services.sessions.whenSettled();
    const linkTokens = [...(await linkTokensFromMail(t, user.email, "/lockdown")), confirm as string];
    return {
      user: { ...user, email },
      client,
      enrollment,
      vendor,
      secrets: { sessionToken, endedToken: ended.token, linkTokens },
    };
  }

  it("is a JSON attachment that parses with the contract, dates in UTC with the person's zone named", async () => {
    const { user, client, vendor } = await fullPerson();
    const res = await client.get(EXPORT);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.headers["content-type"]).toMatch(/^application\/json/);
    expect(res.headers["content-disposition"]).toMatch(
      new RegExp(`^attachment; filename="profile-center-data-${user.id}-\\d{4}-\\d{2}-\\d{2}\\.json"$`),
    );
    const doc = exportDocumentSchema.parse(res.json());
    expect(doc.timezone).toBe(user.timezone);
    expect(doc.exportedAt).toBe(toIso(t.clock.now()));
    expect(doc.profile).toMatchObject({
      id: user.id,
      email: "moved@example.com",
      previousEmail: expect.stringMatching(/@example\.com$/),
    });
    expect(doc.consents).toEqual({ newsOptIn: false, newsOptInChangedAt: null });
    expect(doc.accounts).toEqual([
      expect.objectContaining({
        id: vendor.id,
        name: "Acme Vendor",
        lastActiveChosenAt: expect.any(String),
        groups: expect.any(Array),
      }),
    ]);
    expect(doc.accounts[0]?.groups.map((g) => g.name).sort()).toEqual(["Administrators", "Finance"]);
    expect(doc.sessions.active.map((s) => s.status)).toEqual(["active"]);
    expect(doc.sessions.ended.map((s) => s.endReason).sort()).toEqual(["mfa_enabled", "signed_out"]);
    expect(doc.twoFactor.totp?.confirmedAt).toEqual(expect.any(String));
    expect(doc.twoFactor.recoveryCodes.length).toBe(10);
    expect(doc.devices).toEqual([expect.objectContaining({ device: expect.stringContaining("Chrome") })]);
    expect(doc.securityEvents.map((e) => e.type)).toEqual(
      expect.arrayContaining(["authn_login_success", "email_change_confirmed", "mfa_enabled", "data_exported"]),
    );
    for (const text of JSON.stringify(doc).match(/"\d{4}-\d{2}-\d{2}T[^"]*"/g) ?? [])
      expect(text).toMatch(/^"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z"$/);
  });

  it("covers every table that references the person (read from the schema), each of its rows' times present", async () => {
    const { user, client } = await fullPerson();
    const doc = exportDocumentSchema.parse((await client.get(EXPORT)).json());
    const schema = await readSchema(t);
    const referencing = [...schema]
      .filter(([, s]) => s.columns.includes("user_id") || s.references.includes("users"))
      .map(([n]) => n);
    expect(referencing).toEqual(expect.arrayContaining(["sessions", "security_events", "account_memberships"]));
    const covered: Record<string, keyof ExportDocument> = EXPORT_SECTION_OF_TABLE;
    for (const table of [...referencing, "users"]) expect(covered[table], `table ${table} is not in the export`).toBeDefined();

    // Every time recorded in any of the person's rows appears in its table's section.
    const internal = new Set(["unsettledCutAt", "nextAttemptAt"]);
    const db = t.app.services.db;
    const previous = doc.profile.previousEmail as string;
    for (const [table, section] of Object.entries(covered)) {
      const where =
        table === "users"
          ? sql`id = ${user.id}`
          : table === "mail_outbox"
            ? sql`to_address in (${user.email}, ${previous})`
            : sql`user_id = ${user.id}`;
      const rows = await sql<Record<string, unknown>>`select * from ${sql.table(table)} where ${where}`.execute(db);
      expect(rows.rows.length, `no rows of ${table} in this test`).toBeGreaterThan(0);
      const text = JSON.stringify(doc[section]);
      for (const row of rows.rows) {
        for (const [column, value] of Object.entries(row)) {
          if (!(column === "at" || column.endsWith("At")) || value === null || internal.has(column)) continue;
          expect(text, `${table}.${column}`).toContain(toIso(Number(value)));
        }
      }
    }
  });

  it("holds no secret: no hash, token, TOTP secret or recovery code, and no key that names one", async () => {
    const { user, client, enrollment, secrets } = await fullPerson();
    const res = await client.get(EXPORT);
    const text = res.body;
    const forbidden: string[] = [
      secrets.sessionToken,
      secrets.endedToken,
      ...secrets.linkTokens,
      enrollment.secretBase32,
      Buffer.from(enrollment.secret).toString("hex"),
      Buffer.from(enrollment.secret).toString("base64"),
      ...enrollment.recoveryCodes,
      ...enrollment.recoveryCodes.map((c) => c.replace(/-/g, "")),
      TEST_PASSWORD,
    ];
    // Every stored hash, secret or ciphertext of the person's rows, whatever the table.
    const schema = await readSchema(t);
    for (const [table, { columns }] of schema) {
      const sensitive = columns.filter((c) => /hash|secret|encrypted|token/.test(c));
      if (sensitive.length === 0 || !columns.includes("user_id")) continue;
      const rows = await sql<Record<string, unknown>>`select * from ${sql.table(table)} where user_id = ${user.id}`.execute(
        t.app.services.db,
      );
      for (const row of rows.rows)
        for (const [k, v] of Object.entries(row))
          if (/hash|secret|encrypted|token/i.test(k) && typeof v === "string") forbidden.push(v);
    }
    const userRow = await t.app.services.db
      .selectFrom("users")
      .select("passwordHash")
      .where("id", "=", user.id)
      .executeTakeFirstOrThrow();
    forbidden.push(userRow.passwordHash as string);
    expect(forbidden.length).toBeGreaterThan(20);
    for (const value of forbidden) expect(text.includes(value), `export holds ${value.slice(0, 12)}…`).toBe(false);
    const keys = [...text.matchAll(/"([^"]+)":/g)].map((m) => m[1] as string);
    expect(keys.filter((k) => /hash|secret|encrypted|^token$|password$/i.test(k))).toEqual([]);
  });

  it("is sensitive: a session past the re-authentication age gets 401 reauthentication_required, then passes after re-authenticating", async () => {
    const user = await insertUser(t);
    const { client } = await openSession(t, user.id);
    t.clock.advance(11 * 60_000);
    const stale = await client.get(EXPORT);
    expect(stale.statusCode).toBe(401);
    expect(stale.json().error.code).toBe("reauthentication_required");
    expect(stale.headers["content-disposition"]).toBeUndefined();
    expect((await client.post("/api/v1/auth/reauthenticate", { password: TEST_PASSWORD })).statusCode).toBe(204);
    expect((await client.get(EXPORT)).statusCode).toBe(200);
  });

  it("answers 401 without a session", async () => {
    const res = await t.client().get(EXPORT);
    expect(res.statusCode).toBe(401);
    expect(res.json().error.code).toBe("unauthenticated");
  });
});
