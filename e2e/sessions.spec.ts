import fs from "node:fs";
import SqliteDatabase from "better-sqlite3";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sqliteFileIn } from "../src/server/config.js";
import { expectNoSeriousAxeViolations } from "./support/axe.js";
import { launchBrowser, submitSignIn } from "./support/browser.js";
import { createPerson, decodeMail, startServer, type RunningServer } from "./support/server.js";

const PASSWORD = "lantern-quiet-harbour-58";
const IPHONE_UA =
  "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1";
const FIREFOX_UA = "Mozilla/5.0 (X11; Ubuntu; Linux x86_64; rv:127.0) Gecko/20100101 Firefox/127.0";

async function signIn(page: Page, url: string, email: string) {
  await page.goto(`${url}/login?next=/profile/sessions`);
  await submitSignIn(page, email, PASSWORD);
  await page.waitForURL(`${url}/profile/sessions`);
  await page.getByRole("heading", { name: "This device" }).waitFor();
}

/** Axe after the dialog's entrance animation (mid-fade colours are not the real contrast). */
async function expectAccessibleWhenSettled(page: Page) {
  await page.waitForFunction(() => document.getAnimations().every((animation) => animation.playState !== "running"));
  await expectNoSeriousAxeViolations(page);
}

const createUser = (server: RunningServer, email: string) =>
  createPerson(server, { email, firstName: "Ada", lastName: "Lovelace", password: PASSWORD });

describe("the Sessions and Activity pages in the browser", () => {
  let server: RunningServer;
  let browser: Browser;
  let laptop: BrowserContext;
  let phone: BrowserContext;
  let laptopPage: Page;
  let phonePage: Page;
  const email = `ada.sessions.${Date.now()}@example.com`;

  beforeAll(async () => {
    server = await startServer();
    browser = await launchBrowser();
    await createUser(server, email);
    laptop = await browser.newContext({ viewport: { width: 1280, height: 900 }, acceptDownloads: true });
    phone = await browser.newContext({ userAgent: IPHONE_UA, viewport: { width: 390, height: 844 } });
    laptopPage = await laptop.newPage();
    phonePage = await phone.newPage();
    await signIn(laptopPage, server.url, email);
    await signIn(phonePage, server.url, email);
  });
  afterAll(async () => {
    await laptop?.close();
    await phone?.close();
    await browser?.close();
    await server?.stop();
  });

  it("lists this device on top and the phone among the active sessions; no serious axe violation", async () => {
    await laptopPage.reload();
    const thisDevice = laptopPage.getByRole("region", { name: "This device" });
    await thisDevice.getByRole("article", { name: /\(this device\)$/ }).waitFor();
    const phoneItem = laptopPage.getByRole("article", { name: "Safari 17 on iOS 17" });
    await phoneItem.waitFor();
    expect(await phoneItem.getByText("IP 127.0.0.1", { exact: true }).count()).toBe(1);
    expect(await phoneItem.getByText("Phone", { exact: true }).count()).toBe(1);
    expect(await phoneItem.getByText("Signed in").count()).toBe(1);
    expect(await phoneItem.getByText("Last active").count()).toBe(1);
    await expectNoSeriousAxeViolations(laptopPage);
  });

  it("revoking the phone from the laptop sends the phone to the sign-in page on its next navigation", async () => {
    await laptopPage.getByRole("button", { name: "Revoke Safari 17 on iOS 17" }).click();
    const dialog = laptopPage.getByRole("dialog", { name: "Revoke this session?" });
    await dialog.waitFor();
    await expectAccessibleWhenSettled(laptopPage);
    await dialog.getByRole("button", { name: "Revoke" }).click();
    await laptopPage.getByText("Safari 17 on iOS 17 was signed out.").waitFor();
    // The Revoke button went with the session: focus goes to what happened, not to the top of the page.
    await expect
      .poll(() => laptopPage.evaluate(() => document.activeElement?.textContent ?? ""))
      .toContain("Safari 17 on iOS 17 was signed out.");
    await expect.poll(() => laptopPage.getByRole("article", { name: "Safari 17 on iOS 17" }).count()).toBe(0);

    await phonePage.goto(`${server.url}/profile/general`);
    await phonePage.waitForURL(/\/login/);
    expect(await phonePage.getByRole("button", { name: /^sign in$/i }).count()).toBe(1);
    // The phone is told why.
    await phonePage.getByText("This session was signed out from another device.").waitFor();
    await expectNoSeriousAxeViolations(phonePage);
  });

  it("the History tab shows the revoked session with its end reason in words", async () => {
    await laptopPage.getByRole("tab", { name: "History" }).click();
    const ended = laptopPage.getByRole("article", { name: "Safari 17 on iOS 17" });
    await ended.waitFor();
    expect(await ended.getByText("Revoked from another device", { exact: true }).count()).toBe(1);
    expect(await ended.getByText("Ended").count()).toBe(1);
    await expectNoSeriousAxeViolations(laptopPage);
  });

  it("the activity log lists the sign-ins and the revocation, filters them, and downloads as CSV", async () => {
    await laptopPage.getByRole("link", { name: "Activity" }).click();
    await laptopPage.waitForURL(`${server.url}/profile/activity`);
    const table = laptopPage.getByRole("table");
    await table.getByText("Session revoked").waitFor();
    expect(await table.getByText("Signed in", { exact: true }).count()).toBe(2);
    await expectNoSeriousAxeViolations(laptopPage);

    await laptopPage.getByLabel("Show").selectOption({ label: "Session revocations" });
    // The filtered list replaces the old one when it arrives (the old one stays meanwhile).
    await expect.poll(() => table.getByText("Signed in", { exact: true }).count()).toBe(0);
    await expect.poll(() => table.getByText("Session revoked").count()).toBe(1);

    const [download] = await Promise.all([
      laptopPage.waitForEvent("download"),
      laptopPage.getByRole("link", { name: "Download CSV" }).click(),
    ]);
    expect(download.suggestedFilename()).toMatch(/^security-activity-\d{4}-\d{2}-\d{2}\.csv$/);
    const csv = fs.readFileSync((await download.path()) ?? "", "utf8");
    const lines = csv.trimEnd().split("\r\n");
    expect(lines[0]).toBe("id,type,at,result,ip,country,city,device,userAgent,details");
    expect(lines.slice(1).map((line) => line.split(",")[1])).toEqual(["session_revoked"]);
  });

  it("a new device triggers the alert mail with the link to the Sessions page", async () => {
    const firefox = await browser.newContext({ userAgent: FIREFOX_UA });
    try {
      await signIn(await firefox.newPage(), server.url, email);
      // The phone's sign-in earlier sent a mail with the same subject: wait for this device's.
      const mail = await server.waitForMail(email, /^New sign-in/, { containing: "Firefox 127 on Ubuntu" });
      const text = decodeMail(mail.raw);
      expect(text).toContain(`${server.url.replace("127.0.0.1", "localhost")}/profile/sessions`);
    } finally {
      await firefox.close();
    }
  });
});

