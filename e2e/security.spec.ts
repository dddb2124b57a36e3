import jsqrModule from "jsqr";
import { PNG } from "pngjs";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { expectNoSeriousAxeViolations } from "./support/axe.js";
import { launchBrowser, submitSignIn } from "./support/browser.js";
import { createPerson, startServer, type RunningServer } from "./support/server.js";
import { base32Decode, totpAtStep } from "./support/totp.js";

// jsqr is CommonJS with an ES-style `default` in its typings: take whichever form the loader gives.
const jsQR = ((jsqrModule as unknown as { default?: typeof jsqrModule }).default ?? jsqrModule) as unknown as (
  data: Uint8ClampedArray,
  width: number,
  height: number,
) => { data: string } | null;

const PASSWORD = "copper-meadow-signal-31";
const NEW_PASSWORD = "saffron-glacier-ribbon-84";

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe("the Security page in the browser", () => {
  let server: RunningServer;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  const email = `hedy.e2e.${Date.now()}@example.com`;
  let secret: Buffer = Buffer.alloc(0);
  let recoveryCodes: string[] = [];
  let lastStep = 0;

  /**
   * A code the server has not seen yet: each step works once, and T+1 is accepted, so the next
   * unused step is used when it is at most one ahead of now; otherwise wait for the clock.
   */
  async function freshCode(): Promise<string> {
    for (;;) {
      const now = Math.floor(Date.now() / 30_000);
      const step = Math.max(lastStep + 1, now);
      if (step <= now + 1) {
        lastStep = step;
        return totpAtStep(secret, step);
      }
      await sleep(1000);
    }
  }

  async function signInWithPassword(password = PASSWORD) {
    await page.goto(`${server.url}/login?next=/profile/security`);
    await submitSignIn(page, email, password);
  }

  async function signOut() {
    await page.getByRole("button", { name: /hedy lamarr/i }).click();
    await page.getByRole("menuitem", { name: /sign out/i }).click();
    await page.waitForURL(/\/login/);
  }

  async function openSecurityPage() {
    await page.waitForURL(`${server.url}/profile/security`);
    await page.getByRole("heading", { name: "Two-factor authentication" }).waitFor();
  }

  beforeAll(async () => {
    server = await startServer();
    browser = await launchBrowser();
    await createPerson(server, { email, firstName: "Hedy", lastName: "Lamarr", password: PASSWORD });
    context = await browser.newContext({ viewport: { width: 1280, height: 1000 }, deviceScaleFactor: 2 });
    await context.grantPermissions(["clipboard-read", "clipboard-write"], { origin: server.url });
    page = await context.newPage();
  });
  afterAll(async () => {
    await context?.close();
    await browser?.close();
    await server?.stop();
  });

  it("A8/A9: password fields are type=password with the right autocomplete, paste works, no hint or secret-question fields", async () => {
    await signInWithPassword();
    await openSecurityPage();
    const fields = await page.locator("input").evaluateAll((inputs) =>
      inputs.map((input) => ({
        type: input.getAttribute("type"),
        autocomplete: input.getAttribute("autocomplete"),
        name: input.getAttribute("name") ?? "",
        label: (input as HTMLInputElement).labels?.[0]?.textContent ?? "",
        hasPasteHandler: input.getAttribute("onpaste") !== null,
      })),
    );
    const passwords = fields.filter((f) => /password/i.test(f.label));
    expect(passwords.map((f) => [f.label, f.type, f.autocomplete])).toEqual([
      ["Current password", "password", "current-password"],
      ["New password", "password", "new-password"],
    ]);
    for (const field of fields) {
      expect(`${field.name} ${field.label}`).not.toMatch(/hint|security question|secret question/i);
      expect(field.hasPasteHandler).toBe(false);
    }
    // A real paste (clipboard + Ctrl+V) lands in the field: nothing blocks it.
    await page.evaluate(() => navigator.clipboard.writeText("pasted from a password manager"));
    const current = page.getByLabel("Current password");
    await current.focus();
    await page.keyboard.press("Control+V");
    expect(await current.inputValue()).toBe("pasted from a password manager");
    const blocked = await current.evaluate((input) => {
      const event = new ClipboardEvent("paste", { clipboardData: new DataTransfer(), cancelable: true, bubbles: true });
      input.dispatchEvent(event);
      return event.defaultPrevented;
    });
    expect(blocked).toBe(false);
    // The optional show-password toggle works.
    await page.getByRole("button", { name: "Show password" }).first().click();
    expect(await current.getAttribute("type")).toBe("text");
    await page.getByRole("button", { name: "Hide password" }).first().click();
    expect(await current.getAttribute("type")).toBe("password");
    await current.fill("");
    await expectNoSeriousAxeViolations(page);
  });

  it("sets up MFA by scanning the QR code off the screen, and shows the recovery codes once", async () => {
    await page.getByRole("button", { name: "Set up" }).click();
    const qr = page.getByRole("img", { name: /QR code/ });
    await qr.waitFor();
    await expectNoSeriousAxeViolations(page);
    const png = PNG.sync.read(await qr.screenshot());
    const decoded = jsQR(new Uint8ClampedArray(png.data), png.width, png.height);
    expect(decoded).not.toBeNull();
    const uri = decoded?.data ?? "";
    expect(uri).toMatch(
      /^otpauth:\/\/totp\/Connect%20Auth:hedy\.e2e\.\d+%40example\.com\?secret=[A-Z2-7]{32}&issuer=Connect%20Auth&algorithm=SHA1&digits=6&period=30$/,
    );
    const fromQr = new URL(uri).searchParams.get("secret") ?? "";
    // The key shown for typing by hand is the same secret, in groups of four.
    const shown = (await page.getByLabel("Setup key").textContent()) ?? "";
    expect(shown).toMatch(/^([A-Z2-7]{4} ){7}[A-Z2-7]{4}$/);
    expect(shown.replace(/\s/g, "")).toBe(fromQr);
    secret = base32Decode(fromQr);
    expect(secret.length).toBe(20);
    const codeField = page.getByLabel("6-digit code");
    expect(await codeField.getAttribute("autocomplete")).toBe("one-time-code");
    await codeField.fill(await freshCode());
    // On a phone the codes appear below the setup steps: the warning and the codes come into view.
    await page.setViewportSize({ width: 390, height: 844 });
    await page.getByRole("button", { name: /verify and turn on/i }).click();
    const list = page.getByRole("list", { name: "Recovery codes" });
    await list.waitFor();
    const inView = (locator: typeof list) =>
      locator.evaluate((element) => {
        const box = element.getBoundingClientRect();
        return box.top >= 0 && box.top < window.innerHeight;
      });
    await expect.poll(() => inView(page.getByText("Save your recovery codes now"))).toBe(true);
    expect(await inView(list.locator("code").first())).toBe(true);
    await page.setViewportSize({ width: 1280, height: 1000 });
    recoveryCodes = (await list.locator("code").allTextContents()).map((c) => c.trim());
    expect(recoveryCodes).toHaveLength(10);
    await expectNoSeriousAxeViolations(page);

    // Leaving before saying they are saved asks first; staying keeps them on screen.
    await page.getByRole("link", { name: "Sessions" }).click();
    const leave = page.getByRole("dialog", { name: "Leave without saving your recovery codes?" });
    await leave.waitFor();
    await expectNoSeriousAxeViolations(page);
    await leave.getByRole("button", { name: "Stay and save them" }).click();
    await leave.waitFor({ state: "detached" });
    expect(new URL(page.url()).pathname).toBe("/profile/security");
    await list.waitFor();

    // Print prints the codes alone.
    await page.evaluate(() => {
      const counter = window as unknown as { printed: number };
      counter.printed = 0;
      window.print = () => void (counter.printed += 1);
    });
    await page.getByRole("button", { name: "Print codes" }).click();
    expect(await page.evaluate(() => (window as unknown as { printed: number }).printed)).toBe(1);
    await page.emulateMedia({ media: "print" });
    expect(await list.isVisible()).toBe(true);
    expect(await page.getByRole("navigation", { name: "Profile sections" }).isVisible()).toBe(false);
    expect(await page.getByRole("button", { name: "Print codes" }).isVisible()).toBe(false);
    await page.emulateMedia({ media: "screen" });

    await page.getByRole("button", { name: /i saved my recovery codes/i }).click();
    await page.getByText(/10 of 10 left/).waitFor();
    await page.getByText(/^Turned on /).waitFor();
    await expectNoSeriousAxeViolations(page);
    // Shown once: a reload shows the status, never the codes again.
    await page.reload();
    await openSecurityPage();
    expect(await page.getByRole("list", { name: "Recovery codes" }).count()).toBe(0);
    await server.waitForMail(email, /two-factor authentication is on/i);
  });

  it("signs out, then signs in with a code from the app", async () => {
    await signOut();
    await signInWithPassword();
    await page.waitForURL(/\/login\/mfa/);
    await expectNoSeriousAxeViolations(page);
    await page.getByLabel("6-digit code").fill(await freshCode());
    await page.getByRole("button", { name: /verify/i }).click();
    await openSecurityPage();
    await page.getByText(/10 of 10 left/).waitFor();
  });

  it("signs in with a recovery code instead, which then counts as used", async () => {
    await signOut();
    await signInWithPassword();
    await page.waitForURL(/\/login\/mfa/);
    await page.getByRole("button", { name: /use a recovery code/i }).click();
    await page.getByLabel("Recovery code").fill(recoveryCodes[0] ?? "");
    await page.getByRole("button", { name: /verify/i }).click();
    await openSecurityPage();
    await page.getByText(/9 of 10 left/).waitFor();
    await server.waitForMail(email, /recovery code was used/i);
  });

  it("turns MFA off with a current code", async () => {
    await page.getByRole("button", { name: "Turn off" }).click();
    const dialog = page.getByRole("dialog", { name: /turn off two-factor/i });
    await dialog.waitFor();
    await expectNoSeriousAxeViolations(page);
    await dialog.getByLabel("Authentication code").fill(await freshCode());
    await dialog.getByRole("button", { name: "Turn off" }).click();
    await page.getByText(/two-factor authentication is off/i).waitFor();
    await page.getByRole("button", { name: "Set up" }).waitFor();
    await expectNoSeriousAxeViolations(page);
    // Sign-in asks for no code any more.
    await signOut();
    await signInWithPassword();
    await openSecurityPage();
  });

  it("the meter applies the server's name rule before submit, and a refusal clears once the password changes", async () => {
    await page.getByLabel("Current password").fill(PASSWORD);
    const newPassword = page.getByLabel("New password");
    await newPassword.fill("hedy lamarr invented frequency hopping");
    await page.getByText("Not allowed: Don't use your name or email address in your password.").waitFor();
    await page.getByRole("button", { name: "Change password" }).click();
    await expect.poll(() => newPassword.getAttribute("aria-invalid")).toBe("true");
    // The server's own refusal (a padded common password) shows at the field, until the text changes.
    await newPassword.fill("password1234567890");
    await page.getByRole("button", { name: "Change password" }).click();
    const refusal = page.locator(".field__error").filter({ hasText: /common password/i });
    await refusal.waitFor();
    await newPassword.press("End");
    await newPassword.pressSequentially("x");
    await expect.poll(() => refusal.count()).toBe(0);
    await page.getByLabel("Current password").fill("");
    await newPassword.fill("");
  });

  it("changes the password; the new one signs in", async () => {
    await page.getByLabel("Current password").fill(PASSWORD);
    await page.getByLabel("New password").fill(NEW_PASSWORD);
    await page.getByText(/^Strength: /).waitFor();
    await expectNoSeriousAxeViolations(page);
    await page.getByRole("button", { name: "Change password" }).click();
    await page.getByText(/your password was changed/i).waitFor();
    await expectNoSeriousAxeViolations(page);
    await signOut();
    await signInWithPassword(NEW_PASSWORD);
    await openSecurityPage();
  });

  it("deletes a throwaway account: typed email, goodbye, cookies cleared, sign-in refused", async () => {
    const throwaway = `temp.e2e.${Date.now()}@example.com`;
    await createPerson(server, { email: throwaway, firstName: "Temp", lastName: "User", password: PASSWORD });
    const other = await browser.newContext();
    const tab = await other.newPage();
    await tab.goto(`${server.url}/login?next=/profile/security`);
    await submitSignIn(tab, throwaway, PASSWORD);
    await tab.waitForURL(`${server.url}/profile/security`);
    await tab.getByRole("button", { name: /delete my account/i }).click();
    const dialog = tab.getByRole("dialog", { name: /delete your account/i });
    await dialog.waitFor();
    await expectNoSeriousAxeViolations(tab);
    await dialog.getByLabel("Password", { exact: true }).fill(PASSWORD);
    await dialog.getByLabel(/to confirm/).fill("someone.else@example.com");
    await dialog.getByRole("button", { name: "Delete permanently" }).click();
    await dialog.getByText(/type .* to confirm\./i).waitFor();
    expect((await tab.request.get(`${server.url}/api/v1/me`)).status()).toBe(200);
    await dialog.getByLabel(/to confirm/).fill(throwaway);
    await dialog.getByRole("button", { name: "Delete permanently" }).click();
    await tab.getByRole("dialog", { name: /your account was deleted/i }).waitFor();
    await expectNoSeriousAxeViolations(tab);
    expect((await other.cookies()).find((c) => c.name === "pc_session")).toBeUndefined();
    expect((await tab.request.get(`${server.url}/api/v1/me`)).status()).toBe(401);
    await server.waitForMail(throwaway, /was deleted/i);
    await tab.getByRole("button", { name: /go to the sign-in page/i }).click();
    await tab.waitForURL(/\/login/);
    await submitSignIn(tab, throwaway, PASSWORD);
    await expect.poll(() => tab.getByRole("alert").first().textContent()).toMatch(/email and password don't match|not correct/i);
    await other.close();
  });
});
