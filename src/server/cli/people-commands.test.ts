import { describe, expect, it } from "vitest";
import { adminUserDetailSchema } from "../../contracts/admin-users.js";
import { exportDocumentSchema } from "../../contracts/data-export.js";
import { useTestApp } from "@test/use-test-app.js";
import type { TestApp } from "@test/create-test-app.js";
import { addMember, adminCall, createAccount, expectStatus } from "@test/accounts-fixtures.js";
import { insertUser, openSession, signIn, signedInPerson } from "@test/factories.js";
import { eventsOfType, readUser } from "@test/inspect.js";
import { runAdminCli } from "./admin.js";

/** Runs one CLI command in this process, on the test app's database and keys (as an operator's shell would). */
async function cli(t: TestApp, args: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const keys = t.config.encryptionKeys.map((k) => `${k.version}:${Buffer.from(k.key).toString("base64")}`).join(",");
  const env = {
    NODE_ENV: "test",
    DATABASE_URL: t.config.databaseUrl,
    DATA_DIR: t.config.dataDir,
    ADMIN_TOKEN: t.config.adminToken,
    ENCRYPTION_KEYS: keys,
    PUBLIC_URL: "http://localhost:3000",
  };
  const io = { out: (l: string) => out.push(l), err: (l: string) => err.push(l), readStdin: async () => "" };
  const code = await runAdminCli(args, io, env);
  return { code, stdout: out.join("\n"), stderr: err.join("\n") };
}

async function detail(t: TestApp, id: string) {
  return adminUserDetailSchema.parse(expectStatus(await adminCall(t, "GET", `/users/${id}`), 200));
}

