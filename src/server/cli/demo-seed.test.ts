import fs from "node:fs";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { myAccountsResponseSchema } from "../../contracts/accounts.js";
import { createTestApp, type OwnedTestApp, type TestApp } from "@test/create-test-app.js";
import { expectStatus } from "@test/accounts-fixtures.js";
import { insertUser, signedIn } from "@test/factories.js";
import { eventsOfType } from "@test/inspect.js";
import { DEMO_EMAIL, formatDemoLogin, seedDemoWorkspace } from "./demo-seed.js";
import { PASSPHRASE_WORDS } from "./passphrase.js";

/** Starts as main.ts does (keys checked, demo seeded when DEMO is on) and returns what it would print. */
async function start(t: TestApp): Promise<string> {
  await t.app.services.checkReadyToServe();
  const login = await seedDemoWorkspace(t.app.services);
  return login ? formatDemoLogin(login) : "";
}

async function count(t: TestApp, table: "users" | "accounts") {
  return (await t.app.services.db.selectFrom(table).select("id").execute()).length;
}

describe("demo workspace seed", () => {
  let t: OwnedTestApp | undefined;
  afterEach(async () => {
    await t?.close();
    t = undefined;
  });

  it("seeds a vendor, a distributor requiring MFA and a reseller suggesting it, prints the sign-in once", async () => {
    t = await createTestApp({ DEMO: "1" });
    const printed = await start(t);
    const password = /Password:\s+(\S+)/.exec(printed)?.[1];
    expect(password).toBeDefined();
    expect(printed).toContain(`Email:     ${DEMO_EMAIL}`);
    expect(printed).toContain(`${t.config.publicUrl}/login`);
    // The demo portal is a registered client whose secret npm run demo:portal reads from DATA_DIR.
    const portal = JSON.parse(fs.readFileSync(path.join(t.config.dataDir, "demo-portal.json"), "utf8")) as Record<string, string>;
    expect(printed).toContain(`client ${portal.clientId}`);
    expect(printed).not.toContain(portal.clientSecret!);
    expect((await t.app.services.sso.clients.get(portal.clientId!)).redirectUris).toEqual(["http://127.0.0.1:3001/callback"]);
    expect(fs.statSync(path.join(t.config.dataDir, "demo-portal.json")).mode & 0o077).toBe(0);
    // The password is four words from the list and a number, and it signs in.
    expect(
      password!
        .split("-")
        .slice(0, 4)
        .every((w) => PASSPHRASE_WORDS.includes(w)),
    ).toBe(true);
    const client = await signedIn(t, { email: DEMO_EMAIL, password: password! });
    const list = myAccountsResponseSchema.parse(expectStatus(await client.get("/api/v1/me/accounts"), 200));
    expect(list.items.map((a) => [a.type, a.mfaPolicy]).sort()).toEqual([
      ["distributor", "required"],
      ["reseller", "suggested"],
      ["vendor", "optional"],
    ]);
    expect(list.items.map((a) => a.id).every((id) => /^(VA|PA)-\d{3}-\d{3}$/.test(id))).toBe(true);
    const groupSets = list.items.map((a) => a.groups.map((g) => g.name).join(","));
    expect(new Set(groupSets).size).toBe(3);
    expect(list.items.filter((a) => a.groups.some((g) => g.name === "Administrators")).length).toBeGreaterThanOrEqual(1);
    // The password is never stored or logged in clear.
    expect(t.logs.join("\n")).not.toContain(password);
    expect((await eventsOfType(t, "admin_action")).every((e) => JSON.parse(e.details).via === "seed")).toBe(true);

    // A restart prints no password and seeds nothing more.
    const users = await count(t, "users");
    const accounts = await count(t, "accounts");
    const again = await start(t);
    expect(again).not.toContain("Password");
    expect(await count(t, "users")).toBe(users);
    expect(await count(t, "accounts")).toBe(accounts);
  });

  it("A11: never runs over a database that holds users", async () => {
    t = await createTestApp({ DEMO: "1" });
    await insertUser(t, { email: "real.person@example.test" });
    const printed = await start(t);
    expect(printed).not.toContain("Demo workspace");
    expect(await count(t, "users")).toBe(1);
    expect(await count(t, "accounts")).toBe(0);
  });

  it("A11: DEMO=0 leaves an empty database empty", async () => {
    t = await createTestApp({ DEMO: "0" });
    expect(await start(t)).not.toContain("Demo workspace");
    expect(await count(t, "users")).toBe(0);
  });
});
