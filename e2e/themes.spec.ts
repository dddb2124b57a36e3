import type { Page } from "playwright-core";
import { beforeAll, describe, expect, it } from "vitest";
import { expectNoSeriousAxeViolations } from "./support/axe.js";
import { useServerAndBrowser } from "./support/use-server.js";
import { signInThroughPage } from "./support/sign-in.js";

const PAGES = [
  { path: "/profile/general", heading: "Environment" },
  { path: "/profile/accounts", heading: "Your accounts" },
  { path: "/profile/security", heading: "Two-factor authentication" },
  { path: "/profile/sessions", heading: "This device" },
  { path: "/profile/activity", heading: "Security activity" },
];
const WIDTHS = [
  { width: 1366, height: 850 },
  { width: 390, height: 844 },
];

const signIn = (page: Page, url: string, password: string) =>
  signInThroughPage(page, url, { email: "demo@example.com", password });

const backgroundOf = (page: Page) => page.evaluate(() => getComputedStyle(document.body).backgroundColor);
const themeOf = (page: Page) => page.evaluate(() => document.documentElement.dataset.theme);

describe("light and dark themes", () => {
  const e2e = useServerAndBrowser({ DEMO: "1" });
  let password = "";

  beforeAll(async () => {
    password = /Password:\s+(\S+)/.exec(e2e.server.output())?.[1] ?? "";
  });

  it("follows the system's dark setting, and the user menu's choice (light, dark, system) is remembered", async () => {
    const context = await e2e.browser.newContext({ colorScheme: "dark" });
    const page = await context.newPage();
    await page.goto(`${e2e.server.url}/login`);
    expect(await themeOf(page)).toBe("dark");
    const dark = await backgroundOf(page);
    await signIn(page, e2e.server.url, password);

    await page.getByRole("button", { name: /demo/i }).first().click();
    await page.getByRole("menuitemradio", { name: "Light theme" }).click();
    expect(await themeOf(page)).toBe("light");
    expect(await backgroundOf(page)).not.toBe(dark);
    await page.reload();
    await page.getByRole("heading", { name: "Environment" }).waitFor();
    expect(await themeOf(page)).toBe("light");

    await page.getByRole("button", { name: /demo/i }).first().click();
    expect(await page.getByRole("menuitemradio", { name: "Light theme" }).getAttribute("aria-checked")).toBe("true");
    await page.getByRole("menuitemradio", { name: "Theme as on this device" }).click();
    expect(await themeOf(page)).toBe("dark");
    await page.emulateMedia({ colorScheme: "light" });
    await expect.poll(() => themeOf(page)).toBe("light");

    await page.getByRole("button", { name: /demo/i }).first().click();
    await page.getByRole("menuitemradio", { name: "Dark theme" }).click();
    await page.goto(`${e2e.server.url}/profile/security`);
    expect(await themeOf(page)).toBe("dark");
    expect(await backgroundOf(page)).toBe(dark);
    await context.close();
  });

  it("every page has no serious axe violation at 1366 and 390 px, light and dark", async () => {
    for (const colorScheme of ["light", "dark"] as const) {
      const context = await e2e.browser.newContext({ colorScheme });
      const page = await context.newPage();
      await signIn(page, e2e.server.url, password);
      for (const viewport of WIDTHS) {
        await page.setViewportSize(viewport);
        for (const { path, heading } of PAGES) {
          await page.goto(`${e2e.server.url}${path}`);
          await page.getByRole("heading", { name: heading }).first().waitFor();
          await page.waitForLoadState("networkidle");
          expect(await themeOf(page)).toBe(colorScheme);
          await expectNoSeriousAxeViolations(page);
        }
        await page.getByRole("button", { name: /demo/i }).first().click();
        await expectNoSeriousAxeViolations(page);
        await page.keyboard.press("Escape");
      }
      await context.clearCookies();
      for (const path of ["/login", "/forgot-password"]) {
        await page.goto(`${e2e.server.url}${path}`);
        await page.getByRole("heading", { level: 1 }).waitFor();
        await expectNoSeriousAxeViolations(page);
      }
      await context.close();
    }
  });
});
