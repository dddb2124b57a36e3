import * as jose from "jose";
import { describe, expect, it } from "vitest";
import { useTestApp } from "@test/use-test-app.js";
import { insertUser, signedIn } from "@test/factories.js";
import { adminCall, expectStatus } from "@test/accounts-fixtures.js";
import { discover, signInToClient } from "../features/sso/sso.test-support.js";
import { runAdminCli } from "./admin.js";

/**
 * The single sign-on commands of the operator CLI, run in-process on the test app's database
 * (each opens its own services, as the CLI does beside a running server).
 */
describe("operator CLI: single sign-on clients and keys", { timeout: 120_000 }, () => {
  const t = useTestApp({ PUBLIC_URL: "http://localhost:3000" }, { scope: "suite" });

  async function cli(...args: string[]) {
    const out: string[] = [];
    const err: string[] = [];
    const keys = t.config.encryptionKeys.map((k) => `${k.version}:${Buffer.from(k.key).toString("base64")}`).join(",");
    const code = await runAdminCli(
      args,
      { out: (l) => out.push(l), err: (l) => err.push(l), readStdin: () => Promise.resolve("") },
      {
        NODE_ENV: "test",
        DATABASE_URL: t.config.databaseUrl,
        DATA_DIR: t.config.dataDir,
        ADMIN_TOKEN: t.config.adminToken,
        ENCRYPTION_KEYS: keys,
        PUBLIC_URL: t.config.publicUrl,
        LOG_LEVEL: "warn",
      },
    );
    return { code, out: out.join("\n"), err: err.join("\n") };
  }

  let clientId = "";
  let secret = "";

  it("create-client prints the id and the secret once; the client signs people in", async () => {
    const run = await cli(
      "create-client",
      "--name",
      "Portal",
      "--redirect-uri",
      "https://rp.example.test/callback",
      "--require-mfa",
    );
    expect(run.code, run.err).toBe(0);
    clientId = /client_id: (\S+)/.exec(run.out)![1]!;
    secret = /client_secret: (\S+)/.exec(run.out)![1]!;
    const stored = await t.app.services.oidcClients.find(clientId);
    expect(stored?.secretHash).not.toContain(secret);
    expect(stored?.requireMfa).toBe(1);
    expect(await cli("create-client", "--name", "Bad", "--redirect-uri", "not a url")).toMatchObject({ code: 1 });
    expect(await cli("create-client", "--name", "Missing")).toMatchObject({ code: 2 });
  });

  it("list-clients and update-client; the admin API sees the same", async () => {
    expect((await cli("list-clients")).out).toContain(clientId);
    const updated = await cli(
      "update-client",
      "--client",
      clientId,
      "--require-mfa",
      "no",
      "--backchannel-logout-uri",
      "http://10.0.0.7/logout",
    );
    expect(updated.code, updated.err).toBe(0);
    const api = expectStatus<{ requireMfa: boolean; backchannelLogoutUri: string }>(
      await adminCall(t, "GET", `/clients/${clientId}`),
      200,
    );
    expect(api).toMatchObject({ requireMfa: false, backchannelLogoutUri: "http://10.0.0.7/logout" });
    expect((await cli("update-client", "--client", "pc-nope", "--name", "x")).code).toBe(1);
  });

  it("rotate-client-secret: the new secret works, the old one stops", async () => {
    const user = await insertUser(t);
    const browser = await signedIn(t, user);
    const run = await cli("rotate-client-secret", "--client", clientId);
    expect(run.code, run.err).toBe(0);
    const fresh = /client_secret: (\S+)/.exec(run.out)![1]!;
    // 401 invalid_client (openid-client reports it as the WWW-Authenticate challenge).
    await expect(signInToClient(t, browser, await discover(t, { clientId, clientSecret: secret }))).rejects.toThrow(
      /WWW-Authenticate/,
    );
    const { tokens } = await signInToClient(t, browser, await discover(t, { clientId, clientSecret: fresh }));
    expect(tokens.claims()?.sub).toBe(user.id);
    secret = fresh;
  });

  it("rotate-signing-key: the new key signs after the server picks it up; the old one stays published", async () => {
    const jwks = async () => (await t.app.inject({ method: "GET", url: "/oidc/jwks" })).json() as jose.JSONWebKeySet;
    const before = (await jwks()).keys.map((k) => k.kid);
    expect(before).toHaveLength(1);
    const run = await cli("rotate-signing-key");
    expect(run.code, run.err).toBe(0);
    const kid = /new signing key: (\S+)/.exec(run.out)![1]!;
    expect(await t.app.services.sso.reloadKeysIfChanged()).toBe(true);
    expect((await jwks()).keys.map((k) => k.kid)).toEqual([kid, before[0]]);
    const user = await insertUser(t);
    const { tokens } = await signInToClient(t, await signedIn(t, user), await discover(t, { clientId, clientSecret: secret }));
    expect(jose.decodeProtectedHeader(tokens.id_token!).kid).toBe(kid);
    // Stored encrypted: no private key material in the clear.
    const rows = await t.app.services.oidcClients.listKeys();
    for (const row of rows) expect(row.materialEncrypted).not.toContain('"d"');
  });

  it("delete-client revokes its tokens; unknown ids fail", async () => {
    expect((await cli("delete-client", "--client", clientId)).code).toBe(0);
    expect((await adminCall(t, "GET", `/clients/${clientId}`)).statusCode).toBe(404);
    expect((await cli("delete-client", "--client", clientId)).code).toBe(1);
  });
});
