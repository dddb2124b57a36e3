// @vitest-environment jsdom
import { describe, expect, it } from "vitest";
import { screen, waitFor, within } from "@testing-library/react";
import { HttpResponse } from "msw";
import { loginMfaSchema } from "@contracts/auth";
import { buildAuthenticatedResponse, buildUser, errorResponse } from "@web/test/fixtures";
import { answerPost } from "@web/test/msw-server";
import { renderRoute } from "@web/test/render-route";

const ada = buildUser({ mfaEnabled: true });

/** Answers `POST /auth/login/mfa` with `answer` and records the codes the page sent. */
const answerCode = (answer: () => Response) => answerPost("/api/v1/auth/login/mfa", loginMfaSchema, answer, (body) => body.code);

/** The notice after a recovery-code sign-in, once it shows. */
async function findRecoveryNotice() {
  const title = await screen.findByText("You signed in with a recovery code");
  const notice = title.closest<HTMLElement>("[role=status]");
  if (!notice) throw new Error("the notice has no status role");
  return notice;
}

describe("/login/mfa", () => {
  it("signs in with the 6-digit code and goes on to ?next=, with no recovery notice", async () => {
    const codes = answerCode(() => HttpResponse.json(buildAuthenticatedResponse(ada)));
    const { user, currentPath } = renderRoute("/login/mfa?next=%2Fprofile%2Fsessions");

    await user.type(await screen.findByLabelText("6-digit code"), "123 456");
    await user.click(screen.getByRole("button", { name: "Verify" }));

    await waitFor(() => expect(currentPath()).toBe("/profile/sessions"));
    expect(await screen.findByRole("button", { name: "Ada Lovelace" })).toBeTruthy();
    expect(screen.queryByText("You signed in with a recovery code")).toBeNull();
    expect(codes).toEqual(["123456"]);
  });

  it("says the code is wrong on invalid_code, then clears and refocuses the field", async () => {
    answerCode(() => errorResponse("invalid_code"));
    const { user, currentPath } = renderRoute("/login/mfa");

    const field = await screen.findByLabelText<HTMLInputElement>("6-digit code");
    await user.type(field, "000000");
    await user.click(screen.getByRole("button", { name: "Verify" }));

    expect((await screen.findByRole("alert")).textContent).toContain(
      "That code isn't valid. Check your authenticator app and try again.",
    );
    expect(field.value).toBe("");
    expect(document.activeElement).toBe(field);
    expect(currentPath()).toBe("/login/mfa");
  });

  it("asks for 6 digits before sending anything", async () => {
    const codes = answerCode(() => HttpResponse.json(buildAuthenticatedResponse(ada)));
    const { user } = renderRoute("/login/mfa");

    await user.type(await screen.findByLabelText("6-digit code"), "12345");
    await user.click(screen.getByRole("button", { name: "Verify" }));

    expect(screen.getByText("Enter the 6 digits shown in your authenticator app.")).toBeTruthy();
    expect(codes).toEqual([]);
  });

  it("offers to start again when the half-signed-in session has expired", async () => {
    answerCode(() => errorResponse("unauthenticated"));
    const { user } = renderRoute("/login/mfa?next=%2Fprofile%2Fsecurity");

    await user.type(await screen.findByLabelText("6-digit code"), "123456");
    await user.click(screen.getByRole("button", { name: "Verify" }));

    const alert = await screen.findByRole("alert");
    expect(alert.textContent).toContain("This sign-in has expired");
    const link = within(alert).getByRole("link", { name: "start again with your email and password" });
    expect(link.getAttribute("href")).toBe("/login?next=%2Fprofile%2Fsecurity");
  });

  it("switches to a recovery code, sends it trimmed, and the next page says how few are left", async () => {
    const codes = answerCode(() => HttpResponse.json(buildAuthenticatedResponse(ada, { recoveryCodesLeft: 2 })));
    const { user, currentPath } = renderRoute("/login/mfa?next=%2Fprofile%2Fsessions");

    await user.click(await screen.findByRole("button", { name: "Use a recovery code instead" }));
    const field = screen.getByLabelText("Recovery code");
    await waitFor(() => expect(document.activeElement).toBe(field));
    expect(screen.queryByLabelText("6-digit code")).toBeNull();
    await user.type(field, "  7kq2-m9xd  ");
    await user.click(screen.getByRole("button", { name: "Verify" }));

    await waitFor(() => expect(currentPath()).toBe("/profile/sessions"));
    const notice = await findRecoveryNotice();
    expect(notice.textContent).toContain("You have 2 recovery codes left.");
    const link = within(notice).getByRole("link", { name: "Generate new recovery codes" });
    expect(link.getAttribute("href")).toBe("/profile/security");
    expect(codes).toEqual(["7kq2-m9xd"]);

    // It belongs to that one page: following its link leaves it behind.
    await user.click(link);
    await waitFor(() => expect(currentPath()).toBe("/profile/security"));
    await waitFor(() => expect(screen.queryByText("You signed in with a recovery code")).toBeNull());
  });

  it("says how many recovery codes are left, without the link, when more than 3 are", async () => {
    answerCode(() => HttpResponse.json(buildAuthenticatedResponse(ada, { recoveryCodesLeft: 7 })));
    const { user } = renderRoute("/login/mfa");

    await user.click(await screen.findByRole("button", { name: "Use a recovery code instead" }));
    await user.type(screen.getByLabelText("Recovery code"), "7kq2-m9xd");
    await user.click(screen.getByRole("button", { name: "Verify" }));

    const notice = await findRecoveryNotice();
    expect(notice.textContent).toContain("You have 7 recovery codes left.");
    expect(within(notice).queryByRole("link")).toBeNull();
  });

  it("warns when no recovery code is left, also through the /profile redirect, and can be dismissed", async () => {
    answerCode(() => HttpResponse.json(buildAuthenticatedResponse(ada, { recoveryCodesLeft: 0 })));
    const { user, currentPath } = renderRoute("/login/mfa?next=%2Fprofile");

    await user.click(await screen.findByRole("button", { name: "Use a recovery code instead" }));
    await user.type(screen.getByLabelText("Recovery code"), "7kq2-m9xd");
    await user.click(screen.getByRole("button", { name: "Verify" }));

    await waitFor(() => expect(currentPath()).toBe("/profile/general"));
    const notice = await findRecoveryNotice();
    expect(notice.textContent).toContain("You have no recovery codes left.");
    expect(within(notice).getByRole("link", { name: "Generate new recovery codes" })).toBeTruthy();

    await user.click(within(notice).getByRole("button", { name: "Dismiss" }));
    await waitFor(() => expect(screen.queryByText("You signed in with a recovery code")).toBeNull());
    expect(currentPath()).toBe("/profile/general");
    expect(document.activeElement?.id).toBe("main-content");
  });

  it("switches back to the authenticator code", async () => {
    const { user } = renderRoute("/login/mfa");

    await user.click(await screen.findByRole("button", { name: "Use a recovery code instead" }));
    await user.click(screen.getByRole("button", { name: "Use the code from my authenticator app" }));

    const field = screen.getByLabelText("6-digit code");
    expect(field.getAttribute("autocomplete")).toBe("one-time-code");
    expect(field.getAttribute("inputmode")).toBe("numeric");
    await waitFor(() => expect(document.activeElement).toBe(field));
  });
});
