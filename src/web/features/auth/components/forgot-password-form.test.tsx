// @vitest-environment jsdom
import { describe, expect, it } from "vitest";
import { screen } from "@testing-library/react";
import { HttpResponse } from "msw";
import { passwordResetSchema } from "@contracts/auth";
import { errorResponse } from "@web/test/fixtures";
import { answerPost } from "@web/test/msw-server";
import { renderRoute } from "@web/test/render-route";

/** Answers `POST /auth/password-reset` with `answer` and records the addresses sent. */
const answerResetRequest = (answer: () => Response) =>
  answerPost("/api/v1/auth/password-reset", passwordResetSchema, answer, (body) => body.email);

describe("/forgot-password", () => {
  it("asks for a link and words the answer 'if an account exists' (no enumeration)", async () => {
    const emails = answerResetRequest(() => new HttpResponse(null, { status: 202 }));
    const { user } = renderRoute("/forgot-password");

    await user.type(await screen.findByLabelText("Email"), " ada@example.com ");
    await user.click(screen.getByRole("button", { name: "Send reset link" }));

    const status = await screen.findByRole("status");
    expect(status.textContent).toContain("Check your inbox");
    expect(status.textContent).toContain("If an account exists for ada@example.com, we sent it a link");
    expect(emails).toEqual(["ada@example.com"]);
  });

  it("checks the address before sending anything", async () => {
    const emails = answerResetRequest(() => new HttpResponse(null, { status: 202 }));
    const { user } = renderRoute("/forgot-password");

    const field = await screen.findByLabelText("Email");
    await user.type(field, "ada at example");
    await user.click(screen.getByRole("button", { name: "Send reset link" }));

    expect(screen.getByText("Enter the email address you sign in with.")).toBeTruthy();
    expect(field.getAttribute("aria-invalid")).toBe("true");
    expect(emails).toEqual([]);
  });

  it("says how long to wait on rate_limited", async () => {
    answerResetRequest(() => errorResponse("rate_limited", { headers: { "Retry-After": "90" } }));
    const { user } = renderRoute("/forgot-password");

    await user.type(await screen.findByLabelText("Email"), "ada@example.com");
    await user.click(screen.getByRole("button", { name: "Send reset link" }));

    expect((await screen.findByRole("alert")).textContent).toContain("Too many attempts. Try again in 2 minutes, at ");
  });
});
