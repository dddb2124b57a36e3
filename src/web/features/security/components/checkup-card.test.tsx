// @vitest-environment jsdom
import { describe, expect, it } from "vitest";
import { screen, within } from "@testing-library/react";
import { http, HttpResponse } from "msw";
import { checkupResponseSchema } from "@contracts/checkup";
import { emailVerificationRequestedSchema } from "@contracts/me";
import * as z from "zod";
import { buildUser } from "@web/test/fixtures";
import { answerPost, server } from "@web/test/msw-server";
import { renderRoute } from "@web/test/render-route";

const ada = buildUser();

const checkup = checkupResponseSchema.parse({
  items: [
    {
      id: "second_factor",
      status: "ok",
      title: "Two-step sign-in is on",
      detail: "1 method.",
      href: "/profile/security",
      actionLabel: "Manage two-step sign-in",
    },
    {
      id: "passkey",
      status: "warning",
      title: "No passkey yet",
      detail: "Add one.",
      href: "/profile/security",
      actionLabel: "Add a passkey",
    },
    {
      id: "account_mfa_policy",
      status: "action",
      title: "Accounts require two-step sign-in",
      detail: "Strict GmbH.",
      href: "/profile/security",
      actionLabel: "Set up two-step sign-in",
    },
    {
      id: "email_verified",
      status: "warning",
      title: "Email address not confirmed",
      detail: "Confirm it.",
      href: "/profile/general",
      actionLabel: "Confirm my email address",
    },
    {
      id: "stale_sessions",
      status: "ok",
      title: "No forgotten sessions",
      detail: "All used.",
      href: "/profile/sessions",
      actionLabel: "Review signed-in devices",
    },
  ],
});

describe("Security checkup card", () => {
  it("tops the Security page: things to fix first, each with a link to the page that fixes it", async () => {
    server.use(http.get("/api/v1/me/checkup", () => HttpResponse.json(checkup)));
    renderRoute("/profile/security", { signedInAs: ada });

    const card = (await screen.findByRole("heading", { name: "Security checkup" })).closest("section") as HTMLElement;
    expect(await within(card).findByText("3 things to look at.")).toBeTruthy();
    const rows = within(card).getAllByRole("listitem");
    expect(rows.map((r) => r.getAttribute("data-testid"))).toEqual([
      "checkup/account_mfa_policy",
      "checkup/passkey",
      "checkup/email_verified",
      "checkup/second_factor",
      "checkup/stale_sessions",
    ]);
    expect(within(rows[0] as HTMLElement).getByText("Fix")).toBeTruthy();
    expect(
      within(rows[0] as HTMLElement)
        .getByRole("link", { name: "Set up two-step sign-in" })
        .getAttribute("href"),
    ).toBe("/profile/security");
    expect(
      within(rows[4] as HTMLElement)
        .getByRole("link", { name: "Review signed-in devices" })
        .getAttribute("href"),
    ).toBe("/profile/sessions");
  });

  it("mails the confirmation link for an unconfirmed address from the card", async () => {
    server.use(http.get("/api/v1/me/checkup", () => HttpResponse.json(checkup)));
    const sent = answerPost("/api/v1/me/email-verification", z.object({}).strict(), () =>
      HttpResponse.json(emailVerificationRequestedSchema.parse({ sentTo: ada.email }), { status: 202 }),
    );
    const { user } = renderRoute("/profile/security", { signedInAs: ada });

    await user.click(await screen.findByRole("button", { name: "Send a confirmation link" }));
    expect(await screen.findByText(`We sent a confirmation link to ${ada.email}.`)).toBeTruthy();
    expect(sent).toEqual([{}]);
  });
});