describe("ending sessions after the re-authentication age asks for the password in place", () => {
  let server: RunningServer;
  let browser: Browser;

  beforeAll(async () => {
    server = await startServer({ REAUTH_MAX_AGE_MINUTES: "1" });
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  /**
   * Moves the person's sign-ins `minutes` into the past, in the server's own database (the
   * session check reads it on every request), as if that much time had passed since.
   */
  function signedInMinutesAgo(running: RunningServer, email: string, minutes: number) {
    const db = new SqliteDatabase(sqliteFileIn(running.dataDir));
    try {
      const moved = db
        .prepare(
          "update sessions set authenticated_at = authenticated_at - ? where user_id = (select id from users where email = ?)",
        )
        .run(minutes * 60_000, email).changes;
      expect(moved).toBeGreaterThan(0);
    } finally {
      db.close();
    }
  }

  /**
   * A new person signed in on a desktop browser (`pageA`) and on an iPhone (`pageB`, first, so the
   * desktop's Sessions page lists it). `close` ends both browser contexts.
   */
  async function signedInOnTwoDevices(email: string) {
    await createUser(server, email);
    const [a, b] = [await browser.newContext(), await browser.newContext({ userAgent: IPHONE_UA })];
    const [pageA, pageB] = [await a.newPage(), await b.newPage()];
    await signIn(pageB, server.url, email);
    await signIn(pageA, server.url, email);
    return { pageA, pageB, close: () => Promise.all([a.close(), b.close()]) };
  }

  it("C9: 'Sign out everywhere else' on an old sign-in prompts for the password, then signs the other device out", async () => {
    const email = `grace.reauth.${Date.now()}@example.com`;
    const { pageA, pageB, close } = await signedInOnTwoDevices(email);
    signedInMinutesAgo(server, email, 2); // past REAUTH_MAX_AGE_MINUTES=1, without waiting a minute
    await pageA.getByRole("button", { name: "Sign out everywhere else" }).click();
    await pageA.getByRole("dialog").getByRole("button", { name: "Sign out everywhere else" }).click();
    const confirm = pageA.getByRole("dialog", { name: "Confirm it's you" });
    await confirm.waitFor();
    await expectAccessibleWhenSettled(pageA);
    await confirm.getByLabel("Password", { exact: true }).fill("not the password at all");
    await confirm.getByRole("button", { name: "Sign out everywhere else" }).click();
    await confirm.getByText(/password is not correct/i).waitFor();
    await confirm.getByLabel("Password", { exact: true }).fill(PASSWORD);
    await confirm.getByRole("button", { name: "Sign out everywhere else" }).click();
    await pageA.getByText("Signed out of 1 other session.").waitFor();
    await pageB.reload();
    await pageB.waitForURL(/\/login/);
    await pageB.getByText("“Sign out everywhere else” was used on another device.").waitFor();
    await close();
  });

  it("C9: after 'Sign out everywhere else' the other device leaves the Active tab at once and says so in History", async () => {
    const email = `alan.cut.${Date.now()}@example.com`;
    const { pageA, close } = await signedInOnTwoDevices(email);
    const phone = pageA.getByRole("article", { name: "Safari 17 on iOS 17" });
    await phone.waitFor();
    await pageA.getByRole("button", { name: "Sign out everywhere else" }).click();
    await pageA.getByRole("dialog").getByRole("button", { name: "Sign out everywhere else" }).click();
    await pageA.getByText("Signed out of 1 other session.").waitFor();
    await phone.waitFor({ state: "detached" });
    await pageA.getByRole("tab", { name: "History" }).click();
    const ended = pageA.getByRole("article", { name: "Safari 17 on iOS 17" });
    await ended.waitFor();
    expect(await ended.getByText("Signed out everywhere else", { exact: true }).count()).toBe(1);
    await close();
  });
});
