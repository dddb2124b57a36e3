import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, describe, expect, it, vi } from "vitest";
import { useTestApp } from "@test/use-test-app.js";
import { insertUser, signedIn } from "@test/factories.js";
import { addMember, createAccount } from "@test/accounts-fixtures.js";
import { discover, registerClient, signInToClient } from "./sso.test-support.js";
import type { FastAnswer } from "./oidc-fast-path.js";

/*
 * Userinfo and introspection answered beside the provider (oidc-fast-path.ts) must answer exactly
 * as the provider's own endpoints do. Each case goes to the fast path and to the provider itself
 * (its Koa app on a server of its own, over the same database), and the answers are compared:
 * status, the OAuth headers and the JSON body. Requests the fast path leaves to the provider are
 * checked end to end through the app against the same provider answer.
 */

const t = useTestApp();

/** Headers of an answer that a client acts on. */
const COMPARED = [
  "cache-control",
  "content-type",
  "www-authenticate",
  "vary",
  "access-control-allow-origin",
  "access-control-expose-headers",
];

interface Answer {
  status: number;
  headers: Record<string, string | undefined>;
  body: unknown;
}

let providerOrigin = "";
let server: http.Server | undefined;

afterAll(async () => {
  await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
});

/** The provider's own Koa app on a server of its own (started on first use: the app is built per file). */
async function providerServer(): Promise<string> {
  if (server) return providerOrigin;
  server = http.createServer((req, res) => void t.app.services.sso.provider().callback()(req, res));
  await new Promise<void>((resolve) => server!.listen(0, "127.0.0.1", resolve));
  providerOrigin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return providerOrigin;
}

/** The provider's answer to a request (forwarded headers as sso.routes.ts sets them). */
async function fromProvider(
  method: "GET" | "POST",
  path: string,
  headers: Record<string, string>,
  body?: string,
): Promise<Answer> {
  const issuer = new URL(t.config.publicUrl);
  const response = await fetch(`${await providerServer()}${path}`, {
    method,
    headers: { ...headers, "x-forwarded-host": issuer.host, "x-forwarded-proto": issuer.protocol.slice(0, -1) },
    ...(body !== undefined ? { body } : {}),
  });
  return {
    status: response.status,
    headers: Object.fromEntries(COMPARED.map((h) => [h, response.headers.get(h) ?? undefined])),
    body: await response.json(),
  };
}

/** Each test's app listening on a port of its own (useTestApp builds one per test). */
const appOrigins = new WeakMap<object, string>();

/** The app's answer over HTTP (fast path or provider, as the route decides). */
async function fromApp(method: "GET" | "POST", path: string, headers: Record<string, string>, body?: string): Promise<Answer> {
  let appOrigin = appOrigins.get(t.app);
  if (!appOrigin) {
    await t.app.listen({ port: 0, host: "127.0.0.1" });
    appOrigin = `http://127.0.0.1:${(t.app.server.address() as AddressInfo).port}`;
    appOrigins.set(t.app, appOrigin);
  }
  const response = await fetch(`${appOrigin}${path}`, { method, headers, ...(body !== undefined ? { body } : {}) });
  return {
    status: response.status,
    headers: Object.fromEntries(COMPARED.map((h) => [h, response.headers.get(h) ?? undefined])),
    body: await response.json(),
  };
}

function ofFast(answer: FastAnswer | undefined): Answer {
  expect(answer, "the fast path answers this request itself").toBeDefined();
  return {
    status: answer!.status,
    headers: Object.fromEntries(COMPARED.map((h) => [h, answer!.headers[h]])),
    body: answer!.body,
  };
}

const bearer = (token: string) => ({ authorization: `Bearer ${token}` });
const FORM = { "content-type": "application/x-www-form-urlencoded" };

