import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { expectNoSeriousAxeViolations } from "./support/axe.js";
import { launchBrowser, submitSignIn } from "./support/browser.js";
import { createPerson, startServer, type RunningServer } from "./support/server.js";

const PASSWORD = "quiet-harbour-lantern-58";

async function signIn(page: Page, url: string, email: string) {
  await page.goto(`${url}/login?next=/profile/general`);
  await submitSignIn(page, email, PASSWORD);
  await page.waitForURL(`${url}/profile/general`);
  await page.getByRole("heading", { name: "Environment" }).waitFor();
}

/** An independent rendering of an instant (Intl directly, not the app's module), whitespace normalised. */
function expectedParts(iso: string, timeZone: string) {
  const at = new Date(iso);
  const dmy = new Intl.DateTimeFormat("en-GB", { timeZone, day: "2-digit", month: "2-digit", year: "numeric" }).format(at);
  const ymd = new Intl.DateTimeFormat("en-CA", { timeZone, day: "2-digit", month: "2-digit", year: "numeric" }).format(at);
  const h24 = new Intl.DateTimeFormat("en-GB", { timeZone, hour: "2-digit", minute: "2-digit", hourCycle: "h23" }).format(at);
  const h12 = new Intl.DateTimeFormat("en-US", { timeZone, hour: "numeric", minute: "2-digit", hour12: true }).format(at);
  return { dotted: dmy.replaceAll("/", "."), iso: ymd, h24, h12: h12.replace(/\s+/gu, " ") };
}

const normalise = (text: string | null) => (text ?? "").replace(/\s+/gu, " ").trim();

