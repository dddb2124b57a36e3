import type { Page } from "playwright-core";

/**
 * Signs in through the sign-in page as a person would, then waits for the profile: `next` (a
 * path) is where the page should land, any profile section when left out.
 */
export async function signInThroughPage(
  page: Page,
  baseUrl: string,
  credentials: { email: string; password: string },
  next?: string,
): Promise<void> {
  await page.goto(`${baseUrl}/login${next ? `?next=${encodeURIComponent(next)}` : ""}`);
  await page.getByLabel("Email").fill(credentials.email);
  await page.getByLabel("Password", { exact: true }).fill(credentials.password);
  await page.getByRole("button", { name: /^sign in$/i }).click();
  await page.waitForURL(next ? `${baseUrl}${next}` : /\/profile\//);
}