describe("operator CLI: people", { timeout: 120_000 }, () => {
  const t = useTestApp();

  it("list-users searches and filters; show-user prints memberships, MFA and sessions; bad values are usage errors", async () => {
    const user = await insertUser(t, { email: "cli.person@example.com", firstName: "Cli", lastName: "Person" });
    await insertUser(t, { email: "someone.else@example.com" });
    const account = await createAccount(t, { name: "CLI Co" });
    await addMember(t, account.id, user.email, [account.adminGroupId]);
    await openSession(t, user.id);

    const list = await cli(t, ["list-users", "--search", "PERSON"]);
    expect(list.code, list.stderr).toBe(0);
    expect(list.stdout).toContain("cli.person@example.com");
    expect(list.stdout).not.toContain("someone.else");
    const json = await cli(t, ["list-users", "--status", "active", "--json"]);
    expect(JSON.parse(json.stdout)).toHaveLength(2);

    const show = await cli(t, ["show-user", "--email", "cli.person@example.com"]);
    expect(show.code, show.stderr).toBe(0);
    expect(show.stdout).toContain(`${account.id}  CLI Co`);
    expect(show.stdout).toContain("Administrators (administrators)");
    expect(show.stdout).toContain("active sessions: 1");
    const shown = adminUserDetailSchema.parse(JSON.parse((await cli(t, ["show-user", "--user", user.id, "--json"])).stdout));
    expect(shown).toMatchObject({ id: user.id, activeSessions: 1, status: "active" });

    expect((await cli(t, ["list-users", "--status", "banned"])).code).toBe(2);
    expect((await cli(t, ["show-user"])).code).toBe(2);
    expect((await cli(t, ["show-user", "--email", "nobody@example.com"])).code).toBe(2);
    const missing = await cli(t, ["show-user", "--user", "UR-000-000-000"]);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain("not_found");
    const events = (await eventsOfType(t, "admin_action")).map((e) => JSON.parse(e.details));
    expect(events.filter((d) => d.via === "cli").map((d) => d.operation)).toEqual(
      expect.arrayContaining(["list_users", "show_user"]),
    );
    expect(events.find((d) => d.via === "cli")?.requestId).toMatch(/^cli-/);
  });

  it("disable-user ends sessions and warns about sole administrators; enable-user lets the person sign in again", async () => {
    const { user, client } = await signedInPerson(t);
    const account = await createAccount(t, { name: "Only Admin Ltd" });
    await addMember(t, account.id, user.email, [account.adminGroupId]);
    const disabled = await cli(t, ["disable-user", "--email", user.email]);
    expect(disabled.code, disabled.stderr).toBe(0);
    expect(disabled.stdout).toContain("1 session(s) ended");
    expect(disabled.stderr).toContain(`Only Admin Ltd (${account.id})`);
    expect((await client.get("/api/v1/me")).statusCode).toBe(401);
    expect((await signIn(t.client(), user)).json().error.code).toBe("account_disabled");
    expect((await detail(t, user.id)).status).toBe("disabled");
    expect((await cli(t, ["enable-user", "--user", user.id])).code).toBe(0);
    expect((await signIn(t.client(), user)).statusCode).toBe(200);
    const renamed = await cli(t, ["rename-user", "--user", user.id, "--first-name", "Ada Augusta"]);
    expect(renamed.code, renamed.stderr).toBe(0);
    expect((await readUser(t, user.id))?.firstName).toBe("Ada Augusta");
    expect((await cli(t, ["rename-user", "--user", user.id])).code).toBe(2);
    expect((await cli(t, ["rename-user", "--user", user.id, "--last-name", ""])).code).toBe(2);
  });

  it("reset-mfa removes the second factor and ends sessions; revoke-sessions says how many; delete-user needs --yes", async () => {
    const { user, client } = await signedInPerson(t, { mfa: true });
    const reset = await cli(t, ["reset-mfa", "--email", user.email]);
    expect(reset.code, reset.stderr).toBe(0);
    expect((await client.get("/api/v1/me")).statusCode).toBe(401);
    expect(await detail(t, user.id)).toMatchObject({ mfaEnabled: false, mfa: { recoveryCodesLeft: 0 } });
    expect((await signIn(t.client(), user)).json().status).toBe("authenticated");

    await openSession(t, user.id);
    const revoked = await cli(t, ["revoke-sessions", "--user", user.id]);
    expect(revoked.stdout).toBe(`2 session(s) of ${user.id} ended`);
    expect((await cli(t, ["revoke-sessions", "--user", "UR-000-000-000"])).code).toBe(1);

    expect((await cli(t, ["delete-user", "--user", user.id])).code).toBe(2);
    expect(await readUser(t, user.id)).toBeDefined();
    const account = await createAccount(t, { name: "Guarded" });
    await addMember(t, account.id, user.email, [account.adminGroupId]);
    const refused = await cli(t, ["delete-user", "--user", user.id, "--yes"]);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain("sole_admin");
    const other = await insertUser(t);
    await addMember(t, account.id, other.email, [account.adminGroupId]);
    const deleted = await cli(t, ["delete-user", "--user", user.id, "--yes"]);
    expect(deleted.code, deleted.stderr).toBe(0);
    expect(await readUser(t, user.id)).toBeUndefined();
  });

  it("export-user prints a disabled person's data export, with when they were disabled, and records it", async () => {
    const { user } = await signedInPerson(t);
    expect((await cli(t, ["disable-user", "--email", user.email])).code).toBe(0);
    const result = await cli(t, ["export-user", "--email", user.email]);
    expect(result.code, result.stderr).toBe(0);
    const doc = exportDocumentSchema.parse(JSON.parse(result.stdout));
    expect(doc.profile).toMatchObject({ id: user.id, email: user.email, disabledAt: expect.any(String) });
    expect(doc.sessions.active).toEqual([]);
    expect(doc.sessions.ended.map((s) => s.endReason)).toEqual(["account_disabled"]);
    const events = await eventsOfType(t, "data_exported");
    expect(events.map((e) => [e.userId, JSON.parse(e.details)])).toEqual([[user.id, { by: "operator" }]]);
    const unknown = await cli(t, ["export-user", "--email", "nobody@example.com"]);
    expect(unknown.code).not.toBe(0);
    expect(unknown.stdout).toBe("");
  });
});