async function userinfoBoth(token: string) {
  const fast = ofFast(await t.app.services.sso.fastPath.userinfo("/oidc/me", bearer(token)));
  const provider = await fromProvider("GET", "/oidc/me", bearer(token));
  const app = await fromApp("GET", "/oidc/me", bearer(token));
  return { fast, provider, app };
}

async function introspectionBoth(headers: Record<string, string>, form: string) {
  const fast = ofFast(await t.app.services.sso.fastPath.introspection({ ...FORM, ...headers }, Buffer.from(form)));
  const provider = await fromProvider("POST", "/oidc/token/introspection", { ...FORM, ...headers }, form);
  const app = await fromApp("POST", "/oidc/token/introspection", { ...FORM, ...headers }, form);
  return { fast, provider, app };
}

function basicOf(client: { clientId: string; clientSecret?: string | undefined }, secret = client.clientSecret ?? "") {
  return {
    authorization: `Basic ${Buffer.from(`${encodeURIComponent(client.clientId)}:${encodeURIComponent(secret)}`).toString("base64")}`,
  };
}

async function portalSignIn(scope: string, options: { phone?: string; prompt?: string } = {}) {
  const user = await insertUser(t, options.phone ? { phone: options.phone } : {});
  const browser = await signedIn(t, user);
  const client = await registerClient(t);
  const config = await discover(t, client);
  const { tokens } = await signInToClient(t, browser, config, { scope, ...(options.prompt ? { prompt: options.prompt } : {}) });
  return { user, browser, client, config, tokens };
}

