import * as oidc from "openid-client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createPostgresDatabase, type TestDatabase } from "@test/database.js";
import { resolvePostgres, type PostgresServer } from "@test/postgres-server.js";
import { createApiClient } from "./support/api-client.js";
import { createPerson, freePort, startServer, type RunningServer } from "./support/server.js";

const PASSWORD = "orchid-lantern-basalt-63";
const ADMIN_TOKEN = "sso-multi-node-admin-token-0123456789abcdefgh";
const KEYS = `1:${Buffer.from(Array.from({ length: 32 }, (_, i) => (i * 29 + 11) % 256)).toString("base64")}`;
const REDIRECT_URI = "http://127.0.0.1:9/callback";

/**
 * Two real server processes behind one PUBLIC_URL over one PostgreSQL database: every OpenID
 * state (codes, keys) is in the database, so a code issued by node A is redeemed on node B, once.
 */
describe("single sign-on on two server processes over one PostgreSQL", () => {
  let pgServer: PostgresServer;
  let database: TestDatabase | undefined;
  let a: RunningServer;
  let b: RunningServer;

  beforeAll(async () => {
    pgServer = await resolvePostgres();
    database = await createPostgresDatabase(pgServer.url, "pc_sso");
    const portA = await freePort();
    // Both nodes answer for the same issuer, as behind a load balancer.
    const env = { DATABASE_URL: database.url, ADMIN_TOKEN, ENCRYPTION_KEYS: KEYS, PUBLIC_URL: `http://127.0.0.1:${portA}` };
    a = await startServer({ ...env, PORT: String(portA) });
    b = await startServer(env);
  }, 90_000);
  afterAll(async () => {
    await a?.stop();
    await b?.stop();
    await database?.drop();
    await pgServer.stop();
  });

  it("a code issued by node A is redeemed once, racing on A and B; both publish the same keys", async () => {
    const email = `sso.nodes.${Date.now()}@example.com`;
    await createPerson(a, { email, firstName: "Node", lastName: "Tester", password: PASSWORD });
    const client = (await a.admin("POST", "/admin/clients", { name: "Portal", redirectUris: [REDIRECT_URI] })).json as {
      clientId: string;
      clientSecret: string;
    };
    const jar = new Map<string, string>();
    const person = createApiClient(a.url, jar);
    expect((await person.call("POST", "/auth/login", { email, password: PASSWORD })).status).toBe(200);
    const config = await oidc.discovery(new URL(a.url), client.clientId, client.clientSecret, undefined, {
      execute: [oidc.allowInsecureRequests],
    });
    const verifier = oidc.randomPKCECodeVerifier();
    const authorize = oidc.buildAuthorizationUrl(config, {
      redirect_uri: REDIRECT_URI,
      scope: "openid",
      code_challenge: await oidc.calculatePKCECodeChallenge(verifier),
      code_challenge_method: "S256",
      state: "s",
    });
    // The person's browser (cookies of A's session) asks node A; signed in, it gets a code at once.
    const session = (await person.call("GET", "/me/sessions/current")).status;
    expect(session).toBe(200);
    const cookie = [...jar].map(([k, v]) => `${k}=${v}`).join("; ");
    const issued = await fetch(authorize, { redirect: "manual", headers: { cookie } });
    expect(issued.status).toBe(303);
    const code = new URL(issued.headers.get("location")!).searchParams.get("code")!;
    expect(code).toBeTruthy();
    const exchange = (node: RunningServer) =>
      fetch(`${node.url}/oidc/token`, {
        method: "POST",
        headers: {
          "content-type": "application/x-www-form-urlencoded",
          authorization: `Basic ${Buffer.from(`${client.clientId}:${client.clientSecret}`).toString("base64")}`,
        },
        body: new URLSearchParams({
          grant_type: "authorization_code",
          code,
          redirect_uri: REDIRECT_URI,
          code_verifier: verifier,
        }),
      });
    const answers = await Promise.all([exchange(b), exchange(a), exchange(b), exchange(a)]);
    const statuses = answers.map((r) => r.status);
    expect(statuses.filter((s) => s === 200)).toHaveLength(1);
    expect(statuses.filter((s) => s === 400)).toHaveLength(3);
    const jwksA = await (await fetch(`${a.url}/oidc/jwks`)).json();
    const jwksB = await (await fetch(`${b.url}/oidc/jwks`)).json();
    expect(jwksB).toEqual(jwksA);
  }, 60_000);
});
