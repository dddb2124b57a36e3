// @vitest-environment jsdom
import { beforeEach, describe, expect, it } from "vitest";
import { screen, waitFor, within } from "@testing-library/react";
import type { UserEvent } from "@testing-library/user-event";
import { http, HttpResponse } from "msw";
import { invitationPreviewSchema } from "@contracts/accounts";
import { acceptInvitationSchema } from "@contracts/auth";
import { buildAuthenticatedResponse, buildUser, errorResponse } from "@web/test/fixtures";
import { answerPost, server } from "@web/test/msw-server";
import { getDescriptionText } from "@web/test/queries";
import { renderRoute } from "@web/test/render-route";

const grace = buildUser({ id: "UR-222-333-444", email: "grace@example.com", firstName: "Grace", lastName: "Hopper" });
const PASSWORD = "seven lanterns over the harbour";

/** Answers `POST /auth/invitations/accept` with `answer` and records what was sent. */
const answerAccept = (answer: () => Response) => answerPost("/api/v1/auth/invitations/accept", acceptInvitationSchema, answer);

async function fillAndAccept(user: UserEvent, password = PASSWORD) {
  await user.type(await screen.findByLabelText("First name"), " Grace ");
  await user.type(screen.getByLabelText("Last name"), "Hopper");
  await user.click(screen.getByLabelText("Choose a password"));
  await user.paste(password);
  await user.click(screen.getByRole("button", { name: "Accept invitation" }));
}

const PREVIEW = invitationPreviewSchema.parse({
  accountId: "PA-521-554",
  accountName: "Meridian Distribution",
  accountType: "distributor",
  email: "grace@example.com",
  groups: ["Users", "Finance"],
  invitedBy: null,
  expiresAt: "2026-12-01T10:00:00.000Z",
});

describe("/invitations/accept", () => {
  beforeEach(() => server.use(http.get("/api/v1/auth/invitations/preview", () => HttpResponse.json(PREVIEW))));

  it("names the account, the address and the groups before anything is typed", async () => {
    renderRoute("/invitations/accept?token=invite-token-1");

    expect(await screen.findByRole("heading", { level: 1, name: "Join Meridian Distribution" })).toBeTruthy();
    expect(document.body.textContent).toContain(
      "You're invited to join Meridian Distribution (Distributor) as grace@example.com, in the groups Users, Finance.",
    );
  });

  it("a used or expired link says so on opening, with no form to fill", async () => {
    server.use(http.get("/api/v1/auth/invitations/preview", () => errorResponse("invalid_token")));
    renderRoute("/invitations/accept?token=used-token");

    expect(await screen.findByText("This invitation can't be used")).toBeTruthy();
    expect(screen.queryByLabelText("First name")).toBeNull();
  });

  it("joins with a name and password, signs in, and lands on Accounts", async () => {
    const sent = answerAccept(() => HttpResponse.json(buildAuthenticatedResponse(grace)));
    const { user, currentPath } = renderRoute("/invitations/accept?token=invite-token-1");

    await fillAndAccept(user);

    await waitFor(() => expect(currentPath()).toBe("/profile/accounts"));
    expect(await screen.findByRole("button", { name: "Grace Hopper" })).toBeTruthy();
    expect(sent).toEqual([
      { token: "invite-token-1", firstName: "Grace", lastName: "Hopper", password: PASSWORD, timezone: expect.any(String) },
    ]);
    expect(await screen.findByText("Welcome to Meridian Distribution")).toBeTruthy();
  });

  it("an address that already has a profile joins, and is sent to sign in with its own password", async () => {
    answerAccept(() => HttpResponse.json({ status: "sign_in_required", email: "grace@example.com" }));
    const { user, currentPath } = renderRoute("/invitations/accept?token=invite-token-1");

    await fillAndAccept(user);

    const status = await screen.findByRole("status");
    expect(status.textContent).toContain("You joined the account");
    expect(status.textContent).toContain("grace@example.com");
    const link = within(status).getByRole("link", { name: "Sign in with your existing password" });
    expect(link.getAttribute("href")).toBe("/login?next=%2Fprofile%2Faccounts");
    expect(currentPath()).toBe("/invitations/accept?token=invite-token-1");
  });

  it("states the password policy up front and checks every field before sending", async () => {
    const sent = answerAccept(() => HttpResponse.json(buildAuthenticatedResponse(grace)));
    const { user } = renderRoute("/invitations/accept?token=invite-token-1");

    const password = await screen.findByLabelText("Choose a password");
    expect(getDescriptionText(password)).toContain("Use at least 15 characters.");
    await user.click(screen.getByRole("button", { name: "Accept invitation" }));

    expect(getDescriptionText(screen.getByLabelText("First name"))).toContain("Enter your first name.");
    expect(getDescriptionText(screen.getByLabelText("Last name"))).toContain("Enter your last name.");
    expect(getDescriptionText(password)).toContain("Use at least 15 characters (you have 0).");
    expect(document.activeElement).toBe(screen.getByLabelText("First name"));
    expect(sent).toEqual([]);
  });

  it("shows the server's weak_password reason at the password field, until the password is changed", async () => {
    const reason = "This password is on a list of common or breached passwords. Choose another.";
    answerAccept(() => errorResponse("weak_password", { message: reason, details: { reason } }));
    const { user } = renderRoute("/invitations/accept?token=invite-token-1");

    await fillAndAccept(user);

    const password = screen.getByLabelText("Choose a password");
    await waitFor(() => expect(getDescriptionText(password)).toContain(reason));
    expect(document.activeElement).toBe(password);
    await user.type(password, "!");
    expect(getDescriptionText(password)).not.toContain(reason);
  });

  it("refuses a password holding the person's name or the invited address before sending, as the server would", async () => {
    const sent = answerAccept(() => HttpResponse.json(buildAuthenticatedResponse(grace)));
    const { user } = renderRoute("/invitations/accept?token=invite-token-1");

    await fillAndAccept(user, "grace hopper sails the seven seas");

    const password = screen.getByLabelText("Choose a password");
    await waitFor(() => expect(getDescriptionText(password)).toContain("Don't use your name or email address in your password."));
    expect(sent).toEqual([]);
  });

  it("explains an invitation that can't be used (invalid_token)", async () => {
    answerAccept(() => errorResponse("invalid_token"));
    const { user, currentPath } = renderRoute("/invitations/accept?token=used-token");

    await fillAndAccept(user);

    const alert = await screen.findByRole("alert");
    expect(alert.textContent).toContain("This invitation can't be used");
    expect(within(alert).getByRole("link", { name: "sign in" }).getAttribute("href")).toBe("/login");
    expect(currentPath()).toBe("/invitations/accept?token=used-token");
  });

  it("says the link is incomplete when it has no token", async () => {
    renderRoute("/invitations/accept");

    expect((await screen.findByRole("alert")).textContent).toContain("This invitation link is incomplete");
    expect(screen.queryByLabelText("First name")).toBeNull();
  });
});
