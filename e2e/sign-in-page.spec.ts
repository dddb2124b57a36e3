import { describe, expect, it } from "vitest";
import { expectNoSeriousAxeViolations } from "./support/axe.js";
import { useServerAndBrowser } from "./support/use-server.js";

describe("the sign-in page", () => {
  const e2e = useServerAndBrowser();

  it("is served at /login under the strict CSP, with no serious or critical axe-core violation", async () => {
    const page = await e2e.browser.newPage();
    const cspViolations: string[] = [];
    page.on("console", (m) => {
      if (/Content Security Policy/i.test(m.text())) cspViolations.push(m.text());
    });
    const response = await page.goto(`${e2e.server.url}/login`);
    expect(response?.status()).toBe(200);
    expect(response?.headers()["content-security-policy"]).toContain("script-src 'self'");
    await expect.poll(() => page.getByLabel(/email/i).count()).toBeGreaterThan(0);
    await expect.poll(() => page.locator('input[type="password"]').count()).toBe(1);
    expect(await page.locator('input[type="password"]').getAttribute("autocomplete")).toBe("current-password");
    await expectNoSeriousAxeViolations(page);
    expect(cspViolations).toEqual([]);
    await page.close();
  });

  it("a deep link while signed out leads to the sign-in page", async () => {
    const page = await e2e.browser.newPage();
    await page.goto(`${e2e.server.url}/profile/security`);
    await page.waitForURL(/\/login/);
    expect(new URL(page.url()).pathname).toBe("/login");
    await page.close();
  });

  it("is usable at 360 px wide without horizontal scrolling", async () => {
    const page = await e2e.browser.newPage({ viewport: { width: 360, height: 740 } });
    await page.goto(`${e2e.server.url}/login`);
    await page.getByLabel(/email/i).first().waitFor();
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    expect(overflow).toBeLessThanOrEqual(0);
    await page.close();
  });
});
