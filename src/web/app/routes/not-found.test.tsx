// @vitest-environment jsdom
import { describe, expect, it } from "vitest";
import { screen, waitFor } from "@testing-library/react";
import { renderRoute } from "@web/test/render-route";

describe("not-found page", () => {
  it("answers an unknown path with 'Page not found' and a way back", async () => {
    const { user, currentPath } = renderRoute("/no/such/page?x=1");

    expect(await screen.findByRole("heading", { level: 1, name: "Page not found" })).toBeTruthy();
    await waitFor(() => expect(document.title).toBe("Page not found · Profile Center"));
    const link = screen.getByRole("link", { name: "Go to your profile" });
    expect(link.getAttribute("href")).toBe("/profile/general");

    await user.click(link);
    // Signed out: the profile sends the visitor to sign in first.
    await waitFor(() => expect(currentPath()).toBe("/login?next=%2Fprofile%2Fgeneral"));
  });

  it("also answers an unknown profile section, without asking to sign in", async () => {
    const { currentPath } = renderRoute("/profile/nope");

    expect(await screen.findByRole("heading", { level: 1, name: "Page not found" })).toBeTruthy();
    expect(currentPath()).toBe("/profile/nope");
  });
});
