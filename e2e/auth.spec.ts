import http from "node:http";
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { expectNoSeriousAxeViolations } from "./support/axe.js";
import { useServerAndBrowser } from "./support/use-server.js";
import { launchBrowser, submitSignIn } from "./support/browser.js";
import { createPerson, freePort, startServer, type RunningServer } from "./support/server.js";

const PASSWORD = "velvet-orbit-canyon-42";
const NEW_PASSWORD = "amber-lantern-tide-77";

describe("sign-in, sign-out and password reset in the browser", () => {
  const e2e = useServerAndBrowser();
  const email = `ada.e2e.${Date.now()}@example.com`;

  beforeAll(async () => {
    await createPerson(e2e.server, { email, firstName: "Ada", lastName: "Lovelace", password: PASSWORD });
  });

  it("signs in, returns to the page it wanted, and signs out", async () => {
    const context = await e2e.browser.newContext();
    const page = await context.newPage();
    await page.goto(`${e2e.server.url}/profile/sessions`);
    await page.waitForURL(/\/login\?next=/);
    await submitSignIn(page, email, PASSWORD);
    await page.waitForURL(`${e2e.server.url}/profile/sessions`);
    // D3: the session cookie is HttpOnly, invisible to scripts.
    expect(await page.evaluate(() => document.cookie)).not.toContain("pc_session=");
    const cookies = await context.cookies();
    expect(cookies.find((c) => c.name === "pc_session")).toMatchObject({ httpOnly: true, sameSite: "Lax" });
    await page.getByRole("button", { name: /ada lovelace/i }).click();
    await page.getByRole("menuitem", { name: /sign out/i }).click();
    await page.waitForURL(/\/login/);
    const after = await page.request.get(`${e2e.server.url}/api/v1/me`);
    expect(after.status()).toBe(401);
    await context.close();
  });

  it("a wrong password shows a clear error and axe finds nothing serious", async () => {
    const page = await e2e.browser.newPage();
    await page.goto(`${e2e.server.url}/login`);
    await submitSignIn(page, email, "definitely-not-the-password");
    await expect.poll(() => page.getByRole("alert").first().textContent()).toMatch(/email (and|or) password/i);
    await expectNoSeriousAxeViolations(page);
    await page.close();
  });

  it("a sign-in paused after failed attempts counts down, and the button waits until it is over", async () => {
    const locked = `locked.e2e.${Date.now()}@example.com`;
    await e2e.server.admin("POST", "/admin/users", { email: locked, firstName: "Lo", lastName: "Cked", password: PASSWORD });
    const page = await e2e.browser.newPage();
    await page.goto(`${e2e.server.url}/login`);
    const button = page.getByRole("button", { name: /^sign in$/i });
    const alert = page.getByRole("alert").first();
    for (let attempt = 0; attempt < 8 && !(await button.isDisabled()); attempt += 1) {
      await submitSignIn(page, locked, `wrong-password-number-${attempt}`);
      await expect.poll(() => alert.textContent()).toMatch(/don't match|too many attempts/i);
    }
    const seconds = async () => Number(/Try again in (\d+) seconds?/.exec((await alert.textContent()) ?? "")?.[1] ?? NaN);
    const first = await seconds();
    expect(first).toBeGreaterThan(1);
    expect(await button.isDisabled()).toBe(true);
    await expect.poll(seconds, { timeout: 5_000 }).toBeLessThan(first);
    await expectNoSeriousAxeViolations(page);
    await expect.poll(() => button.isDisabled(), { timeout: 20_000 }).toBe(false);
    expect(await alert.textContent()).toMatch(/you can try again now/i);
    await page.close();
  });

  it("walks forgot-password → mail in the outbox → reset → sign-in with the new password", async () => {
    const page = await e2e.browser.newPage();
    await page.goto(`${e2e.server.url}/login`);
    await page.getByRole("link", { name: /forgot/i }).click();
    await page.waitForURL(/\/forgot-password/);
    await page.getByLabel("Email").fill(email);
    await page.getByRole("button", { name: /send|reset/i }).click();
    await expect.poll(() => page.getByText(/if an account exists/i).count()).toBeGreaterThan(0);
    const mail = await e2e.server.waitForMail(email, /reset/i);
    const link = /https?:\/\/[^\s"<>]+\/reset-password\?token=[\w-]+/.exec(mail.raw)?.[0];
    expect(link).toBeDefined();
    await page.goto(link!.replace(/^https?:\/\/[^/]+/, e2e.server.url));
    await page
      .getByLabel(/new password/i)
      .first()
      .fill(NEW_PASSWORD);
    await page.getByRole("button", { name: /set|reset|save|change/i }).click();
    await page.getByRole("link", { name: /sign in with your new password/i }).click();
    await page.waitForURL(/\/login/);
    await submitSignIn(page, email, NEW_PASSWORD);
    await page.waitForURL(/\/profile\//);
    // The link works once, and says so on opening.
    await page.goto(link!.replace(/^https?:\/\/[^/]+/, e2e.server.url));
    await page.getByText("This link can't be used").waitFor();
    expect(await page.getByLabel(/new password/i).count()).toBe(0);
    const reuse = await page.request.post(`${e2e.server.url}/api/v1/auth/password-reset/confirm`, {
      headers: {
        "x-csrf-token": (await page.context().cookies()).find((c) => c.name === "pc_csrf")?.value ?? "",
        origin: e2e.server.url,
      },
      data: { token: new URL(link!).searchParams.get("token"), newPassword: "another-fresh-passphrase-9" },
    });
    expect(reuse.status()).toBe(400);
    await page.close();
  });
});

describe("F3: a real cross-site attack is blocked end to end", () => {
  let server: RunningServer;
  let browser: Browser;
  let attacker: http.Server;
  let attackerUrl = "";
  const email = `victim.${Date.now()}@example.com`;

  beforeAll(async () => {
    server = await startServer();
    browser = await launchBrowser();
    await server.admin("POST", "/admin/users", { email, firstName: "Vic", lastName: "Tim", password: PASSWORD });
    const port = await freePort();
    const target = server.url;
    // The attacker's page lives on another site (localhost vs 127.0.0.1) and auto-submits forms.
    const page = `<!doctype html><html><body>
      <form id="logout" method="POST" action="${target}/api/v1/auth/logout" target="f1"></form>
      <form id="pw" method="POST" action="${target}/api/v1/me/password" enctype="text/plain" target="f2">
        <input name='{"currentPassword":"${PASSWORD}","newPassword":"attacker-chosen-passphrase","x":"' value='"}'></form>
      <form id="revoke" method="POST" action="${target}/api/v1/me/sessions/revoke-others" target="f3"></form>
      <iframe name="f1"></iframe><iframe name="f2"></iframe><iframe name="f3"></iframe>
      <script>
        for (const id of ["logout", "pw", "revoke"]) document.getElementById(id).submit();
        fetch("${target}/api/v1/me/password", { method: "POST", mode: "no-cors", credentials: "include",
          headers: { "content-type": "text/plain" }, body: JSON.stringify({ currentPassword: "${PASSWORD}", newPassword: "attacker-chosen-passphrase" }) });
        setTimeout(() => { document.title = "done"; }, 1500);
      </script></body></html>`;
    attacker = http.createServer((_req, res) => res.writeHead(200, { "content-type": "text/html" }).end(page));
    await new Promise<void>((resolve) => attacker.listen(port, "127.0.0.1", resolve));
    attackerUrl = `http://localhost:${port}/`;
  });
  afterAll(async () => {
    attacker?.close();
    await browser?.close();
    await server?.stop();
  });

  it("forms and fetches from another site change nothing", async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(`${server.url}/login`);
    await submitSignIn(page, email, PASSWORD);
    await page.waitForURL(/\/profile\//);
    const attack = await context.newPage();
    await attack.goto(attackerUrl);
    await attack.waitForFunction(() => document.title === "done");
    // The victim is still signed in and the password is unchanged.
    expect((await page.request.get(`${server.url}/api/v1/me`)).status()).toBe(200);
    const check = await browser.newContext();
    const p2 = await check.newPage();
    await p2.goto(`${server.url}/login`);
    await submitSignIn(p2, email, PASSWORD);
    await p2.waitForURL(/\/profile\//);
    await check.close();
    await context.close();
  });
});
