// @vitest-environment jsdom
import { describe, expect, it } from "vitest";
import { screen } from "@testing-library/react";
import { http, HttpResponse } from "msw";
import { lockdownConfirmSchema, lockdownPreviewSchema } from "@contracts/lockdown";
import { errorResponse } from "@web/test/fixtures";
import { answerPost, server } from "@web/test/msw-server";
import { renderRoute } from "@web/test/render-route";

const preview = lockdownPreviewSchema.parse({
  email: "ada@example.com",
  expiresAt: "2026-12-13T08:00:00.000Z",
  actions: [
    { id: "end_sessions", description: "Every session is signed out, on every device (2 active now)." },
    { id: "require_password_reset", description: "Your current password stops working: signing in needs a new one." },
  ],
});

describe("/lockdown", () => {
  it("says what will happen, then secures the account on confirmation without a password", async () => {
    server.use(http.get("/api/v1/auth/lockdown", () => HttpResponse.json(preview)));
    const sent = answerPost("/api/v1/auth/lockdown", lockdownConfirmSchema, () => new HttpResponse(null, { status: 204 }));
    const { user } = renderRoute("/lockdown?token=lockdown-token-1");

    expect(await screen.findByText("Every session is signed out, on every device (2 active now).")).toBeTruthy();
    expect(screen.queryByLabelText(/password/i)).toBeNull();
    await user.click(screen.getByRole("button", { name: "Secure my account" }));

    expect(await screen.findByText("Your account is secured")).toBeTruthy();
    expect(sent).toEqual([{ token: "lockdown-token-1" }]);
  });

  it("a used or expired link says so before anything is pressed", async () => {
    server.use(http.get("/api/v1/auth/lockdown", () => errorResponse("invalid_token")));
    renderRoute("/lockdown?token=used");
    expect(await screen.findByText("This link can't be used")).toBeTruthy();
    expect(screen.queryByRole("button", { name: "Secure my account" })).toBeNull();
  });

  it("a link without its token says it is incomplete", async () => {
    renderRoute("/lockdown");
    expect(await screen.findByText("This link is incomplete")).toBeTruthy();
  });
});
