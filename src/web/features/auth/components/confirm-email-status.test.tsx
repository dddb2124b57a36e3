// @vitest-environment jsdom
import { describe, expect, it } from "vitest";
import { screen, waitFor, within } from "@testing-library/react";
import { HttpResponse } from "msw";
import { emailChangeConfirmSchema, userSchema } from "@contracts/me";
import { ME_QUERY_KEY } from "../../../lib/current-user";
import { buildUser, errorResponse } from "@web/test/fixtures";
import { answerPost } from "@web/test/msw-server";
import { renderRoute } from "@web/test/render-route";

const ada = buildUser();
const adaConfirmed = buildUser({ email: "ada@new.example", pendingEmail: null });

/** Answers `POST /me/email-change/confirm` with `answer` and records the tokens sent. */
const answerConfirm = (answer: () => Response) =>
  answerPost("/api/v1/me/email-change/confirm", emailChangeConfirmSchema, answer, (body) => body.token);

describe("/confirm-email", () => {
  it("confirms the new address once, as soon as the link opens", async () => {
    const tokens = answerConfirm(() => HttpResponse.json(userSchema.parse(adaConfirmed)));
    renderRoute("/confirm-email?token=confirm-token-1");

    const done = await screen.findByText("Your email address is confirmed");
    expect(done.closest("[role=status]")?.textContent).toContain("You now sign in with ada@new.example");
    // The token is single-use: StrictMode's double effects must not send it twice.
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(tokens).toEqual(["confirm-token-1"]);
  });

  it("updates the signed-in person's profile with the new address", async () => {
    answerConfirm(() => HttpResponse.json(userSchema.parse(adaConfirmed)));
    const { user, queryClient } = renderRoute("/confirm-email?token=confirm-token-1", { signedInAs: ada });
    // The same browser already shows Ada's profile (before the confirmation can answer).
    queryClient.setQueryData(ME_QUERY_KEY, ada);

    await user.click(await screen.findByRole("link", { name: "Go to your profile" }));

    await user.click(await screen.findByRole("button", { name: "Ada Lovelace" }));
    expect(await screen.findByText("ada@new.example")).toBeTruthy();
  });

  it("does not stand in for a session when the visitor is signed out", async () => {
    answerConfirm(() => HttpResponse.json(userSchema.parse(adaConfirmed)));
    const { user, currentPath } = renderRoute("/confirm-email?token=confirm-token-1");

    await user.click(await screen.findByRole("link", { name: "Go to your profile" }));

    await waitFor(() => expect(currentPath()).toBe("/login?next=%2Fprofile%2Fgeneral"));
    expect(await screen.findByRole("heading", { name: "Sign in" })).toBeTruthy();
  });

  it("explains a link that can't be used (invalid_token)", async () => {
    answerConfirm(() => errorResponse("invalid_token"));
    renderRoute("/confirm-email?token=used-token");

    const alert = await screen.findByRole("alert");
    expect(alert.textContent).toContain("This link can't be used");
    expect(within(alert).getByRole("link", { name: "your profile" }).getAttribute("href")).toBe("/profile/general");
  });

  it("says when the address was taken meanwhile (email_taken)", async () => {
    answerConfirm(() => errorResponse("email_taken"));
    renderRoute("/confirm-email?token=confirm-token-1");

    const alert = await screen.findByRole("alert");
    expect(alert.textContent).toContain("We couldn't confirm your email address");
    expect(alert.textContent).toContain("That email address is already in use by another person.");
  });

  it("says the link is incomplete when it has no token", async () => {
    const tokens = answerConfirm(() => HttpResponse.json(userSchema.parse(adaConfirmed)));
    renderRoute("/confirm-email");

    expect((await screen.findByRole("alert")).textContent).toContain("This link is incomplete");
    expect(tokens).toEqual([]);
  });
});