describe("userinfo beside the provider", () => {
  it.each([
    ["openid profile email", {}],
    ["openid", {}],
    ["openid phone email", { phone: "+44 20 7946 0958" }],
  ] as const)("answers scope %s exactly as the provider", async (scope, options) => {
    const { tokens, user } = await portalSignIn(scope, options);
    const { fast, provider, app } = await userinfoBoth(tokens.access_token);
    expect(fast.status).toBe(200);
    expect((fast.body as { sub: string }).sub).toBe(user.id);
    expect(fast).toEqual(provider);
    expect(app).toEqual(provider);
    // Answered once: nothing went on to the provider after the fast path had answered.
    expect(t.logs.filter((line) => /"level":(50|60)/.test(line))).toEqual([]);
  });

  it("answers the accounts scope (groups, policies, entry) exactly as the provider", async () => {
    const user = await insertUser(t);
    const account = await createAccount(t, { name: "Acme Vendor", groups: ["Buyers"] });
    const required = await createAccount(t, { name: "Strict Reseller", type: "reseller", mfaPolicy: "required" });
    await addMember(t, account.id, user.email, [account.groups.Buyers!]);
    await addMember(t, required.id, user.email, [required.adminGroupId]);
    const browser = await signedIn(t, user);
    const config = await discover(t, await registerClient(t));
    const { tokens } = await signInToClient(t, browser, config, { scope: "openid accounts", account: account.id });
    const { fast, provider } = await userinfoBoth(tokens.access_token);
    expect((fast.body as { accounts: unknown[] }).accounts).toHaveLength(2);
    expect((fast.body as { active_account: string }).active_account).toBe(account.id);
    expect(fast).toEqual(provider);
  });

  it("refuses what the provider refuses: unknown, a refresh token, a signed-out session, a disconnected app, expiry", async () => {
    const { tokens, browser, client } = await portalSignIn("openid email offline_access", { prompt: "consent" });
    expect(tokens.refresh_token).toEqual(expect.any(String));
    const refused = async (token: string) => {
      const { fast, provider, app } = await userinfoBoth(token);
      expect(fast.status).toBe(401);
      expect(fast.headers["www-authenticate"]).toContain('error="invalid_token"');
      expect(fast).toEqual(provider);
      expect(app).toEqual(provider);
    };
    await refused("A".repeat(43));
    await refused(tokens.refresh_token!);

    // Access tokens last ten minutes, and the provider finds them 15 seconds longer (its clock tolerance).
    const { tokens: second } = await portalSignIn("openid email");
    const issuedAt = Date.now();
    vi.useFakeTimers({ toFake: ["Date"], now: issuedAt + 605_000 });
    try {
      const { fast, provider } = await userinfoBoth(second.access_token);
      expect(fast.status).toBe(200);
      expect(fast).toEqual(provider);
      vi.setSystemTime(issuedAt + 620_000);
      await refused(second.access_token);
    } finally {
      vi.useRealTimers();
    }

    // Disconnect revokes the grant and every token of it.
    expect((await browser.delete(`/api/v1/me/apps/${client.clientId}`)).statusCode).toBe(204);
    await refused(tokens.access_token);
  });

  it("a token bound to its sign-in stops when the Profile Center session ends", async () => {
    const { tokens, browser } = await portalSignIn("openid profile");
    expect((await userinfoBoth(tokens.access_token)).fast.status).toBe(200);
    expect((await browser.post("/api/v1/auth/logout")).statusCode).toBe(204);
    await t.app.services.sso.logout.tick();
    const { fast, provider } = await userinfoBoth(tokens.access_token);
    expect(fast.status).toBe(401);
    expect(fast).toEqual(provider);
  });

  it("reads the session on its own for a token stored before its row named the session", async () => {
    const { tokens, browser } = await portalSignIn("openid email");
    await t.app.services.db.updateTable("oidcState").set({ uid: null }).where("model", "=", "AccessToken").execute();
    const live = await userinfoBoth(tokens.access_token);
    expect(live.fast.status).toBe(200);
    expect(live.fast).toEqual(live.provider);
    expect((await browser.post("/api/v1/auth/logout")).statusCode).toBe(204);
    await t.app.services.sso.logout.tick();
    const ended = await userinfoBoth(tokens.access_token);
    expect(ended.fast.status).toBe(401);
    expect(ended.fast).toEqual(ended.provider);
  });

  it("leaves other shapes to the provider: a query, DPoP, a CORS request, a form body", async () => {
    const { tokens } = await portalSignIn("openid email");
    const fast = t.app.services.sso.fastPath;
    expect(await fast.userinfo("/oidc/me?scope=openid", bearer(tokens.access_token))).toBeUndefined();
    expect(await fast.userinfo("/oidc/me", { ...bearer(tokens.access_token), dpop: "x" })).toBeUndefined();
    expect(
      await fast.userinfo("/oidc/me", { ...bearer(tokens.access_token), origin: "https://rp.example.test" }),
    ).toBeUndefined();
    expect(await fast.userinfo("/oidc/me", { authorization: `bearer ${tokens.access_token}` })).toBeUndefined();
    expect(await fast.userinfo("/oidc/me", {})).toBeUndefined();
    for (const [path, headers] of [
      ["/oidc/me?scope=openid", bearer(tokens.access_token)],
      ["/oidc/me?scope=openid%20phone", bearer(tokens.access_token)],
      ["/oidc/me", { authorization: `bearer ${tokens.access_token}` }],
      ["/oidc/me", {}],
    ] as const) {
      expect(await fromApp("GET", path, headers)).toEqual(await fromProvider("GET", path, headers));
    }
  });
});

