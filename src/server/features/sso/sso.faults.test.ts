import { sql } from "kysely";
import { afterEach, describe, expect, it } from "vitest";
import { createTestApp, type OwnedTestApp, type TestApp } from "@test/create-test-app.js";
import { createTestDatabase, postgresBaseUrl, TEST_DIALECT } from "@test/database.js";
import { insertUser, signedIn, signIn } from "@test/factories.js";
import { startTcpProxy } from "@test/faults.js";
import { authorizationRequest, discover, follow, registerClient, REDIRECT_URI, signInToClient } from "./sso.test-support.js";

/*
 * A database that cannot serve, met at the provider's endpoints: never `server_error`/500, but
 * a 503 `temporarily_unavailable` (RFC 6749's name) with Retry-After, as JSON or, for a browser,
 * the error page; the driver's error is logged; and the same node serves again once the database
 * is back.
 */

let app: OwnedTestApp | undefined;
let cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  await app?.close();
  app = undefined;
  for (const cleanup of cleanups.reverse()) await cleanup();
  cleanups = [];
});

function expectTemporarilyUnavailable(response: { statusCode: number; headers: Record<string, unknown>; json(): unknown }) {
  expect(response.statusCode).toBe(503);
  expect(response.headers["retry-after"]).toMatch(/^\d+$/);
  expect(response.headers["cache-control"]).toBe("no-store");
  expect(response.json()).toEqual({ error: "temporarily_unavailable", error_description: expect.any(String) });
}

const basicOf = (client: { clientId: string; clientSecret?: string | undefined }) =>
  `Basic ${Buffer.from(`${client.clientId}:${client.clientSecret}`).toString("base64")}`;
const FORM = "application/x-www-form-urlencoded";

/**
 * A person signed in to two portals: a live access token of the first, and a fresh code of the
 * second (a new authorization for the same client would end the first one's tokens).
 */
async function portals(t: TestApp) {
  const user = await insertUser(t);
  const browser = await signedIn(t, user);
  const first = await registerClient(t);
  const { tokens } = await signInToClient(t, browser, await discover(t, first), { scope: "openid email" });
  const second = await registerClient(t, { name: "Second portal" });
  const config = await discover(t, second);
  const request = await authorizationRequest(config);
  const code = (await follow(t, browser, request.url)).url.searchParams.get("code");
  expect(code).toEqual(expect.any(String));
  const exchange = () =>
    t.app.inject({
      method: "POST",
      url: "/oidc/token",
      headers: { "content-type": FORM, authorization: basicOf(second) },
      payload: new URLSearchParams({
        grant_type: "authorization_code",
        code: code!,
        redirect_uri: REDIRECT_URI,
        code_verifier: request.verifier,
      }).toString(),
    });
  const userinfo = () =>
    t.app.inject({ method: "GET", url: "/oidc/me", headers: { authorization: `Bearer ${tokens.access_token}` } });
  const introspect = () =>
    t.app.inject({
      method: "POST",
      url: "/oidc/token/introspection",
      headers: { "content-type": FORM, authorization: basicOf(first) },
      payload: `token=${tokens.access_token}`,
    });
  return { browser, config, exchange, userinfo, introspect };
}

describe.skipIf(TEST_DIALECT !== "sqlite")("single sign-on on a SQLite database that refuses writes", () => {
  it("token and authorization answer 503 temporarily_unavailable, never 500; served again after", async () => {
    app = await createTestApp();
    const t = app;
    const { browser, config, exchange } = await portals(t);
    // A browser that reached our sign-in page for an app, then signed in: its next step finishes the interaction (a write).
    const late = t.client();
    const started = await follow(t, late, (await authorizationRequest(config)).url.href);
    expect(started.url.pathname).toBe("/login");
    const interaction = started.url.searchParams.get("next")!;
    expect(interaction).toMatch(/^\/oidc\/interaction\//);
    expect((await signIn(late, await insertUser(t))).statusCode).toBe(200);

    const before = t.logs.length;
    // The connection refuses every write with SQLITE_READONLY, as a database remounted read-only does.
    await sql`pragma query_only = 1`.execute(t.database.db);
    cleanups.push(async () => void (await sql`pragma query_only = 0`.execute(t.database.db).catch(() => undefined)));

    expectTemporarilyUnavailable(await exchange());

    // The person's browser at the authorization endpoint: the error page, 503, never a 500.
    const request = await authorizationRequest(config);
    const page = await browser.get(`${request.url.pathname}${request.url.search}`, { accept: "text/html" });
    expect(page.statusCode).toBe(503);
    expect(page.headers["retry-after"]).toMatch(/^\d+$/);
    expect(page.headers["content-type"]).toContain("text/html");
    expect(page.body).toContain("temporarily_unavailable");
    expect(page.headers.location).toBeUndefined();
    expectTemporarilyUnavailable(await browser.get(`${request.url.pathname}${request.url.search}`));

    // Our interaction page, whose answer the provider's handlers never see: 503 too, never a hang.
    const step = await late.get(interaction, { accept: "text/html" });
    expect(step.statusCode).toBe(503);
    expect(step.headers["retry-after"]).toMatch(/^\d+$/);
    expect(step.body).toContain("temporarily_unavailable");

    const logs = t.logs.slice(before).join("\n");
    expect(logs).toContain('"dbCode":"SQLITE_READONLY');
    expect(logs).toContain("database unavailable");

    await sql`pragma query_only = 0`.execute(t.database.db);
    const again = await authorizationRequest(config);
    const next = await follow(t, browser, again.url);
    expect(next.url.searchParams.get("code")).toEqual(expect.any(String));
  });
});

describe.skipIf(TEST_DIALECT !== "postgres")("single sign-on with the PostgreSQL server gone", () => {
  it("userinfo, introspection and token answer 503 temporarily_unavailable; served again when it returns", async () => {
    const base = new URL(postgresBaseUrl());
    const proxy = await startTcpProxy({ host: base.hostname, port: Number(base.port || 5432) });
    cleanups.push(() => proxy.close());
    const testDb = await createTestDatabase();
    cleanups.push(() => testDb.drop());
    const viaProxy = new URL(testDb.url);
    viaProxy.hostname = "127.0.0.1";
    viaProxy.port = String(proxy.port());
    app = await createTestApp({ DATABASE_URL: viaProxy.toString() });
    const t = app;
    const { exchange, userinfo, introspect } = await portals(t);
    expect((await userinfo()).statusCode).toBe(200);

    await proxy.down();
    expectTemporarilyUnavailable(await userinfo());
    expectTemporarilyUnavailable(await introspect());
    expectTemporarilyUnavailable(await exchange());
    expect(t.logs.join("\n")).toContain("database unavailable");

    await proxy.up();
    expect((await userinfo()).statusCode).toBe(200);
    expect((await introspect()).json()).toMatchObject({ active: true });
  });
});
