import { spawn } from "node:child_process";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { adminAccountDetailSchema } from "../../contracts/admin.js";
import { useTestApp } from "@test/use-test-app.js";
import { adminCall, expectStatus } from "@test/accounts-fixtures.js";
import { signedIn } from "@test/factories.js";
import { eventsOfType } from "@test/inspect.js";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../..");
const PASSWORD = "harbor quince 58 lantern mosaic";

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

/**
 * The operator CLI as an operator runs it: a separate process (`tsx src/server/cli/admin.ts`)
 * on the test app's database, with no server listening; results are checked through the API.
 */
describe("operator CLI", { timeout: 180_000 }, () => {
  const t = useTestApp({ PUBLIC_URL: "http://localhost:3000" }, { scope: "suite" });
  let accountId = "";
  let userId = "";

  function cli(args: string[], stdin?: string, envOverrides: Record<string, string | undefined> = {}): Promise<Run> {
    const keys = t.config.encryptionKeys.map((k) => `${k.version}:${Buffer.from(k.key).toString("base64")}`).join(",");
    const env = {
      PATH: process.env.PATH ?? "",
      NODE_ENV: "test",
      DATABASE_URL: t.config.databaseUrl,
      DATA_DIR: t.config.dataDir,
      ADMIN_TOKEN: t.config.adminToken,
      ENCRYPTION_KEYS: keys,
      PUBLIC_URL: t.config.publicUrl,
      ...envOverrides,
    };
    for (const [key, value] of Object.entries(env)) if (value === undefined) delete env[key as keyof typeof env];
    return new Promise((resolve, reject) => {
      const child = spawn(process.execPath, ["--no-warnings", "--import", "tsx", "src/server/cli/admin.ts", ...args], {
        cwd: root,
        env,
      });
      let stdout = "";
      let stderr = "";
      child.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
      child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
      child.on("error", reject);
      child.on("close", (code) => resolve({ code, stdout: stdout.trim(), stderr: stderr.trim() }));
      child.stdin.end(stdin ?? "");
    });
  }

  async function detail() {
    return adminAccountDetailSchema.parse(expectStatus(await adminCall(t, "GET", `/accounts/${accountId}`), 200));
  }

  it("create-account prints the new ID; create-group and rename-account / set-mfa-policy change it", async () => {
    const created = await cli(["create-account", "--name", "CLI Vendor", "--type", "vendor"]);
    expect(created.code, created.stderr).toBe(0);
    expect(created.stdout).toMatch(/^VA-\d{3}-\d{3}$/);
    accountId = created.stdout;
    const group = await cli(["create-group", "--account", accountId, "--name", "Finance"]);
    expect(group.code, group.stderr).toBe(0);
    expect(group.stdout).toMatch(/^GR-\d{3}-\d{3}-\d{3}$/);
    expect((await cli(["rename-account", "--account", accountId, "--name", "CLI Vendor GmbH"])).code).toBe(0);
    expect((await cli(["set-mfa-policy", "--account", accountId, "--policy", "suggested"])).code).toBe(0);
    const account = await detail();
    expect(account).toMatchObject({ name: "CLI Vendor GmbH", mfaPolicy: "suggested", type: "vendor" });
    expect(account.groups.map((g) => g.name)).toEqual(["Administrators", "Finance"]);
    const cliEvents = (await eventsOfType(t, "admin_action")).filter((e) => JSON.parse(e.details).via === "cli");
    expect(cliEvents.map((e) => JSON.parse(e.details).operation)).toEqual(
      expect.arrayContaining(["create_account", "create_group", "update_account"]),
    );
  });

  it("create-user reads the password from stdin; the person signs in with it", async () => {
    const run = await cli(
      ["create-user", "--email", "cli.user@example.test", "--first-name", "Cli", "--last-name", "User", "--password-stdin"],
      `${PASSWORD}\n`,
    );
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toMatch(/^UR-\d{3}-\d{3}-\d{3}$/);
    userId = run.stdout;
    await signedIn(t, { email: "cli.user@example.test", password: PASSWORD });
    const taken = await cli(["create-user", "--email", "cli.user@example.test", "--first-name", "A", "--last-name", "B"]);
    expect(taken.code).toBe(1);
    expect(taken.stderr).toContain("email_taken");
  });

  it("add-member adds an existing user by group name, and invites an unknown email", async () => {
    const added = await cli([
      "add-member",
      "--account",
      accountId,
      "--email",
      "cli.user@example.test",
      "--group",
      "administrators",
      "--group",
      "Finance",
    ]);
    expect(added.code, added.stderr).toBe(0);
    expect(added.stdout).toContain("added");
    const invited = await cli([
      "add-member",
      "--account",
      accountId,
      "--email",
      "cli.invitee@example.test",
      "--group",
      "Finance",
    ]);
    expect(invited.code, invited.stderr).toBe(0);
    expect(invited.stdout).toContain("invited");
    expect(invited.stdout).toContain("http://localhost:3000");
    expect(invited.stderr).not.toContain("PUBLIC_URL");
    // The CLI delivered the invitation before exiting.
    const mail = t.mails().find((m) => m.to.includes("cli.invitee@example.test"));
    expect(mail?.raw.replace(/=\r?\n/g, "")).toContain("http://localhost:3000/invitations/accept?token=3D");
    const account = await detail();
    expect(account.members).toEqual([expect.objectContaining({ userId, groupIds: account.groups.map((g) => g.id).sort() })]);
    expect(account.pendingInvitations.map((i) => i.email)).toEqual(["cli.invitee@example.test"]);
  });

  it("set-groups, remove-member (refused for the last administrator), list-accounts and show-account", async () => {
    const demote = await cli(["set-groups", "--account", accountId, "--user", userId, "--group", "Finance"]);
    expect(demote.code).toBe(1);
    expect(demote.stderr).toContain("sole_admin");
    const remove = await cli(["remove-member", "--account", accountId, "--email", "cli.user@example.test"]);
    expect(remove.code).toBe(1);
    expect(remove.stderr).toMatch(/last administrator/);
    const listed = await cli(["list-accounts"]);
    expect(listed.code).toBe(0);
    expect(listed.stdout).toMatch(new RegExp(`${accountId}\\s+vendor\\s+suggested\\s+1\\s+CLI Vendor GmbH`));
    const shown = await cli(["show-account", "--account", accountId, "--json"]);
    expect(adminAccountDetailSchema.parse(JSON.parse(shown.stdout)).members[0]?.userId).toBe(userId);
    const text = await cli(["show-account", "--account", accountId]);
    expect(text.stdout).toContain("Pending invitations");

    // With a second administrator, the first can be removed.
    const second = await cli(["create-user", "--email", "cli.second@example.test", "--first-name", "Sec", "--last-name", "Ond"]);
    expect(
      (await cli(["add-member", "--account", accountId, "--email", "cli.second@example.test", "--group", "Administrators"])).code,
    ).toBe(0);
    const removed = await cli(["remove-member", "--account", accountId, "--user", userId]);
    expect(removed.code, removed.stderr).toBe(0);
    expect((await detail()).members.map((m) => m.userId)).toEqual([second.stdout]);
  });

  it("explains usage: --help, unknown commands and options, missing and invalid values, unknown ids", async () => {
    const help = await cli(["add-member", "--help"]);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain("--group <value>");
    expect((await cli(["--help"])).stdout).toContain("create-account");
    expect((await cli([])).code).toBe(2);
    expect((await cli(["explode"])).code).toBe(2);
    const unknownOption = await cli(["list-accounts", "--colour"]);
    expect(unknownOption.code).toBe(2);
    const missing = await cli(["create-account", "--name", "X"]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain("missing --type");
    const invalid = await cli(["create-account", "--name", "X", "--type", "supplier"]);
    expect(invalid.code).toBe(2);
    expect(invalid.stderr).toContain("--type");
    const unknown = await cli(["show-account", "--account", "VA-000-000"]);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain("not_found");
    const noGroup = await cli(["add-member", "--account", accountId, "--email", "x@example.test", "--group", "Nope"]);
    expect(noGroup.code).toBe(2);
    expect(noGroup.stderr).toContain('no group named "Nope"');
  });

  it("add-member warns when PUBLIC_URL is left at its default: the invitation link may not reach the running server", async () => {
    const run = await cli(
      ["add-member", "--account", accountId, "--email", "cli.default.url@example.test", "--group", "Finance"],
      "",
      {
        PUBLIC_URL: undefined,
        PORT: "4999",
      },
    );
    expect(run.code, run.stderr).toBe(0);
    expect(run.stderr).toContain("Warning: PUBLIC_URL is not set");
    expect(run.stderr).toContain("http://localhost:4999");
  });
});
