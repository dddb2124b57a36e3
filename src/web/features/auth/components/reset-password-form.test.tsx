// @vitest-environment jsdom
import { describe, expect, it } from "vitest";
import { screen, waitFor, within } from "@testing-library/react";
import type { UserEvent } from "@testing-library/user-event";
import { HttpResponse } from "msw";
import { passwordResetConfirmSchema } from "@contracts/auth";
import { errorResponse } from "@web/test/fixtures";
import { answerPost } from "@web/test/msw-server";
import { getDescriptionText } from "@web/test/queries";
import { renderRoute } from "@web/test/render-route";

const NEW_PASSWORD = "violet otter carries seven lanterns";

/** Answers `POST /auth/password-reset/confirm` with `answer` and records what was sent. */
const answerConfirm = (answer: () => Response) =>
  answerPost("/api/v1/auth/password-reset/confirm", passwordResetConfirmSchema, answer);

/** Pastes `password` into the new-password field (paste is allowed: checklist A8) and submits. */
async function submitPassword(user: UserEvent, password: string) {
  await user.click(await screen.findByLabelText("New password"));
  await user.paste(password);
  await user.click(screen.getByRole("button", { name: "Set new password" }));
}

describe("/reset-password", () => {
  it("states the password policy before anything is typed", async () => {
    renderRoute("/reset-password?token=reset-token-1");

    const field = await screen.findByLabelText("New password");
    expect(field.getAttribute("type")).toBe("password");
    expect(field.getAttribute("autocomplete")).toBe("new-password");
    expect(getDescriptionText(field)).toContain("Use at least 15 characters.");
    expect(getDescriptionText(field)).toContain("Common and breached passwords are refused.");
  });

  it("A8: accepts a pasted password, sends it with the token, and says it's done", async () => {
    const sent = answerConfirm(() => new HttpResponse(null, { status: 204 }));
    const { user } = renderRoute("/reset-password?token=reset-token-1");

    await submitPassword(user, NEW_PASSWORD);

    const done = await screen.findByText("Your password has been changed");
    expect(done.closest("[role=status]")).toBeTruthy();
    expect(screen.getByRole("link", { name: "sign in with your new password" }).getAttribute("href")).toBe("/login");
    expect(sent).toEqual([{ token: "reset-token-1", newPassword: NEW_PASSWORD }]);
  });

  it("shows the server's weak_password reason at the field", async () => {
    const reason = "This is a commonly used password.";
    answerConfirm(() => errorResponse("weak_password", { message: reason, details: { reason } }));
    const { user } = renderRoute("/reset-password?token=reset-token-1");

    await submitPassword(user, "passwordpassword");

    const field = screen.getByLabelText("New password");
    await waitFor(() => expect(getDescriptionText(field)).toContain(reason));
    expect(field.getAttribute("aria-invalid")).toBe("true");
    expect(document.activeElement).toBe(field);
    // At the field only: no page-level error repeats it.
    expect(screen.queryByRole("alert")).toBeNull();
  });

  it("A1: refuses a too-short password before sending, counting code points", async () => {
    const sent = answerConfirm(() => new HttpResponse(null, { status: 204 }));
    const { user } = renderRoute("/reset-password?token=reset-token-1");

    await submitPassword(user, "€".repeat(14));

    const field = screen.getByLabelText("New password");
    expect(getDescriptionText(field)).toContain("Use at least 15 characters (you have 14).");
    expect(sent).toEqual([]);
  });

  it("explains an invalid_token and links to ask for a new link", async () => {
    answerConfirm(() => errorResponse("invalid_token"));
    const { user } = renderRoute("/reset-password?token=used-token");

    await submitPassword(user, NEW_PASSWORD);

    const alert = await screen.findByRole("alert");
    expect(alert.textContent).toContain("This link can't be used");
    expect(within(alert).getByRole("link", { name: "Ask for a new link" }).getAttribute("href")).toBe("/forgot-password");
  });

  it("says the link is incomplete when it has no token", async () => {
    renderRoute("/reset-password");

    const alert = await screen.findByRole("alert");
    expect(alert.textContent).toContain("This link is incomplete");
    expect(screen.queryByLabelText("New password")).toBeNull();
  });
});
