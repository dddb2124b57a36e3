import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { sql } from "kysely";
import { afterEach, describe, expect, it } from "vitest";
import { exportDocumentSchema, type ExportDocument } from "../../../contracts/data-export.js";
import { toIso } from "../../lib/clock.js";
import { useTestApp } from "@test/use-test-app.js";
import { TEST_DIALECT } from "@test/database.js";
import type { TestApp } from "@test/create-test-app.js";
import { addMember, adminCall, createAccount, expectStatus } from "@test/accounts-fixtures.js";
import { enrollTotp, insertUser, openSession, signedIn, TEST_PASSWORD, UA } from "@test/factories.js";
import { linkTokensFromMail } from "@test/inspect.js";
import { addPasskey, signInWithPasskey } from "@test/passkey-fixtures.js";
import { createSoftAuthenticator, FLAGS, GOOGLE_PM_AAGUID } from "@test/soft-authenticator.js";
import { discover, registerClient, signInToClient } from "../sso/sso.test-support.js";
import { EXPORT_SECTION_OF_TABLE, NOT_EXPORTED } from "./data-export.coverage.js";

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

/** A relying party's back-channel logout endpoint on a local port: answers 204 and keeps each logout token. */
async function logoutReceiver(): Promise<{ uri: string; tokens: string[]; server: Server }> {
  const tokens: string[] = [];
  const server = createServer((req, res) => {
    let body = "";
    req.on("data", (chunk: Buffer) => (body += chunk.toString()));
    req.on("end", () => {
      tokens.push(new URLSearchParams(body).get("logout_token") ?? "");
      res.writeHead(204).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return { uri: `http://127.0.0.1:${(server.address() as AddressInfo).port}/logout`, tokens, server };
}

describe("GET /api/v1/me/export", () => {
  const t = useTestApp();
  const servers: Server[] = [];
  afterEach(async () => {
    for (const server of servers.splice(0)) await new Promise((resolve) => server.close(resolve));
  });

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
    // A synced passkey, then a sign-in with it in another browser (its last use).
    const passkey = await addPasskey(
      t,
      client,
      createSoftAuthenticator({ aaguid: GOOGLE_PM_AAGUID, extraFlags: FLAGS.BE | FLAGS.BS }),
    );
    const browser = t.client();
    expectStatus(await signInWithPasskey(browser, passkey.authenticator), 200);
    // Two apps sign in through that session (connected apps); one takes back-channel logouts.
    const receiver = await logoutReceiver();
    servers.push(receiver.server);
    const portal = await registerClient(t, { name: "Acme Portal", backchannelLogoutUri: receiver.uri });
    const wiki = await registerClient(t, { name: "Acme Wiki" });
    const portalTokens = await signInToClient(t, browser, await discover(t, portal));
    t.clock.advance(1_000);
    const wikiTokens = await signInToClient(t, browser, await discover(t, wiki));
    // Signing out of that browser ends the apps' sign-ins: the portal is told, the wiki cannot be.
    expect((await browser.post("/api/v1/auth/logout")).statusCode).toBe(204);
    await t.app.services.sso.logout.tick();
    await t.app.services.sso.logout.idle();
    expect(receiver.tokens).toHaveLength(1);
    await t.app.services.sessions.whenSettled();
    const linkTokens = [...(await linkTokensFromMail(t, user.email, "/lockdown")), confirm as string];
    const appTokens = [portalTokens.tokens, wikiTokens.tokens].flatMap((set) =>
      [set.access_token, set.id_token, set.refresh_token].filter((v): v is string => typeof v === "string"),
    );
    return {
      user: { ...user, email },
      client,
      enrollment,
      vendor,
      apps: { portal, wiki },
      passkey,
      secrets: {
        sessionToken,
        endedToken: ended.token,
        linkTokens,
        appTokens,
        logoutTokens: receiver.tokens,
        appSecrets: [portal.clientSecret, wiki.clientSecret].filter((v): v is string => typeof v === "string"),
      },
    };
  }

  it("is a JSON attachment that parses with the contract, dates in UTC with the person's zone named", async () => {
    const { user, client, vendor, apps, passkey } = await fullPerson();
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
    expect(doc.profile.disabledAt).toBeNull();
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
    expect(doc.sessions.ended.map((s) => s.endReason).sort()).toEqual(["mfa_enabled", "signed_out", "signed_out"]);
    expect(doc.passkeys).toEqual([
      {
        id: passkey.passkey.id,
        name: passkey.passkey.name,
        authenticator: "Google Password Manager",
        backedUp: true,
        createdAt: expect.any(String),
        lastUsedAt: expect.any(String),
      },
    ]);
    expect(doc.connectedApps.map((a) => a.name).sort()).toEqual(["Acme Portal", "Acme Wiki"]);
    expect(doc.connectedApps[0]).toEqual({
      clientId: expect.any(String),
      name: expect.any(String),
      scopes: ["openid", "profile", "email"],
      grantedAt: expect.any(String),
      lastUsedAt: expect.any(String),
    });
    // Both apps signed in through the passkey session; its sign-out reached the portal only.
    const passkeySession = doc.sessions.ended.find((s) => doc.appSignIns.some((a) => a.sessionId === s.id));
    expect(passkeySession?.endReason).toBe("signed_out");
    expect(passkeySession?.signInMethods).toEqual(expect.arrayContaining(["swk", "user"]));
    // The session that set up the authenticator app proved a code (then added the passkey).
    expect(doc.sessions.active[0]?.signInMethods).toEqual(expect.arrayContaining(["otp", "mfa"]));
    expect(doc.appSignIns).toEqual([
      {
        sessionId: passkeySession?.id,
        clientId: apps.portal.clientId,
        name: "Acme Portal",
        signedInAt: expect.any(String),
        endedAt: passkeySession?.endedAt,
        logout: "sent",
        logoutDeliveredAt: expect.any(String),
      },
      {
        sessionId: passkeySession?.id,
        clientId: apps.wiki.clientId,
        name: "Acme Wiki",
        signedInAt: expect.any(String),
        endedAt: passkeySession?.endedAt,
        logout: "none",
        logoutDeliveredAt: null,
      },
    ]);
    expect(doc.twoFactor.totp?.confirmedAt).toEqual(expect.any(String));
    expect(doc.twoFactor.recoveryCodes.length).toBe(10);
    // The password sign-in on Windows, the passkey sign-in in the test client's browser.
    expect(doc.devices.map((d) => d.device).sort()).toEqual(["Chrome on Linux", "Chrome on Windows"]);
    expect(doc.securityEvents.map((e) => e.type)).toEqual(
      expect.arrayContaining(["authn_login_success", "email_change_confirmed", "mfa_enabled", "passkey_added", "data_exported"]),
    );
    for (const text of JSON.stringify(doc).match(/"\d{4}-\d{2}-\d{2}T[^"]*"/g) ?? [])
      expect(text).toMatch(/^"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z"$/);
  });

  it("covers every table that references the person (read from the schema), each of its rows' times present", async () => {
    const { user, client } = await fullPerson();
    expect((await client.get(EXPORT)).statusCode).toBe(200);
    // The operator disables the person last (their sessions end); the same document, exported by
    // the operator (`export-user`), then holds that too.
    expectStatus(await adminCall(t, "PATCH", `/users/${user.id}`, { status: "disabled" }), 200);
    const doc = exportDocumentSchema.parse(await t.app.services.dataExport.exportPersonData(user.id));
    expect(doc.profile.disabledAt).toBe(toIso(t.clock.now()));
    const schema = await readSchema(t);
    const db = t.app.services.db;
    // A table references the person by a `user_id` column, a foreign key to `users`, or (whatever
    // the column is called, e.g. the sign-in provider's `account_id`) a row holding their id.
    const naming = new Set<string>();
    for (const [table, { columns }] of schema) {
      for (const column of columns) {
        const hit = await sql<{ n: number }>`select count(*) as n from ${sql.table(table)}
          where cast(${sql.ref(column)} as text) like ${`%${user.id}%`}`.execute(db);
        if (Number(hit.rows[0]?.n) > 0) naming.add(table);
      }
    }
    const referencing = [...schema]
      .filter(([n, s]) => s.columns.includes("user_id") || s.references.includes("users") || naming.has(n))
      .map(([n]) => n);
    expect(referencing).toEqual(
      expect.arrayContaining(["sessions", "security_events", "account_memberships", "oidc_state", "webauthn_challenges"]),
    );
    const covered: Record<string, keyof ExportDocument> = EXPORT_SECTION_OF_TABLE;
    for (const table of [...referencing, "users"]) {
      if (table in NOT_EXPORTED) continue;
      expect(covered[table], `table ${table} is not in the export (nor in NOT_EXPORTED with a reason)`).toBeDefined();
    }
    for (const [table, reason] of Object.entries(NOT_EXPORTED)) {
      expect(covered[table], `${table} is both exported and not`).toBeUndefined();
      expect(schema.has(table), `NOT_EXPORTED names ${table}, which is no table`).toBe(true);
      expect(reason.length, `${table} is left out without a reason`).toBeGreaterThan(40);
    }

    // Every time recorded in any of the person's rows appears in its table's section.
    const internal = new Set(["unsettledCutAt", "nextAttemptAt"]);
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
    const { user, client, enrollment, secrets, passkey } = await fullPerson();
    const res = await client.get(EXPORT);
    const text = res.body;
    const forbidden: string[] = [
      secrets.sessionToken,
      secrets.endedToken,
      ...secrets.linkTokens,
      ...secrets.appTokens,
      ...secrets.logoutTokens,
      ...secrets.appSecrets,
      passkey.credential.id.toString("base64url"),
      passkey.credential.publicKeyCose.toString("base64url"),
      passkey.credential.userHandle,
      enrollment.secretBase32,
      Buffer.from(enrollment.secret).toString("hex"),
      Buffer.from(enrollment.secret).toString("base64"),
      ...enrollment.recoveryCodes,
      ...enrollment.recoveryCodes.map((c) => c.replace(/-/g, "")),
      TEST_PASSWORD,
    ];
    // Every stored hash, secret, ciphertext, credential or grant handle of the person's rows,
    // whatever the table: passkeys' credential ids, public keys and user handle, the `sid` and
    // grant id an app knows a session by, a challenge.
    const sensitiveColumn = /hash|secret|encrypted|token|credential_?id|public_?key|user_?handle|^sid$|grant_?id|challenge/i;
    const schema = await readSchema(t);
    for (const [table, { columns }] of schema) {
      const sensitive = columns.filter((c) => sensitiveColumn.test(c));
      if (sensitive.length === 0 || !columns.includes("user_id")) continue;
      const rows = await sql<Record<string, unknown>>`select * from ${sql.table(table)} where user_id = ${user.id}`.execute(
        t.app.services.db,
      );
      for (const row of rows.rows)
        for (const [k, v] of Object.entries(row)) if (sensitiveColumn.test(k) && typeof v === "string") forbidden.push(v);
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
    expect(
      keys.filter((k) => /hash|secret|encrypted|^token$|password$|credentialId|publicKey|userHandle|^sid$|grantId/i.test(k)),
    ).toEqual([]);
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