describe("introspection beside the provider", () => {
  it("answers active tokens of the client exactly as the provider (Basic or form credentials, hints)", async () => {
    const { tokens, client, user } = await portalSignIn("openid email offline_access", { prompt: "consent" });
    const post = `client_id=${encodeURIComponent(client.clientId)}&client_secret=${encodeURIComponent(client.clientSecret!)}`;
    for (const [headers, form] of [
      [basicOf(client), `token=${tokens.access_token}`],
      [basicOf(client), `token=${tokens.access_token}&token_type_hint=refresh_token`],
      [basicOf(client), `token=${tokens.refresh_token}`],
      [basicOf(client), `token=${tokens.refresh_token}&token_type_hint=access_token`],
      [basicOf(client), `token=${tokens.access_token}&client_id=${encodeURIComponent(client.clientId)}`],
      [{}, `token=${tokens.access_token}&${post}`],
    ] as const) {
      const { fast, provider, app } = await introspectionBoth(headers, form);
      expect(fast.body).toMatchObject({ active: true, sub: user.id, client_id: client.clientId });
      expect(fast).toEqual(provider);
      expect(app).toEqual(provider);
    }
    expect(t.logs.filter((line) => /"level":(50|60)/.test(line))).toEqual([]);
  });

  it("answers inactive exactly as the provider: unknown, another client's, a used refresh token, expired", async () => {
    const { tokens, client, config } = await portalSignIn("openid email offline_access", { prompt: "consent" });
    const other = await registerClient(t, { name: "Other" });
    const inactive = async (headers: Record<string, string>, form: string) => {
      const { fast, provider, app } = await introspectionBoth(headers, form);
      expect(fast.body).toEqual({ active: false });
      expect(fast).toEqual(provider);
      expect(app).toEqual(provider);
    };
    await inactive(basicOf(client), `token=${"B".repeat(43)}`);
    await inactive(basicOf(other), `token=${tokens.access_token}`);
    await inactive(basicOf(other), `token=${tokens.refresh_token}`);

    const { refreshTokenGrant } = await import("openid-client");
    const rotated = await refreshTokenGrant(config, tokens.refresh_token!);
    await inactive(basicOf(client), `token=${tokens.refresh_token}`);
    expect((await introspectionBoth(basicOf(client), `token=${rotated.refresh_token}`)).fast.body).toMatchObject({
      active: true,
    });

    // Inactive from `exp` on, without the tolerance userinfo has.
    vi.useFakeTimers({ toFake: ["Date"], now: Date.now() + 605_000 });
    try {
      await inactive(basicOf(client), `token=${rotated.access_token}`);
    } finally {
      vi.useRealTimers();
    }
  });

  it("leaves the rest to the provider, which answers through the app unchanged", async () => {
    const { tokens, client } = await portalSignIn("openid email");
    const fast = t.app.services.sso.fastPath;
    const cases: Array<[Record<string, string>, string]> = [
      [basicOf(client, "wrong-secret"), `token=${tokens.access_token}`],
      [basicOf({ clientId: "pc-nobody", clientSecret: "x" }), `token=${tokens.access_token}`],
      [basicOf(client), ""],
      [basicOf(client), `token=${tokens.access_token}&token=${tokens.access_token}`],
      [basicOf(client), `token=${tokens.access_token}&client_secret=${client.clientSecret}`],
      [basicOf(client), `token=${tokens.access_token}&client_id=pc-someone-else`],
      [basicOf(client), `token=${tokens.access_token}&token_type_hint=id_token`],
      [basicOf(client), `token=${tokens.access_token}&extra=1`],
      [{ authorization: "Basic !!!" }, `token=${tokens.access_token}`],
      [{}, `token=${tokens.access_token}&client_id=${client.clientId}`],
      [{}, `token=${tokens.access_token}`],
    ];
    for (const [headers, form] of cases) {
      expect(await fast.introspection({ ...FORM, ...headers }, Buffer.from(form)), form).toBeUndefined();
      const provider = await fromProvider("POST", "/oidc/token/introspection", { ...FORM, ...headers }, form);
      expect(await fromApp("POST", "/oidc/token/introspection", { ...FORM, ...headers }, form)).toEqual(provider);
    }
    // A JSON body is not a form: the provider's own refusal.
    const json = { "content-type": "application/json", ...basicOf(client) };
    expect(await fast.introspection(json, Buffer.from("{}"))).toBeUndefined();
    expect(await fromApp("POST", "/oidc/token/introspection", json, "{}")).toEqual(
      await fromProvider("POST", "/oidc/token/introspection", json, "{}"),
    );
  });
});
