import { beforeAll, describe, expect, it } from "vitest";
import { expectNoSeriousAxeViolations } from "./support/axe.js";
import { useServerAndBrowser } from "./support/use-server.js";
import { submitSignIn } from "./support/browser.js";
import { signInThroughPage } from "./support/sign-in.js";
import { createPerson } from "./support/server.js";

const PASSWORD = "velvet-orbit-canyon-42";
const NEW_PASSWORD = "amber-lantern-tide-77";
const FIREFOX = "Mozilla/5.0 (X11; Ubuntu; Linux x86_64; rv:127.0) Gecko/20100101 Firefox/127.0";

/** The link of `page` in a mail (`raw` as `server.mails()` gives it: already decoded), moved onto the test server's address. */
function linkIn(raw: string, page: string, baseUrl: string): string {
  const link = new RegExp(`https?://[^\\s"<>]+/${page}\\?token=[\\w%-]+`).exec(raw)?.[0];
  if (!link) throw new Error(`no /${page} link in the mail`);
  return link.replace(/^https?:\/\/[^/]+/, baseUrl);
}

describe("This wasn't me: securing the account from the new-device alert, in the browser", () => {
  const e2e = useServerAndBrowser();
  const email = `lock.e2e.${Date.now()}@example.com`;

  beforeAll(async () => {
    await createPerson(e2e.server, { email, firstName: "Ada", lastName: "Lovelace", password: PASSWORD });
  });

  it("the alert's link ends every session, refuses the old password, and the mailed reset link gets the person back in", async () => {
    // The person's own e2e.browser, then a sign-in from a device never seen: the alert goes out.
    const own = await e2e.browser.newContext();
    const ownPage = await own.newPage();
    await signInThroughPage(ownPage, e2e.server.url, { email, password: PASSWORD });
    const intruder = await e2e.browser.newContext({ userAgent: FIREFOX });
    const intruderPage = await intruder.newPage();
    await signInThroughPage(intruderPage, e2e.server.url, { email, password: PASSWORD });
    const alert = await e2e.server.waitForMail(email, /new sign-in/i, { containing: "lockdown" });
    expect(alert.raw).toContain("This wasn't me");

    // The link opens a page that says what will happen; confirming needs no password.
    const rescue = await e2e.browser.newContext();
    const page = await rescue.newPage();
    await page.goto(linkIn(alert.raw, "lockdown", e2e.server.url));
    await page.getByText(/every session is signed out/i).waitFor();
    await expectNoSeriousAxeViolations(page);
    expect(await page.getByLabel(/password/i).count()).toBe(0);
    await page.getByRole("button", { name: "Secure my account" }).click();
    await page.getByText("Your account is secured").waitFor();

    // Both sessions are over: each device is sent to sign in, told why.
    for (const signedOut of [ownPage, intruderPage]) {
      await signedOut.goto(`${e2e.server.url}/profile/general`);
      await signedOut.waitForURL(/\/login/);
    }
    expect((await intruderPage.request.get(`${e2e.server.url}/api/v1/me`)).status()).toBe(401);

    // The old password no longer signs in.
    await page.goto(`${e2e.server.url}/login`);
    await submitSignIn(page, email, PASSWORD);
    await expect.poll(() => page.getByRole("alert").first().textContent()).toMatch(/secured and its password must be changed/i);

    // The link works once.
    await page.goto(linkIn(alert.raw, "lockdown", e2e.server.url));
    await page.getByText("This link can't be used").waitFor();

    // The reset link mailed at once sets a new password, which signs in.
    await e2e.server.waitForMail(email, /secured/i);
    const reset = await e2e.server.waitForMail(email, /reset/i, { containing: "reset-password" });
    await page.goto(linkIn(reset.raw, "reset-password", e2e.server.url));
    await page
      .getByLabel(/new password/i)
      .first()
      .fill(NEW_PASSWORD);
    await page.getByRole("button", { name: /set|reset|save|change/i }).click();
    await page.getByRole("link", { name: /sign in with your new password/i }).click();
    await page.waitForURL(/\/login/);
    await submitSignIn(page, email, NEW_PASSWORD);
    await page.waitForURL(/\/profile\//);

    // The checkup tops the Security page, and General offers the data download.
    await page.goto(`${e2e.server.url}/profile/security`);
    await page.getByRole("heading", { name: "Security checkup" }).waitFor();
    await page
      .getByTestId("checkup/second_factor")
      .getByRole("link", { name: /set up two-step sign-in/i })
      .waitFor();
    await expectNoSeriousAxeViolations(page);
    await page.goto(`${e2e.server.url}/profile/general`);
    await page.getByRole("button", { name: "Download my data" }).click();
    const download = page.waitForEvent("download");
    await page.getByRole("dialog").getByRole("button", { name: "Download" }).click();
    const file = await download;
    expect(file.suggestedFilename()).toMatch(/^profile-center-data-UR-\d{3}-\d{3}-\d{3}-\d{4}-\d{2}-\d{2}\.json$/);
    await own.close();
    await intruder.close();
    await rescue.close();
  });
});
