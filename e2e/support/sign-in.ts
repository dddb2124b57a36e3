import type { Page } from "playwright-core";
import { submitSignIn } from "./browser.js";

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
  await submitSignIn(page, credentials.email, credentials.password);
  await page.waitForURL(next ? `${baseUrl}${next}` : /\/profile\//);
}
