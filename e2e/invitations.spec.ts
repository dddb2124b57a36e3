import { describe, expect, it } from "vitest";
import { expectNoSeriousAxeViolations } from "./support/axe.js";
import { useServerAndBrowser } from "./support/use-server.js";

const PASSWORD = "orchard-compass-velvet-19";

describe("an invitation in the browser", () => {
  const e2e = useServerAndBrowser();

  it("names the account, the address and the groups, welcomes the person, starts them in the browser's zone; a used link says so on opening", async () => {
    const account = (
      await e2e.server.admin("POST", "/admin/accounts", {
        name: "Meridian Distribution",
        type: "distributor",
        mfaPolicy: "optional",
      })
    ).json as { id: string };
    const group = (await e2e.server.admin("POST", `/admin/accounts/${account.id}/groups`, { name: "Logistics" })).json as {
      id: string;
    };
    const email = `new.colleague.${Date.now()}@example.com`;
    expect(
      (await e2e.server.admin("POST", `/admin/accounts/${account.id}/members`, { email, groupIds: [group.id] })).status,
    ).toBe(201);
    const mail = await e2e.server.waitForMail(email, /invit/i);
    const link = /https?:\/\/\S+\/invitations\/accept\?token=[\w%-]+/.exec(mail.raw)?.[0] ?? "";
    const target = new URL(link);
    const path = `${target.pathname}${target.search}`;

    const context = await e2e.browser.newContext({ timezoneId: "Asia/Kathmandu", viewport: { width: 390, height: 844 } });
    const page = await context.newPage();
    await page.goto(`${e2e.server.url}${path}`);
    await page.getByRole("heading", { level: 1, name: "Join Meridian Distribution" }).waitFor();
    const intro = (await page.locator(".auth-card__description").textContent()) ?? "";
    expect(intro).toContain(email);
    expect(intro).toContain("Logistics");
    expect(intro).toContain("Distributor");
    await expectNoSeriousAxeViolations(page);

    await page.getByLabel("First name").fill("Nia");
    await page.getByLabel("Last name").fill("Newcomer");
    await page.getByLabel("Choose a password").fill(PASSWORD);
    await page.getByRole("button", { name: "Accept invitation" }).click();
    await page.waitForURL(`${e2e.server.url}/profile/accounts`);
    await page.getByText("Welcome to Meridian Distribution").waitFor();
    await expectNoSeriousAxeViolations(page);
    const me = (await (await page.request.get(`${e2e.server.url}/api/v1/me`)).json()) as { timezone: string };
    // Chromium names the zone by its older link name (Asia/Katmandu); both are the same zone.
    expect(me.timezone).toMatch(/^Asia\/Kath?mandu$/);

    const again = await e2e.browser.newPage();
    await again.goto(`${e2e.server.url}${path}`);
    await again.getByText("This invitation can't be used").waitFor();
    expect(await again.getByLabel("First name").count()).toBe(0);
    await again.close();
    await context.close();
  });
});
