import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { expectNoSeriousAxeViolations } from "./support/axe.js";
import { launchBrowser, submitSignIn } from "./support/browser.js";
import { startServer, type RunningServer } from "./support/server.js";
import { base32Decode, currentStep, totpAtStep } from "./support/totp.js";

const totpNow = (secret: Buffer): string => totpAtStep(secret, currentStep());

const RESELLER = "Harbor Lane Resellers";
const DISTRIBUTOR = "Meridian Distribution";
const VENDOR = "Bluepeak Software";

/**
 * The demo workspace in Chromium: the demo person lists their accounts, enters the reseller
 * (MFA suggested: a nudge), tries the distributor (MFA required: led into setup), sets MFA up
 * with a code computed here, and lands in the distributor.
 */
describe("the Accounts page in the browser (demo workspace)", () => {
  let server: RunningServer;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let password = "";

  const row = (name: string) => page.getByRole("row").filter({ has: page.getByText(name, { exact: true }) });
  const switcher = (active = "") =>
    page.getByRole("button", { name: new RegExp(`^Switch account\\. Active account: ${active}`) });

  beforeAll(async () => {
    server = await startServer({ DEMO: "1" });
    // The first start prints the generated demo password once.
    password = /Password:\s+(\S+)/.exec(server.output())?.[1] ?? "";
    expect(password).not.toBe("");
    browser = await launchBrowser();
    context = await browser.newContext({ viewport: { width: 1280, height: 1000 } });
    page = await context.newPage();
  });
  afterAll(async () => {
    await context?.close();
    await browser?.close();
    await server?.stop();
  });

  it("signs in as the demo person and lists the three demo accounts", async () => {
    await page.goto(`${server.url}/login?next=/profile/accounts`);
    await submitSignIn(page, "demo@example.com", password);
    await page.waitForURL(`${server.url}/profile/accounts`);
    await page.getByRole("heading", { name: "Accounts", level: 1 }).waitFor();
    await row(VENDOR).waitFor();
    for (const [name, type, policy] of [
      [VENDOR, "Vendor", "MFA optional"],
      [DISTRIBUTOR, "Distributor", "MFA required"],
      [RESELLER, "Reseller", "MFA suggested"],
    ] as const) {
      const cells = row(name);
      await expect(cells.getByText(type, { exact: true }).count()).resolves.toBe(1);
      await expect(cells.getByText(policy).count()).resolves.toBe(1);
      expect(await cells.getByRole("cell").nth(1).textContent()).toMatch(/(VA|PA)-\d{3}-\d{3}/);
    }
    // The person's own groups in each account (administrators first, then by name), never the colleague's.
    for (const [name, groups] of [
      [VENDOR, "Administrators, Finance"],
      [DISTRIBUTOR, "Logistics, Users"],
      [RESELLER, "Administrators, Sales"],
    ] as const) {
      await expect(row(name).getByRole("cell", { name: groups, exact: true }).count()).resolves.toBe(1);
    }
    expect(
      await row(VENDOR)
        .getByText(/Developers/)
        .count(),
    ).toBe(0);
    expect(await row(DISTRIBUTOR).getByText("Set up MFA to enter").count()).toBe(1);
    await expectNoSeriousAxeViolations(page);
  });

  it("switches to the reseller and sees the nudge to set up MFA", async () => {
    await page.getByRole("button", { name: `Switch to ${RESELLER}` }).click();
    await page.getByText(/recommends two-factor authentication/).waitFor();
    await page.getByRole("link", { name: "Set up now" }).waitFor();
    await row(RESELLER).getByText("Active", { exact: true }).waitFor();
    await switcher(RESELLER).waitFor();
    await expectNoSeriousAxeViolations(page);
    // The top-bar switcher lists the same accounts.
    await switcher().click();
    const items = await page.getByRole("menuitem").allTextContents();
    for (const name of [VENDOR, DISTRIBUTOR, RESELLER]) expect(items.join("|")).toContain(name);
    await expectNoSeriousAxeViolations(page);
    await page.keyboard.press("Escape");
  });

  it("remembers the active account: the next sign-in starts in the reseller again", async () => {
    await page.getByRole("button", { name: /dana demo/i }).click();
    await page.getByRole("menuitem", { name: /sign out/i }).click();
    await page.waitForURL(/\/login/);
    await page.getByLabel("Email").fill("demo@example.com");
    await page.getByLabel("Password", { exact: true }).fill(password);
    await page.getByRole("button", { name: /^sign in$/i }).click();
    await page.waitForURL(/\/profile\//);
    await switcher(RESELLER).waitFor();
    await page.goto(`${server.url}/profile/accounts`);
    await row(RESELLER).getByText("Active", { exact: true }).waitFor();
  });

  it("the distributor's MFA wall is a step of its own that names it; 'Not now' on a phone goes back to Accounts", async () => {
    await page.setViewportSize({ width: 390, height: 844 });
    await page.getByRole("button", { name: `Switch to ${DISTRIBUTOR}` }).click();
    await page.waitForURL(/\/profile\/mfa-required\?account=PA-/);
    await page.getByRole("heading", { level: 1, name: `${DISTRIBUTOR} requires two-factor authentication` }).waitFor();
    await page.getByLabel("Setup key").waitFor();
    expect(await page.getByRole("heading", { name: "Delete my account" }).count()).toBe(0);
    await expectNoSeriousAxeViolations(page);
    await page.getByRole("link", { name: "Not now" }).click();
    await page.waitForURL(`${server.url}/profile/accounts`);
    await row(VENDOR).waitFor();
    await page.setViewportSize({ width: 1280, height: 1000 });
  });

  it("B1: tries the distributor, is led through MFA setup and lands in it", async () => {
    await page.getByRole("button", { name: `Switch to ${DISTRIBUTOR}` }).click();
    await page.waitForURL(/\/profile\/mfa-required\?account=PA-/);
    await page.getByRole("heading", { level: 1, name: `${DISTRIBUTOR} requires two-factor authentication` }).waitFor();
    const key = page.getByLabel("Setup key");
    await key.waitFor();
    const secret = base32Decode((await key.textContent()) ?? "");
    expect(secret.length).toBe(20);
    await page.getByLabel("6-digit code").fill(totpNow(secret));
    await page.getByRole("button", { name: /verify and turn on/i }).click();
    await page.getByRole("list", { name: "Recovery codes" }).waitFor();
    // Once MFA is on, the person is taken on into the distributor.
    await switcher(DISTRIBUTOR).waitFor({ timeout: 15_000 });
    await page.getByRole("button", { name: `I saved my recovery codes, enter ${DISTRIBUTOR}` }).click();
    await page.waitForURL(/\/profile\/accounts/);
    await page.getByText(`You're now working in ${DISTRIBUTOR}.`).waitFor();
    await row(DISTRIBUTOR).getByText("Active", { exact: true }).waitFor();
    expect(await row(DISTRIBUTOR).getByText("You comply").count()).toBe(1);
    await expectNoSeriousAxeViolations(page);
  });

  it("says up front why MFA can't be turned off and why the account can't be deleted, naming the accounts", async () => {
    await page.goto(`${server.url}/profile/security`);
    const mfaNote = page.getByRole("status").filter({ hasText: "can't be turned off" });
    await mfaNote.waitFor();
    expect(await mfaNote.getByRole("listitem").allTextContents()).toEqual([DISTRIBUTOR]);
    expect(await page.getByRole("button", { name: "Turn off" }).count()).toBe(0);
    const deletion = page.getByRole("status").filter({ hasText: "You can't delete your account yet" });
    await deletion.waitFor();
    const blocking = (await deletion.getByRole("listitem").allTextContents()).map((text) => text.replace(/\s*\(.*\)$/, ""));
    expect(blocking.sort()).toEqual([VENDOR, RESELLER].sort());
    expect(await page.getByRole("button", { name: /delete my account/i }).count()).toBe(0);
    await expectNoSeriousAxeViolations(page);
  });

  it("shows the accounts as cards on a narrow screen, still accessible", async () => {
    await page.setViewportSize({ width: 360, height: 800 });
    await page.goto(`${server.url}/profile/accounts`);
    await row(VENDOR).waitFor();
    const width = await page.evaluate(() => document.documentElement.scrollWidth);
    expect(width).toBeLessThanOrEqual(360);
    await expectNoSeriousAxeViolations(page);
  });
});
