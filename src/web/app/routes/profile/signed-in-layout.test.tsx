// @vitest-environment jsdom
import { describe, expect, it } from "vitest";
import { screen, waitFor } from "@testing-library/react";
import { http, HttpResponse } from "msw";
import { loginResponseSchema } from "@contracts/auth";
import { ME_QUERY_KEY } from "../../../lib/current-user";
import { buildUser, errorResponse } from "@web/test/fixtures";
import { server } from "@web/test/msw-server";
import { renderRoute } from "@web/test/render-route";

const ada = buildUser();

describe("signed-in pages", () => {
  it("send a signed-out visitor to /login?next=<the page>, and back there after signing in", async () => {
    server.use(
      http.post("/api/v1/auth/login", () => HttpResponse.json(loginResponseSchema.parse({ status: "authenticated", user: ada }))),
    );
    const { user, currentPath } = renderRoute("/profile/sessions?status=ended");

    await waitFor(() => expect(currentPath()).toBe("/login?next=%2Fprofile%2Fsessions%3Fstatus%3Dended"));
    await user.type(await screen.findByLabelText("Email"), "ada@example.com");
    await user.type(screen.getByLabelText("Password"), "correct horse battery staple");
    await user.click(screen.getByRole("button", { name: "Sign in" }));

    await waitFor(() => expect(currentPath()).toBe("/profile/sessions?status=ended"));
    expect(await screen.findByRole("button", { name: "Ada Lovelace" })).toBeTruthy();
  });

  it("send the person to sign in when the session ends while a page is open", async () => {
    const { queryClient, currentPath } = renderRoute("/profile/accounts?tab=all", { signedInAs: ada });
    expect(await screen.findByRole("button", { name: "Ada Lovelace" })).toBeTruthy();

    // The session was revoked elsewhere: the next call answers 401.
    server.use(http.get("/api/v1/me", () => errorResponse("unauthenticated")));
    await queryClient.invalidateQueries({ queryKey: ME_QUERY_KEY });

    await waitFor(() => expect(currentPath()).toBe("/login?next=%2Fprofile%2Faccounts%3Ftab%3Dall"));
    expect(await screen.findByRole("heading", { name: "Sign in" })).toBeTruthy();
  });

  it("show the section navigation with the current page marked", async () => {
    renderRoute("/profile/security", { signedInAs: ada });

    const nav = await screen.findByRole("navigation", { name: "Profile sections" });
    const current = nav.querySelector("[aria-current=page]");
    expect(current?.textContent).toBe("Security");
  });
});
