import http from "node:http";
import type { AddressInfo } from "node:net";
import * as jose from "jose";
import * as oidc from "openid-client";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { useTestApp } from "@test/use-test-app.js";
import { adminCall, expectStatus } from "@test/accounts-fixtures.js";
import { insertUser, signedIn, TEST_PASSWORD, type TestUser } from "@test/factories.js";
import { linkTokensFromMail } from "@test/inspect.js";
import { discover, registerClient, signInToClient } from "./sso.test-support.js";

const t = useTestApp();

/** A relying party's back-channel logout endpoint on loopback: records every logout token POSTed. */
let receiver: { url: string; tokens: string[]; status: number; close: () => Promise<void> };
beforeEach(async () => {
  const tokens: string[] = [];
  const state = { status: 200 };
  const server = http.createServer((req, res) => {
    let body = "";
    req.on("data", (chunk: Buffer) => (body += chunk.toString()));
    req.on("end", () => {
      const token = new URLSearchParams(body).get("logout_token");
      if (token && state.status === 200) tokens.push(token);
      res.statusCode = state.status;
      res.end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  receiver = {
    url: `http://127.0.0.1:${port}/backchannel-logout`,
    tokens,
    get status() {
      return state.status;
    },
    set status(value: number) {
      state.status = value;
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
});
afterEach(() => receiver.close());

async function verifyLogoutToken(token: string, clientId: string) {
  const jwks = (await t.app.inject({ method: "GET", url: "/oidc/jwks" })).json() as jose.JSONWebKeySet;
  const { payload, protectedHeader } = await jose.jwtVerify(token, jose.createLocalJWKSet(jwks), {
    issuer: t.config.publicUrl,
    audience: clientId,
    typ: "logout+jwt",
  });
  expect(protectedHeader.kid).toEqual(expect.any(String));
  return payload;
}

/** A person signed in to Profile Center and, through it, to a client with a logout URI. */
async function signedInToApp(user?: TestUser) {
  const person = user ?? (await insertUser(t));
  const browser = await signedIn(t, person);
  const client = await registerClient(t, { backchannelLogoutUri: receiver.url });
  const config = await discover(t, client);
  const { tokens } = await signInToClient(t, browser, config, { scope: "openid offline_access", prompt: "consent" });
  return { user: person, browser, client, config, tokens };
}

/** Runs this node's logout sweep (the jobs run it every 2 s) and returns the tokens received. */
async function sweep() {
  await t.app.services.sso.logout.tick();
  return receiver.tokens;
}

async function expectLoggedOut(app: Awaited<ReturnType<typeof signedInToApp>>) {
  const received = await sweep();
  expect(received).toHaveLength(1);
  const payload = await verifyLogoutToken(received[0]!, app.client.clientId);
  expect(payload).toMatchObject({
    sub: app.user.id,
    sid: app.tokens.claims()!.sid,
    events: { "http://schemas.openid.net/event/backchannel-logout": {} },
  });
  expect(payload.jti).toEqual(expect.any(String));
  expect(payload.nonce).toBeUndefined();
  // The session's refresh tokens stop working.
  await expect(oidc.refreshTokenGrant(app.config, app.tokens.refresh_token!)).rejects.toMatchObject({ error: "invalid_grant" });
  // Delivered once: another sweep sends nothing more.
  expect(await sweep()).toHaveLength(1);
}

const ways: Array<[string, (app: Awaited<ReturnType<typeof signedInToApp>>) => Promise<void>]> = [
  ["sign out", async ({ browser }) => void (await browser.post("/api/v1/auth/logout"))],
  [
    "revoke from another device",
    async ({ user, browser }) => {
      const other = await signedIn(t, user);
      const mine = (await browser.get("/api/v1/me/sessions/current")).json() as { id: string };
      expect((await other.delete(`/api/v1/me/sessions/${mine.id}`)).statusCode).toBe(204);
    },
  ],
  [
    "sign out everywhere else",
    async ({ user }) => {
      const other = await signedIn(t, user);
      expect((await other.post("/api/v1/me/sessions/revoke-others")).statusCode).toBe(200);
    },
  ],
  [
    "password change elsewhere",
    async ({ user }) => {
      const other = await signedIn(t, user);
      const changed = await other.post("/api/v1/me/password", {
        currentPassword: TEST_PASSWORD,
        newPassword: "a completely different passphrase 42",
        signOutOtherSessions: true,
      });
      expect(changed.statusCode, changed.body).toBe(204);
    },
  ],
  [
    "deletion",
    async ({ user, browser }) => {
      const deleted = await browser.delete("/api/v1/me", { password: TEST_PASSWORD, confirmEmail: user.email });
      expect(deleted.statusCode, deleted.body).toBe(204);
    },
  ],
  [
    "an operator disabling the person",
    async ({ user }) => {
      expectStatus(await adminCall(t, "PATCH", `/users/${user.id}`, { status: "disabled" }), 200);
    },
  ],
  [
    "lockdown (This wasn't me)",
    async ({ user }) => {
      // A change from another device mails the person a lockdown link; following it ends every session.
      const other = await signedIn(t, user);
      const changed = await other.post("/api/v1/me/password", {
        currentPassword: TEST_PASSWORD,
        newPassword: "a completely different passphrase 42",
        signOutOtherSessions: false,
      });
      expect(changed.statusCode, changed.body).toBe(204);
      const [token] = await linkTokensFromMail(t, user.email, "/lockdown");
      expect((await t.client().post("/api/v1/auth/lockdown", { token })).statusCode).toBe(204);
    },
  ],
  ["idle expiry", async () => t.clock.advance(t.app.services.sessions.idleMs + 1000)],
  [
    "absolute expiry",
    async ({ browser }) => {
      // Kept active, the session still ends at its absolute limit.
      const step = t.app.services.sessions.idleMs / 2;
      for (let at = 0; at < t.app.services.sessions.maxMs; at += step) {
        t.clock.advance(step);
        await browser.get("/api/v1/me");
      }
    },
  ],
];

describe("back-channel logout: every end of a Profile Center session", () => {
  for (const [way, end] of ways) {
    it(`${way}: a signed logout token with sid to the client's loopback URI, once; refresh tokens end`, async () => {
      const app = await signedInToApp();
      expect(await sweep()).toHaveLength(0);
      await end(app);
      await expectLoggedOut(app);
    });
  }

  it("RP-initiated logout (confirmed) ends the Profile Center session and logs the client out", async () => {
    const app = await signedInToApp();
    const postLogout = "https://rp.example.test/bye";
    await t.app.services.sso.clients.update(app.client.clientId, { postLogoutRedirectUris: [postLogout] });
    const config = await discover(t, app.client);
    const url = oidc.buildEndSessionUrl(config, {
      id_token_hint: app.tokens.id_token!,
      post_logout_redirect_uri: postLogout,
      state: "s1",
    });
    const confirmPage = await app.browser.get(`${url.pathname}${url.search}`);
    expect(confirmPage.statusCode).toBe(200);
    expect(confirmPage.body).toContain("Sign out of Profile Center?");
    const form = /name="xsrf" value="([^"]+)"/.exec(confirmPage.body);
    expect(form).not.toBeNull();
    const confirmed = await app.browser.request({
      method: "POST",
      url: "/oidc/session/end/confirm",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      payload: new URLSearchParams({ xsrf: form![1]!, logout: "yes" }).toString(),
      csrf: false,
    });
    expect(confirmed.statusCode).toBe(303);
    expect(confirmed.headers.location).toBe(`${postLogout}?state=s1`);
    expect((await app.browser.get("/api/v1/me")).statusCode).toBe(401);
    await expectLoggedOut(app);
  });

  it("a tampered id_token_hint is refused, and nothing ends", async () => {
    const app = await signedInToApp();
    const [h, p, s] = app.tokens.id_token!.split(".");
    const tampered = `${h}.${p}.${s!.slice(0, -4)}AAAA`;
    const response = await app.browser.get(`/oidc/session/end?id_token_hint=${tampered}`);
    expect(response.statusCode).toBe(400);
    expect((await app.browser.get("/api/v1/me")).statusCode).toBe(200);
    expect(await sweep()).toHaveLength(0);
  });

  it("retries with back-off until the client answers 200; clients without a URI get nothing", async () => {
    const app = await signedInToApp();
    const silent = await registerClient(t, { name: "No logout URI" });
    await signInToClient(t, app.browser, await discover(t, silent));
    receiver.status = 503;
    await app.browser.post("/api/v1/auth/logout");
    await sweep();
    expect(receiver.tokens).toHaveLength(0);
    receiver.status = 200;
    await sweep();
    expect(receiver.tokens).toHaveLength(0); // not due yet (back-off)
    t.clock.advance(3_000);
    expect(await sweep()).toHaveLength(1);
    // Both attempts are counted on /metrics by result.
    const metrics = (await t.app.inject({ method: "GET", url: "/metrics" })).body;
    expect(metrics).toMatch(/^backchannel_logout_deliveries_total\{result="failed"\} 1$/m);
    expect(metrics).toMatch(/^backchannel_logout_deliveries_total\{result="delivered"\} 1$/m);
  });

  it("Disconnect from Connected apps revokes the app's tokens and logs its sessions out", async () => {
    const app = await signedInToApp();
    const apps = (await app.browser.get("/api/v1/me/apps")).json() as {
      items: Array<{ clientId: string; name: string; scopes: string[] }>;
    };
    expect(apps.items).toEqual([expect.objectContaining({ clientId: app.client.clientId, name: "Portal" })]);
    expect((await app.browser.delete(`/api/v1/me/apps/${app.client.clientId}`)).statusCode).toBe(204);
    expect(((await app.browser.get("/api/v1/me/apps")).json() as { items: unknown[] }).items).toEqual([]);
    expect((await app.browser.delete(`/api/v1/me/apps/${app.client.clientId}`)).statusCode).toBe(404);
    await expectLoggedOut(app);
    // The Profile Center session itself goes on.
    expect((await app.browser.get("/api/v1/me")).statusCode).toBe(200);
    const events = (await app.browser.get("/api/v1/me/events")).json() as { items: Array<{ type: string }> };
    expect(events.items.map((e) => e.type)).toEqual(expect.arrayContaining(["app_signed_in", "app_disconnected"]));
  });
});
