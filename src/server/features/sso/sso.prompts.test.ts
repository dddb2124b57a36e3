import * as oidc from "openid-client";
import { describe, expect, it } from "vitest";
import { useTestApp } from "@test/use-test-app.js";
import { addMember, createAccount } from "@test/accounts-fixtures.js";
import { enableTotp, enrollTotp, insertUser, openSession, signedIn, signIn, TEST_PASSWORD } from "@test/factories.js";
import type { TestClient } from "@test/test-client.js";
import { authorizationRequest, discover, follow, registerClient } from "./sso.test-support.js";

const t = useTestApp();

/** Follows an authorization to its end: the code exchanged for tokens (fails when it stops on a page). */
async function finish(
  browser: TestClient,
  config: oidc.Configuration,
  request: Awaited<ReturnType<typeof authorizationRequest>>,
  from: URL | string,
) {
  const landed = await follow(t, browser, from);
  if (landed.url.origin === new URL(t.config.publicUrl).origin) throw new Error(`stopped at ${landed.url.href}`);
  return oidc.authorizationCodeGrant(config, landed.url, {
    pkceCodeVerifier: request.verifier,
    expectedState: request.state,
    expectedNonce: request.nonce,
  });
}

/** The page of ours an authorization stops at, and where it continues (`next`). */
async function stopsAt(browser: TestClient, url: URL) {
  const landed = await follow(t, browser, url);
  expect(landed.url.origin).toBe(new URL(t.config.publicUrl).origin);
  return { page: landed.url.pathname, mode: landed.url.searchParams.get("mode"), next: landed.url.searchParams.get("next")! };
}

