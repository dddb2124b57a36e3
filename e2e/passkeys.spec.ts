import SqliteDatabase from "better-sqlite3";
import type { Browser, BrowserContext, CDPSession, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { launchBrowser, submitSignIn } from "./support/browser.js";
import { createPerson, startServer, type RunningServer } from "./support/server.js";
import { sqliteFileIn } from "../src/server/config.js";

const PASSWORD = "lantern-orchid-cobalt-57";

/**
 * Passkeys in Chromium with its virtual authenticator (DevTools protocol): a platform
 * authenticator (ctap2, internal) with resident keys and user verification, as a phone or a
 * laptop's password manager. The server runs at http://localhost:PORT (WebAuthn takes no IP).
 */
describe("passkeys in the browser", () => {
  let server: RunningServer;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let cdp: CDPSession;
  let authenticatorId = "";
  const email = `ada.passkey.${Date.now()}@example.com`;
  let strictAccountId = "";

  async function credentialsOnAuthenticator(): Promise<number> {
    const { credentials } = (await cdp.send("WebAuthn.getCredentials", { authenticatorId })) as { credentials: unknown[] };
    return credentials.length;
  }

  async function signOut() {
    await page.getByRole("button", { name: /ada lovelace/i }).click();
    await page.getByRole("menuitem", { name: /sign out/i }).click();
    await page.waitForURL(/\/login/);
  }

  /** Turns the passkey autofill of the sign-in page off (or on) from the next page load, which this does. */
  async function setPasskeyAutofill(on: boolean) {
    await page.evaluate((off) => (off ? sessionStorage.setItem("noPasskeyAutofill", "1") : sessionStorage.clear()), !on);
    await page.reload();
  }

  /** A JSON call from the page, as the web app makes them (session cookie, CSRF header). */
  async function callFromPage(method: string, path: string, body?: unknown): Promise<number> {
    return page.evaluate(
      async ({ method, path, body }) => {
        await fetch("/api/v1/auth/csrf");
        const csrf = /(?:^|; )pc_csrf=([^;]+)/.exec(document.cookie)?.[1] ?? "";
        const res = await fetch(`/api/v1${path}`, {
          method,
          headers: { "content-type": "application/json", "x-csrf-token": csrf },
          ...(body === undefined ? {} : { body: JSON.stringify(body) }),
        });
        return res.status;
      },
      { method, path, body },
    );
  }

  const passkeysCard = () => page.getByRole("region", { name: "Passkeys" });
  const passkeyRows = () => page.getByTestId("passkey-row");

  beforeAll(async () => {
    server = await startServer({}, { localhost: true });
    browser = await launchBrowser();
    await createPerson(server, { email, firstName: "Ada", lastName: "Lovelace", password: PASSWORD });
    context = await browser.newContext({ viewport: { width: 1280, height: 1000 } });
    // Chromium's virtual authenticator answers a conditional (autofill) request at once, as if the
    // person picked the suggestion. Steps that type a password turn the autofill off, as a
    // browser without it would be: `sessionStorage.noPasskeyAutofill`.
    await context.addInitScript(() => {
      if (sessionStorage.getItem("noPasskeyAutofill") && "PublicKeyCredential" in window)
        PublicKeyCredential.isConditionalMediationAvailable = () => Promise.resolve(false);
    });
    page = await context.newPage();
    cdp = await context.newCDPSession(page);
    await cdp.send("WebAuthn.enable", { enableUI: false });
    const added = (await cdp.send("WebAuthn.addVirtualAuthenticator", {
      options: {
        protocol: "ctap2",
        transport: "internal",
        hasResidentKey: true,
        hasUserVerification: true,
        isUserVerified: true,
        automaticPresenceSimulation: true,
      },
    })) as { authenticatorId: string };
    authenticatorId = added.authenticatorId;
  });
  afterAll(async () => {
    await context?.close();
    await browser?.close();
    await server?.stop();
  });

  it("adds a passkey from the Security page (a notice mail follows) and renames it", async () => {
    await page.goto(`${server.url}/login?next=/profile/security`);
    // The email field offers passkeys among its suggestions (conditional mediation).
    expect(await page.getByLabel("Email").getAttribute("autocomplete")).toBe("username webauthn");
    await submitSignIn(page, email, PASSWORD);
    await page.waitForURL(`${server.url}/profile/security`);
    await passkeysCard().getByRole("button", { name: "Add a passkey" }).click();
    await page.getByRole("dialog").getByRole("button", { name: "Continue" }).click();
    await page.getByText("Passkey added. You can now use it to sign in.").waitFor();
    await passkeyRows().first().waitFor();
    expect(await passkeyRows().count()).toBe(1);
    expect(await passkeyRows().first().textContent()).toMatch(/not used yet/);
    expect(await credentialsOnAuthenticator()).toBe(1);
    await server.waitForMail(email, /A passkey was added/);

    await passkeyRows()
      .first()
      .getByRole("button", { name: /^Rename/ })
      .click();
    const name = page.getByRole("dialog").getByLabel("Name");
    await name.fill("Ada's laptop");
    await page.getByRole("dialog").getByRole("button", { name: "Save" }).click();
    await passkeysCard().getByText("Ada's laptop").waitFor();
  });

  it("signs in with the passkey from the email field's suggestions (conditional mediation), no password", async () => {
    await signOut();
    // On the sign-in page the autofill request is pending; the virtual authenticator picks the passkey.
    await page.waitForURL(/\/profile\//);
    await page.goto(`${server.url}/profile/security`);
    await passkeysCard()
      .getByText(/last used/)
      .waitFor();
  });

  it("signs in with the 'Sign in with a passkey' button", async () => {
    await setPasskeyAutofill(false);
    await signOut();
    await page.getByRole("button", { name: "Sign in with a passkey" }).click();
    await page.waitForURL(/\/profile\//);
  });

  it("offers the passkey as the second step after the password", async () => {
    await signOut();
    await submitSignIn(page, email, PASSWORD);
    await page.waitForURL(/\/login\/mfa/);
    await page.getByText(/protected with a passkey/).waitFor();
    expect(await page.getByLabel("6-digit code").count()).toBe(0);
    await page.getByRole("button", { name: "Use a passkey" }).click();
    await page.waitForURL(/\/profile\//);
  });

  it("enters an account that requires MFA after a passkey sign-in", async () => {
    const account = await server.admin("POST", "/admin/accounts", {
      name: "Analytical Engines",
      type: "vendor",
      mfaPolicy: "required",
    });
    expect(account.status).toBe(201);
    const created = account.json as { id: string; groups: Array<{ id: string }> };
    strictAccountId = created.id;
    const group = await server.admin("POST", `/admin/accounts/${created.id}/groups`, { name: "Members" });
    const groupId = (group.json as { id: string }).id;
    const member = await server.admin("POST", `/admin/accounts/${created.id}/members`, { email, groupIds: [groupId] });
    expect(member.status).toBe(201);
    expect(await callFromPage("POST", "/me/active-account", { accountId: created.id })).toBe(200);
  });

  it("refuses to remove the last second factor while that account requires MFA", async () => {
    await page.goto(`${server.url}/profile/security`);
    await passkeyRows()
      .first()
      .getByRole("button", { name: /^Remove/ })
      .click();
    await page.getByRole("dialog").getByRole("button", { name: "Remove" }).click();
    await page
      .getByRole("dialog")
      .getByText(/Analytical Engines/)
      .waitFor();
    await page.getByRole("dialog").getByRole("button", { name: "Cancel" }).click();
    expect(await passkeyRows().count()).toBe(1);
  });

  it("changes the password after the passkey confirms it's them, when the sign-in is old", async () => {
    // As if the sign-in were 11 minutes old (past the 10-minute re-authentication age), in the server's own database.
    const db = new SqliteDatabase(sqliteFileIn(server.dataDir));
    try {
      db.prepare(
        "update sessions set authenticated_at = authenticated_at - 660000 where user_id = (select id from users where email = ?)",
      ).run(email);
    } finally {
      db.close();
    }
    await page.goto(`${server.url}/profile/security`);
    const card = page.getByRole("region", { name: "Password", exact: true });
    await card.getByLabel("Current password").fill(PASSWORD);
    await card.getByLabel("New password", { exact: true }).fill("violet-harbour-mosaic-8812-quill");
    await card.getByRole("button", { name: "Change password" }).click();
    // The password alone is one factor for a person whose second factor is a passkey.
    const prompt = card.getByRole("status").filter({ hasText: "Confirm it's you with your passkey" });
    await prompt.getByRole("button", { name: "Use my passkey" }).click();
    await card.getByText("Your password was changed").waitFor();
    await server.waitForMail(email, /password was changed/);
  });

  it("removes the passkey once no account requires it, and then it no longer signs in", async () => {
    const userId = await page.evaluate(async () => ((await (await fetch("/api/v1/me")).json()) as { id: string }).id);
    expect((await server.admin("DELETE", `/admin/accounts/${strictAccountId}/members/${userId}`)).status).toBe(204);
    await page.reload();
    await passkeyRows()
      .first()
      .getByRole("button", { name: /^Remove/ })
      .click();
    await page.getByRole("dialog").getByRole("button", { name: "Remove" }).click();
    await page.getByText("Passkey removed.").waitFor();
    await passkeyRows().first().waitFor({ state: "detached" });
    await server.waitForMail(email, /A passkey was removed/);

    // The authenticator still holds it; the server refuses it.
    expect(await credentialsOnAuthenticator()).toBe(1);
    await signOut();
    await page.getByRole("button", { name: "Sign in with a passkey" }).click();
    await page.getByText("That passkey wasn't accepted. Try again, or sign in another way.").waitFor();
    expect(page.url()).toMatch(/\/login/);
  });
});
