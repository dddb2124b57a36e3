import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { expectNoSeriousAxeViolations } from "./support/axe.js";
import { launchBrowser } from "./support/browser.js";
import { startServer, type RunningServer } from "./support/server.js";
import { signInThroughPage } from "./support/sign-in.js";

const PASSWORD = "harbour-lantern-quiet-58";
const IPHONE_UA =
  "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1";
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

const signIn = (page: Page, url: string, email: string, next: string) =>
  signInThroughPage(page, url, { email, password: PASSWORD }, next);

describe("offline and with the server down", () => {
  let server: RunningServer;
  let browser: Browser;
  const contexts: BrowserContext[] = [];
  const email = `ada.offline.${Date.now()}@example.com`;

  async function newPage(userAgent?: string, viewport?: { width: number; height: number }) {
    const context = await browser.newContext({ ...(userAgent ? { userAgent } : {}), ...(viewport ? { viewport } : {}) });
    contexts.push(context);
    return context.newPage();
  }

  beforeAll(async () => {
    server = await startServer();
    browser = await launchBrowser();
    const created = await server.admin("POST", "/admin/users", {
      email,
      firstName: "Ada",
      lastName: "Lovelace",
      password: PASSWORD,
    });
    expect(created.status).toBe(201);
  });
  afterAll(async () => {
    for (const context of contexts) await context.close();
    await browser?.close();
    await server?.stop();
  });

  it("'Sign out everywhere else' offline says so, can be cancelled, and is never sent when the network returns", async () => {
    const phone = await newPage(IPHONE_UA);
    await signIn(phone, server.url, email, "/profile/sessions");
    const laptop = await newPage();
    await signIn(laptop, server.url, email, "/profile/sessions");
    await laptop.getByRole("article", { name: "Safari 17 on iOS 17" }).waitFor();

    await laptop.context().setOffline(true);
    await laptop.getByText("You're offline.").waitFor();
    await laptop.getByRole("button", { name: "Sign out everywhere else" }).click();
    const dialog = laptop.getByRole("dialog", { name: "Sign out everywhere else?" });
    await dialog.getByRole("button", { name: "Sign out everywhere else" }).click();
    await dialog.getByText(/you're offline\. nothing was sent/i).waitFor({ timeout: 5_000 });
    await expectNoSeriousAxeViolations(laptop);
    await dialog.getByRole("button", { name: "Cancel" }).click({ timeout: 5_000 });
    await dialog.waitFor({ state: "detached" });

    await laptop.context().setOffline(false);
    await expect.poll(() => laptop.getByText("You're offline.").count()).toBe(0);
    await sleep(2_000);
    expect((await phone.request.get(`${server.url}/api/v1/me`)).status()).toBe(200);
  });

  it("an edit saved while offline is refused at once and not saved when the network returns", async () => {
    const page = await newPage();
    await signIn(page, server.url, email, "/profile/general");
    await page.getByLabel("First name").fill("Offline");
    await page.context().setOffline(true);
    await page.getByRole("button", { name: /save changes/i }).click();
    await page.getByText(/you're offline\. nothing was sent/i).waitFor({ timeout: 5_000 });
    await page.context().setOffline(false);
    await sleep(2_000);
    const me = (await (await page.request.get(`${server.url}/api/v1/me`)).json()) as { firstName: string };
    expect(me.firstName).toBe("Ada");
  });

  it("the offline bar never covers the end of a page on a phone", async () => {
    const page = await newPage(IPHONE_UA, { width: 390, height: 844 });
    await signIn(page, server.url, email, "/profile/security");
    // Every card loaded first: a card that grows after the scroll would move the last button.
    await page.getByRole("button", { name: "Delete my account…" }).waitFor();
    await page.waitForLoadState("networkidle");
    await page.context().setOffline(true);
    const bar = page.locator(".offline-notice");
    await bar.waitFor();
    await page.evaluate(() => window.scrollTo(0, document.documentElement.scrollHeight));
    const last = page.locator("main").getByRole("button").last();
    const [barBox, lastBox] = [await bar.boundingBox(), await last.boundingBox()];
    expect(barBox && lastBox).toBeTruthy();
    // The page's last button ends above the bar's top (both in viewport coordinates).
    expect(lastBox!.y + lastBox!.height).toBeLessThanOrEqual(barBox!.y);
    await page.context().setOffline(false);
  });

  it("a section that cannot load because the server is down says so", async () => {
    const other = await startServer();
    try {
      await other.admin("POST", "/admin/users", { email, firstName: "Ada", lastName: "Lovelace", password: PASSWORD });
      const page = await newPage();
      await signIn(page, other.url, email, "/profile/sessions");
      await page.getByRole("link", { name: "General" }).click();
      await page.getByRole("heading", { name: "Environment" }).waitFor();
      await other.stop();

      // Code not loaded yet (Activity), and data not fetched yet (the Sessions history).
      await page.getByRole("link", { name: "Activity" }).click();
      await page.getByRole("heading", { name: "We couldn't reach the server" }).waitFor();
      await page.getByRole("link", { name: "Sessions" }).click();
      await page.getByRole("tab", { name: "History" }).click();
      await page.getByRole("tabpanel").getByText("We couldn't reach the server", { exact: true }).waitFor({ timeout: 15_000 });
      expect(await page.getByText(/something went wrong on our side/i).count()).toBe(0);
      await expectNoSeriousAxeViolations(page);
    } finally {
      await other.stop();
    }
  });
});