describe("the General page in the browser", () => {
  let server: RunningServer;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  const email = `grace.e2e.${Date.now()}@example.com`;
  const dialogs: string[] = [];

  beforeAll(async () => {
    server = await startServer();
    browser = await launchBrowser();
    await createPerson(server, { email, firstName: "Grace", lastName: "Hopper", password: PASSWORD });
    // A browser zone unlike the stored one (UTC), so the "use my browser's zone" offer shows.
    context = await browser.newContext({ timezoneId: "Europe/Berlin", locale: "en-GB" });
    page = await context.newPage();
    page.on("dialog", (dialog) => {
      dialogs.push(dialog.message());
      void dialog.dismiss();
    });
    await signIn(page, server.url, email);
  });
  afterAll(async () => {
    await context?.close();
    await browser?.close();
    await server?.stop();
  });

  it("changing zone and formats re-renders the times shown at once", async () => {
    await page.getByRole("switch", { name: /product news/i }).click();
    const consent = page.locator(".consent-note time");
    await consent.waitFor();
    const at = (await consent.getAttribute("datetime")) ?? "";
    const utc = expectedParts(at, "UTC");
    expect(normalise(await consent.textContent())).toBe(`${utc.iso} ${utc.h24} UTC`);

    await expect.poll(() => page.getByRole("button", { name: /use my browser's zone \(Europe\/Berlin\)/i }).count()).toBe(1);
    await page.getByRole("combobox", { name: /time zone/i }).click();
    await page.keyboard.type("Kathmandu");
    await page.getByRole("option", { name: /Asia\/Kathmandu/ }).click();
    await page.getByLabel("Date format").selectOption("DD.MM.YYYY");
    await page.getByLabel("Time format").selectOption("12h");
    // The live preview follows the choices before saving.
    const nowParts = expectedParts(new Date().toISOString(), "Asia/Kathmandu");
    expect(normalise(await page.locator(".preview__value").textContent())).toContain(nowParts.dotted);
    await page.getByRole("button", { name: /save environment/i }).click();
    await page.getByText(/dates and times now use your new settings/i).waitFor();

    const kathmandu = expectedParts(at, "Asia/Kathmandu");
    await expect.poll(async () => normalise(await consent.textContent())).toBe(`${kathmandu.dotted} ${kathmandu.h12} UTC+05:45`);
    const me = (await (await page.request.get(`${server.url}/api/v1/me`)).json()) as Record<string, unknown>;
    expect(me).toMatchObject({ timezone: "Asia/Kathmandu", dateFormat: "DD.MM.YYYY", timeFormat: "12h", newsOptIn: true });

    // Still so after a reload, and on another page of the app and back.
    await page.goto(`${server.url}/profile/security`);
    await page.goto(`${server.url}/profile/general`);
    await expect
      .poll(async () => normalise(await page.locator(".consent-note time").textContent()))
      .toBe(`${kathmandu.dotted} ${kathmandu.h12} UTC+05:45`);
  });

  it("the time-zone search lists the zone itself first, and Enter takes what is listed first", async () => {
    const zone = page.getByRole("combobox", { name: /time zone/i });
    for (const [typed, expected] of [
      ["sydney", "Australia/Sydney"],
      ["new york", "America/New_York"],
      ["india", "Asia/Kolkata"],
      ["calcutta", "Asia/Kolkata"],
      ["kiev", "Europe/Kyiv"],
      ["kyiv", "Europe/Kyiv"],
    ] as const) {
      await zone.click();
      await page.keyboard.type(typed);
      const first = page.getByRole("option").first();
      await expect
        .poll(async () => normalise(await first.textContent()), { message: typed })
        .toContain(expected.replace(/_/g, " "));
      expect(await first.isVisible()).toBe(true);
      await page.keyboard.press("Enter");
      await expect.poll(() => zone.inputValue(), { message: typed }).toContain(expected.replace(/_/g, " "));
    }
    await zone.click();
    await page.keyboard.type("sydney");
    await page.keyboard.press("Enter");
    await page.getByRole("button", { name: /save environment/i }).click();
    await page.getByText(/dates and times now use your new settings/i).waitFor();
    const me = (await (await page.request.get(`${server.url}/api/v1/me`)).json()) as Record<string, unknown>;
    expect(me.timezone).toBe("Australia/Sydney");
  });

  it("a stored link name (Asia/Calcutta) shows as its current zone, Asia/Kolkata", async () => {
    const csrf = (await context.cookies()).find((c) => c.name === "pc_csrf")?.value ?? "";
    const res = await page.request.patch(`${server.url}/api/v1/me`, {
      data: { timezone: "Asia/Calcutta" },
      headers: { "x-csrf-token": csrf, origin: server.url },
    });
    expect(res.status()).toBe(200);
    await page.reload();
    const zone = page.getByRole("combobox", { name: /time zone/i });
    await expect.poll(() => zone.inputValue()).toMatch(/Asia\/Kolkata/);
    await expect.poll(async () => normalise(await page.locator(".consent-note time").textContent())).toMatch(/UTC\+05:30$/);
  });

  it("H4: stored script payloads in the name render as text and never run", async () => {
    for (const payload of ["<img src=x onerror=alert(1)>", '"><svg onload=alert(1)>']) {
      const first = page.getByLabel("First name");
      await first.fill(payload);
      await page.getByLabel("Last name").fill(payload);
      await page.getByRole("button", { name: /save changes/i }).click();
      await page.getByText(/personal information was saved/i).waitFor();
      await page.reload();
      await page.getByRole("heading", { name: "Environment" }).waitFor();
      expect(await page.getByLabel("First name").inputValue()).toBe(payload);
      // The top bar shows the name as text.
      await expect.poll(() => page.getByText(`${payload} ${payload}`).count()).toBeGreaterThan(0);
      expect(await page.locator('img[src="x"], svg[onload]').count()).toBe(0);
    }
    await page.waitForTimeout(300);
    expect(dialogs).toEqual([]);
    // Back to a plain name for the rest of the journey.
    await page.getByLabel("First name").fill("Grace");
    await page.getByLabel("Last name").fill("Hopper");
    await page.getByRole("button", { name: /save changes/i }).click();
    await page.getByText(/personal information was saved/i).waitFor();
  });

  it("changes the email from the mail in the outbox; the old address stays until then", async () => {
    const newEmail = `grace.new.${Date.now()}@example.com`;
    await page.getByRole("button", { name: /change email/i }).click();
    const dialog = page.getByRole("dialog");
    await dialog.getByLabel("New email address").fill(newEmail);
    await dialog.getByLabel("Current password").fill(PASSWORD);
    await dialog.getByRole("button", { name: /send confirmation link/i }).click();
    await dialog.getByText(/check your new inbox/i).waitFor();
    await expectNoSeriousAxeViolations(page);
    await dialog.getByRole("button", { name: /done/i }).click();
    await page
      .getByText(/pending/i)
      .first()
      .waitFor();
    expect(normalise(await page.locator(".email-row").textContent())).toContain(email);
    expect(normalise(await page.locator(".email-row").textContent())).toContain(newEmail);

    const mail = await server.waitForMail(newEmail, /confirm/i);
    const link = /https?:\/\/\S+\/confirm-email\?token=[\w%-]+/.exec(mail.raw)?.[0];
    expect(link).toBeDefined();
    await server.waitForMail(email, /being changed/i);
    const target = new URL(link ?? "");
    await page.goto(`${server.url}${target.pathname}${target.search}`);
    await page.getByText(/your email address is confirmed/i).waitFor();
    await page.goto(`${server.url}/profile/general`);
    await expect.poll(async () => normalise(await page.locator(".email-row").textContent())).toContain(newEmail);
    expect(normalise(await page.locator(".email-row").textContent())).not.toMatch(/pending/i);

    // The link works once.
    await page.goto(`${server.url}${target.pathname}${target.search}`);
    await page.getByText(/can't be used/i).waitFor();
  });

  it("a phone number is kept as people write it, and a wrong one is explained without jargon", async () => {
    await page.goto(`${server.url}/profile/general`);
    const phone = page.getByLabel("Phone");
    await phone.fill("12");
    await page.getByRole("button", { name: /save changes/i }).click();
    await page.getByText("Enter a phone number with its country code, e.g. +49 30 123456.").waitFor();
    expect(await page.getByText(/E\.164/).count()).toBe(0);
    await phone.fill("+49 (30) 1234-5678");
    await page.getByRole("button", { name: /save changes/i }).click();
    await page.getByText(/personal information was saved/i).waitFor();
    const me = (await (await page.request.get(`${server.url}/api/v1/me`)).json()) as { phone: string };
    expect(me.phone).toBe("+493012345678");
    await page.reload();
    await expect.poll(() => page.getByLabel("Phone").inputValue()).toBe("+49 30 12345678");
    const csrf = (await context.cookies()).find((c) => c.name === "pc_csrf")?.value ?? "";
    const refused = await page.request.patch(`${server.url}/api/v1/me`, {
      data: { phone: "12" },
      headers: { "x-csrf-token": csrf, origin: server.url },
    });
    expect(refused.status()).toBe(400);
    expect(JSON.stringify(await refused.json())).not.toContain("E.164");
  });

  it("leaving with unsaved edits asks first; staying keeps them, leaving drops them", async () => {
    await page.goto(`${server.url}/profile/general`);
    await page.getByLabel("Job title").fill("Rear admiral");
    await page.getByRole("link", { name: "Sessions" }).click();
    const ask = page.getByRole("dialog", { name: "Leave without saving?" });
    await ask.waitFor();
    await expectNoSeriousAxeViolations(page);
    await ask.getByRole("button", { name: "Stay on this page" }).click();
    expect(new URL(page.url()).pathname).toBe("/profile/general");
    expect(await page.getByLabel("Job title").inputValue()).toBe("Rear admiral");
    await page.getByRole("link", { name: "Sessions" }).click();
    await page
      .getByRole("dialog", { name: "Leave without saving?" })
      .getByRole("button", { name: "Leave without saving" })
      .click();
    await page.waitForURL(`${server.url}/profile/sessions`);
    // Saved edits leave freely.
    await page.getByRole("link", { name: "General" }).click();
    await page.getByLabel("Job title").fill("Rear admiral");
    await page.getByRole("button", { name: /save changes/i }).click();
    await page.getByText(/personal information was saved/i).waitFor();
    await page.getByRole("link", { name: "Sessions" }).click();
    await page.waitForURL(`${server.url}/profile/sessions`);
  });

  it("has no serious or critical axe-core violation, at 1280 px and at 360 px", async () => {
    await page.goto(`${server.url}/profile/general`);
    await page.getByRole("heading", { name: "Environment" }).waitFor();
    await expectNoSeriousAxeViolations(page);
    await page.setViewportSize({ width: 360, height: 800 });
    await page.reload();
    await page.getByRole("heading", { name: "Environment" }).waitFor();
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    expect(overflow).toBeLessThanOrEqual(0);
    await expectNoSeriousAxeViolations(page);
  });
});
