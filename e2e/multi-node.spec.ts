import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createPostgresDatabase, type TestDatabase } from "@test/database.js";
import { resolvePostgres, type PostgresServer } from "@test/postgres-server.js";
import { createApiClient } from "./support/api-client.js";
import { createPerson, startServer, type RunningServer } from "./support/server.js";
import { base32Decode, currentStep, totpAtStep } from "./support/totp.js";

const PASSWORD = "juniper-harbor-quartz-58";
const ADMIN_TOKEN = "multi-node-admin-token-0123456789abcdefghijkl";
const KEYS = `1:${Buffer.from(Array.from({ length: 32 }, (_, i) => (i * 53 + 7) % 256)).toString("base64")}`;

/**
 * Two real server processes sharing one PostgreSQL database, as an operator runs several
 * stateless nodes: replay protection, revocation and deletion must hold across them.
 */
describe("two server processes on one PostgreSQL database", () => {
  let pgServer: PostgresServer;
  let database: TestDatabase | undefined;
  let a: RunningServer;
  let b: RunningServer;

  beforeAll(async () => {
    pgServer = await resolvePostgres();
    database = await createPostgresDatabase(pgServer.url, "pc_e2e");
    const env = { DATABASE_URL: database.url, ADMIN_TOKEN, ENCRYPTION_KEYS: KEYS };
    a = await startServer(env);
    b = await startServer(env);
  });
  afterAll(async () => {
    await a?.stop();
    await b?.stop();
    await database?.drop();
    await pgServer.stop();
  });

  async function userWithMfa(email: string): Promise<Buffer> {
    await createPerson(a, { email, firstName: "Node", lastName: "Tester", password: PASSWORD });
    const c = createApiClient(a.url);
    expect((await c.call("POST", "/auth/login", { email, password: PASSWORD })).status).toBe(200);
    const setup = (await c.call("POST", "/me/mfa/totp/setup")).json as { secret: string };
    const secret = base32Decode(setup.secret);
    const confirm = await c.call("POST", "/me/mfa/totp/confirm", { code: totpAtStep(secret, currentStep() - 1) });
    expect(confirm.status).toBe(200);
    return secret;
  }

  it("B3: ten parallel submissions of one code, split over both nodes, give exactly one success", async () => {
    const email = `replay.${Date.now()}@example.com`;
    const secret = await userWithMfa(email);
    const clients = [];
    for (let i = 0; i < 10; i++) {
      const node = i % 2 === 0 ? a : b;
      const c = createApiClient(node.url);
      const login = await c.call("POST", "/auth/login", { email, password: PASSWORD });
      expect(login.json).toEqual({ status: "mfa_required", methods: ["totp", "recovery_code"] });
      clients.push(c);
    }
    const code = totpAtStep(secret, currentStep());
    const results = await Promise.all(clients.map((c) => c.call("POST", "/auth/login/mfa", { code })));
    const statuses = results.map((r) => r.status);
    expect(statuses.filter((s) => s === 200)).toHaveLength(1);
    expect(statuses.filter((s) => s !== 200).every((s) => s === 401 || s === 429)).toBe(true);
  });

  it("C4/C8: a session revoked or deleted on one node fails at once on the other", async () => {
    const email = `cluster.${Date.now()}@example.com`;
    await createPerson(a, { email, firstName: "Clu", lastName: "Ster", password: PASSWORD });
    const onA = createApiClient(a.url);
    expect((await onA.call("POST", "/auth/login", { email, password: PASSWORD })).status).toBe(200);
    const second = createApiClient(b.url);
    expect((await second.call("POST", "/auth/login", { email, password: PASSWORD })).status).toBe(200);
    // The cookie issued by node A works on node B too.
    expect((await onA.on(b.url).call("GET", "/me")).status).toBe(200);
    // Revoke the second session from node A: node B refuses it at its very next request.
    const list = (await onA.call("GET", "/me/sessions")).json as { items: Array<{ id: string; current: boolean }> };
    const other = list.items.find((s) => !s.current);
    expect(other).toBeDefined();
    expect((await onA.call("DELETE", `/me/sessions/${other!.id}`)).status).toBe(204);
    expect((await second.call("GET", "/me")).status).toBe(401);
    // Delete the account on node B with the session made on node A: node A refuses at once.
    const third = createApiClient(a.url);
    expect((await third.call("POST", "/auth/login", { email, password: PASSWORD })).status).toBe(200);
    const del = await onA.on(b.url).call("DELETE", "/me", { password: PASSWORD, confirmEmail: email });
    expect(del.status).toBe(204);
    expect((await third.call("GET", "/me")).status).toBe(401);
  });
});