describe("sign-in at the authorization endpoint is Profile Center's own", () => {
  it("sends a signed-out browser to /login, then back through the interaction to the client", async () => {
    const user = await insertUser(t);
    const config = await discover(t, await registerClient(t));
    const browser = t.client();
    const request = await authorizationRequest(config);
    const stop = await stopsAt(browser, request.url);
    expect(stop.page).toBe("/login");
    expect(stop.next).toMatch(/^\/oidc\/interaction\//);
    expect((await signIn(browser, user)).statusCode).toBe(200);
    const tokens = await finish(browser, config, request, stop.next);
    expect(tokens.claims()?.sub).toBe(user.id);
  });

  it("the code step of sign-in comes first for a person with MFA; the ID token says so (acr mfa, amr pwd otp mfa)", async () => {
    const user = await insertUser(t);
    const totp = await enableTotp(t, user.id);
    const config = await discover(t, await registerClient(t));
    const browser = t.client();
    const request = await authorizationRequest(config);
    const stop = await stopsAt(browser, request.url);
    await signIn(browser, user);
    // Password done, code pending: still sent to sign in.
    expect((await stopsAt(browser, new URL(stop.next, t.config.publicUrl))).page).toBe("/login");
    expect((await browser.post("/api/v1/auth/login/mfa", { code: totp.codeAt(t.clock.now()) })).statusCode).toBe(200);
    const claims = (await finish(browser, config, request, stop.next)).claims()!;
    expect(claims.acr).toBe("mfa");
    expect(claims.amr).toEqual(["pwd", "otp", "mfa"]);
  });

  it("prompt=none without a session answers login_required (with state and iss), no page", async () => {
    const config = await discover(t, await registerClient(t));
    const request = await authorizationRequest(config, { prompt: "none" });
    const landed = await follow(t, t.client(), request.url);
    expect(landed.url.searchParams.get("error")).toBe("login_required");
    expect(landed.url.searchParams.get("state")).toBe(request.state);
    expect(landed.url.searchParams.get("iss")).toBe(t.config.publicUrl);
  });

  it("prompt=none with a session passes straight through", async () => {
    const user = await insertUser(t);
    const browser = await signedIn(t, user);
    const config = await discover(t, await registerClient(t));
    const request = await authorizationRequest(config, { prompt: "none" });
    expect((await finish(browser, config, request, request.url)).claims()?.sub).toBe(user.id);
  });

  it("prompt=login asks to confirm it's you, then issues a code with the new auth_time", async () => {
    const user = await insertUser(t);
    const browser = await signedIn(t, user);
    const config = await discover(t, await registerClient(t));
    const before = Math.floor(t.clock.now() / 1000);
    const request = await authorizationRequest(config, { prompt: "login" });
    const stop = await stopsAt(browser, request.url);
    expect([stop.page, stop.mode]).toEqual(["/sso/confirm", "password"]);
    // Coming back without confirming stops at the same page.
    expect((await stopsAt(browser, new URL(stop.next, t.config.publicUrl))).page).toBe("/sso/confirm");
    t.clock.advance(5_000);
    expect((await browser.post("/api/v1/auth/reauthenticate", { password: TEST_PASSWORD })).statusCode).toBe(204);
    const claims = (await finish(browser, config, request, stop.next)).claims()!;
    expect(claims.auth_time).toBeGreaterThan(before);
  });

  it("max_age older than the last sign-in asks to confirm; a recent one passes", async () => {
    const user = await insertUser(t);
    const browser = await signedIn(t, user);
    const config = await discover(t, await registerClient(t));
    const fresh = await authorizationRequest(config, { max_age: "300" });
    expect((await finish(browser, config, fresh, fresh.url)).claims()?.sub).toBe(user.id);
    t.clock.advance(10 * 60_000);
    const stale = await authorizationRequest(config, { max_age: "300" });
    const stop = await stopsAt(browser, stale.url);
    expect(stop.page).toBe("/sso/confirm");
    expect((await browser.post("/api/v1/auth/reauthenticate", { password: TEST_PASSWORD })).statusCode).toBe(204);
    const claims = (await finish(browser, config, stale, stop.next)).claims()!;
    expect(claims.auth_time).toBe(Math.floor(t.clock.now() / 1000));
  });

  it("cancel on our page returns access_denied to the client (state and iss)", async () => {
    const config = await discover(t, await registerClient(t));
    const browser = t.client();
    const request = await authorizationRequest(config);
    const stop = await stopsAt(browser, request.url);
    const cancelled = await browser.post(`${stop.next}/cancel`);
    expect(cancelled.statusCode, cancelled.body).toBe(200);
    const landed = await follow(t, browser, (cancelled.json() as { redirectTo: string }).redirectTo);
    expect(landed.url.searchParams.get("error")).toBe("access_denied");
    expect(landed.url.searchParams.get("state")).toBe(request.state);
    expect(landed.url.searchParams.get("iss")).toBe(t.config.publicUrl);
  });
});

describe("MFA at the door", () => {
  it("step-up: a requireMfa client sends a password-only session with an authenticator to the code step", async () => {
    const user = await insertUser(t);
    const totp = await enableTotp(t, user.id);
    const { client: browser } = await openSession(t, user.id); // signed in, no second factor in this session
    const config = await discover(t, await registerClient(t, { requireMfa: true }));
    const request = await authorizationRequest(config);
    const stop = await stopsAt(browser, request.url);
    expect([stop.page, stop.mode]).toEqual(["/sso/confirm", "code"]);
    expect((await browser.post("/api/v1/sso/step-up", { code: "000000" })).statusCode).toBe(401);
    expect((await browser.post("/api/v1/sso/step-up", { code: totp.codeAt(t.clock.now()) })).statusCode).toBe(204);
    const claims = (await finish(browser, config, request, stop.next)).claims()!;
    expect([claims.acr, claims.amr]).toEqual(["mfa", ["pwd", "otp", "mfa"]]);
  });

  it("acr_values=mfa with no authenticator: just-in-time set-up, then on to the client", async () => {
    const user = await insertUser(t);
    const browser = await signedIn(t, user);
    const config = await discover(t, await registerClient(t));
    const request = await authorizationRequest(config, { acr_values: "mfa" });
    const stop = await stopsAt(browser, request.url);
    expect(stop.page).toBe("/sso/mfa-setup");
    await enrollTotp(t, browser);
    expect((await finish(browser, config, request, stop.next)).claims()?.acr).toBe("mfa");
  });

  it("account=<required account>: set-up first; account= sets active_account; a non-member gets access_denied", async () => {
    const user = await insertUser(t);
    const required = await createAccount(t, { name: "Strict Co", mfaPolicy: "required" });
    const open = await createAccount(t, { name: "Open Co" });
    await addMember(t, required.id, user.email, [required.adminGroupId]);
    await addMember(t, open.id, user.email, [open.adminGroupId]);
    const stranger = await createAccount(t, { name: "Elsewhere" });
    const browser = await signedIn(t, user);
    const config = await discover(t, await registerClient(t));

    const toOpen = await authorizationRequest(config, { account: open.id, scope: "openid accounts" });
    const openTokens = await finish(browser, config, toOpen, toOpen.url);
    const info = await oidc.fetchUserInfo(config, openTokens.access_token, user.id);
    expect(info.active_account).toBe(open.id);
    expect(info.accounts).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          id: open.id,
          name: "Open Co",
          groups: ["Administrators"],
          mfa_policy: "optional",
          entry_allowed: true,
        }),
        expect.objectContaining({ id: required.id, mfa_policy: "required", entry_allowed: false }),
      ]),
    );

    const toRequired = await authorizationRequest(config, { account: required.id, scope: "openid accounts" });
    expect((await stopsAt(browser, toRequired.url)).page).toBe("/sso/mfa-setup");

    const malformed = await follow(t, browser, (await authorizationRequest(config, { account: "x".repeat(5000) })).url);
    expect(malformed.url.searchParams.get("error")).toBe("access_denied");
    const toStranger = await authorizationRequest(config, { account: stranger.id });
    const refused = await follow(t, browser, toStranger.url);
    expect(refused.url.searchParams.get("error")).toBe("access_denied");
    expect(refused.url.searchParams.get("code")).toBeNull();
  });
});
