import http from "node:http";
import type { AddressInfo } from "node:net";
import * as oidc from "openid-client";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { launchBrowser, submitSignIn } from "./support/browser.js";
import { createPerson, freePort, startServer, type RunningServer } from "./support/server.js";
import { base32Decode, currentStep, totpAtStep } from "./support/totp.js";

const PASSWORD = "lilac-harbor-vector-27";

/**
 * Single sign-on as a person meets it in Chromium: a relying party (openid-client, in this
 * process, with its redirect URI on a loopback listener) sends the browser to Profile Center,
 * which signs the person in with its own pages (sign-in, just-in-time MFA set-up for an account
 * that requires it, confirm it's you), then back to the app with a code.
 */
describe("single sign-on in the browser", () => {
  let server: RunningServer;
  let browser: Browser;
  let callback: { url: string; close: () => Promise<void> };
  let config: oidc.Configuration;
  let strictAccount = "";
  const email = `grace.sso.${Date.now()}@example.com`;

  beforeAll(async () => {
    const rp = http.createServer((_req, res) => res.end("signed in"));
    await new Promise<void>((resolve) => rp.listen(0, "127.0.0.1", resolve));
    callback = {
      url: `http://127.0.0.1:${(rp.address() as AddressInfo).port}/callback`,
      close: () => new Promise((resolve) => rp.close(() => resolve())),
    };
    const port = await freePort();
    server = await startServer({ PORT: String(port), PUBLIC_URL: `http://127.0.0.1:${port}` });
    browser = await launchBrowser();
    await createPerson(server, { email, firstName: "Grace", lastName: "Hopper", password: PASSWORD });
    const account = await server.admin("POST", "/admin/accounts", { name: "Strict Co", type: "vendor", mfaPolicy: "required" });
    const created = account.json as { id: string; groups: Array<{ id: string }> };
    strictAccount = created.id;
    expect(
      (await server.admin("POST", `/admin/accounts/${strictAccount}/members`, { email, groupIds: [created.groups[0]!.id] }))
        .status,
    ).toBe(201);
    const client = (await server.admin("POST", "/admin/clients", { name: "Portal", redirectUris: [callback.url] })).json as {
      clientId: string;
      clientSecret: string;
    };
    config = await oidc.discovery(new URL(server.url), client.clientId, client.clientSecret, undefined, {
      execute: [oidc.allowInsecureRequests],
    });
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
    await callback?.close();
  });

  /** Starts an authorization in the page; resolves with what the app needs to redeem the code. */
  async function authorize(page: Page, params: Record<string, string>) {
    const verifier = oidc.randomPKCECodeVerifier();
    const state = oidc.randomState();
    const url = oidc.buildAuthorizationUrl(config, {
      redirect_uri: callback.url,
      scope: "openid profile accounts",
      code_challenge: await oidc.calculatePKCECodeChallenge(verifier),
      code_challenge_method: "S256",
      state,
      ...params,
    });
    await page.goto(url.href);
    return { verifier, state };
  }

  async function redeem(page: Page, request: { verifier: string; state: string }) {
    await page.waitForURL((url) => url.href.startsWith(callback.url), { timeout: 20_000 });
    return oidc.authorizationCodeGrant(config, new URL(page.url()), {
      pkceCodeVerifier: request.verifier,
      expectedState: request.state,
    });
  }

  let secret: Buffer = Buffer.alloc(0);
  let lastStep = 0;
  /** A code of a step the server has not seen yet (each works once; T+1 is accepted). */
  async function freshCode(): Promise<string> {
    for (;;) {
      const now = currentStep();
      const step = Math.max(lastStep + 1, now);
      if (step <= now + 1) {
        lastStep = step;
        return totpAtStep(secret, step);
      }
      await new Promise((resolve) => setTimeout(resolve, 1000));
    }
  }

  it("account=<required account>: sign in, set up MFA just in time, then back to the app with acr mfa", async () => {
    const page = await browser.newPage();
    const request = await authorize(page, { account: strictAccount });
    await page.waitForURL(/\/login\?next=%2Foidc%2Finteraction%2F/);
    await submitSignIn(page, email, PASSWORD);
    await page.waitForURL(/\/sso\/mfa-setup\?next=/);
    await page.getByRole("heading", { name: "Set up two-factor authentication" }).first().waitFor();
    const key = ((await page.getByLabel("Setup key").textContent()) ?? "").replace(/\s/g, "");
    secret = base32Decode(key);
    lastStep = currentStep();
    await page.getByLabel("6-digit code").fill(totpAtStep(secret, lastStep));
    await page.getByRole("button", { name: /verify and turn on/i }).click();
    await page.getByRole("list", { name: "Recovery codes" }).waitFor();
    await page.getByRole("button", { name: /i saved my recovery codes/i }).click();
    const tokens = await redeem(page, request);
    const claims = tokens.claims()!;
    expect(claims.acr).toBe("mfa");
    expect(claims.amr).toEqual(["pwd", "otp", "mfa"]);
    const info = await oidc.fetchUserInfo(config, tokens.access_token, claims.sub);
    expect(info.active_account).toBe(strictAccount);
    await page.close();
  }, 60_000);

  it("prompt=login: confirm it's you (password and code) on our page, then back to the app", async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    // Signed in already (with the code step), in this browser.
    await page.goto(`${server.url}/login`);
    await submitSignIn(page, email, PASSWORD);
    await page.getByLabel("6-digit code").fill(await freshCode());
    await page.getByRole("button", { name: /verify/i }).click();
    await page.waitForURL(/\/profile\//);
    // An app that is happy with the session passes straight through.
    const quiet = await authorize(page, { prompt: "none" });
    expect((await redeem(page, quiet)).claims()?.sub).toMatch(/^UR-/);
    const request = await authorize(page, { prompt: "login" });
    await page.waitForURL(/\/sso\/confirm\?/);
    await page.getByLabel("Password", { exact: true }).fill(PASSWORD);
    await page
      .getByLabel(/code/i)
      .first()
      .fill(await freshCode());
    await page.getByRole("button", { name: "Continue" }).click();
    const tokens = await redeem(page, request);
    expect(tokens.claims()?.acr).toBe("mfa");
    await context.close();
  }, 90_000);

  it("Connected apps lists the app; the Sessions page names it", async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(`${server.url}/login`);
    await submitSignIn(page, email, PASSWORD);
    await page.getByLabel("6-digit code").fill(await freshCode());
    await page.getByRole("button", { name: /verify/i }).click();
    await page.waitForURL(/\/profile\//);
    await page.goto(`${server.url}/profile/sessions`);
    await page.getByText("Apps signed in: Portal").first().waitFor();
    await page.goto(`${server.url}/profile/apps`);
    await page.getByRole("heading", { name: "Portal" }).waitFor();
    await page.getByRole("button", { name: /Disconnect/ }).click();
    const dialog = page.getByRole("dialog", { name: "Disconnect Portal?" });
    await dialog.getByRole("button", { name: "Disconnect" }).click();
    await page.getByText("No connected apps").waitFor();
    await context.close();
  }, 120_000);
});
