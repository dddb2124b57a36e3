// @vitest-environment jsdom
import { describe, expect, it } from "vitest";
import { screen, waitFor } from "@testing-library/react";
import { http, HttpResponse } from "msw";
import { buildUser, errorResponse } from "@web/test/fixtures";
import { server } from "@web/test/msw-server";
import { renderRoute } from "@web/test/render-route";

const ada = buildUser();

function focusedText(): string | undefined {
  return document.activeElement?.textContent ?? undefined;
}

describe("user menu", () => {
  it("works from the keyboard: Enter opens on the first item, arrows move and wrap, Esc closes", async () => {
    const { user } = renderRoute("/profile/general", { signedInAs: ada });

    const button = await screen.findByRole("button", { name: "Ada Lovelace" });
    expect(button.getAttribute("aria-haspopup")).toBe("menu");
    expect(button.getAttribute("aria-expanded")).toBe("false");

    button.focus();
    await user.keyboard("{Enter}");
    const menu = screen.getByRole("menu");
    expect(button.getAttribute("aria-expanded")).toBe("true");
    expect(button.getAttribute("aria-controls")).toBe(menu.id);
    expect(screen.getByText("ada@example.com")).toBeTruthy();
    await waitFor(() => expect(focusedText()).toBe("Manage Your Profile"));

    await user.keyboard("{ArrowDown}");
    expect(focusedText()).toBe("Light theme");
    await user.keyboard("{ArrowUp}");
    expect(focusedText()).toBe("Manage Your Profile");
    await user.keyboard("{ArrowUp}");
    expect(focusedText()).toBe("Sign out");
    await user.keyboard("{ArrowDown}");
    expect(focusedText()).toBe("Manage Your Profile");
    await user.keyboard("{Home}");
    expect(focusedText()).toBe("Manage Your Profile");
    await user.keyboard("{End}");
    expect(focusedText()).toBe("Sign out");

    await user.keyboard("{Escape}");
    expect(screen.queryByRole("menu")).toBeNull();
    expect(button.getAttribute("aria-expanded")).toBe("false");
    expect(document.activeElement).toBe(button);
  });

  it("ArrowUp on the button opens on the last item; Tab closes it", async () => {
    const { user } = renderRoute("/profile/general", { signedInAs: ada });

    const button = await screen.findByRole("button", { name: "Ada Lovelace" });
    button.focus();
    await user.keyboard("{ArrowUp}");
    await waitFor(() => expect(focusedText()).toBe("Sign out"));

    await user.tab();
    expect(screen.queryByRole("menu")).toBeNull();
  });

  it("every item is a menuitem; the themes are a choice with the one in force checked", async () => {
    const { user } = renderRoute("/profile/general", { signedInAs: ada });

    await user.click(await screen.findByRole("button", { name: "Ada Lovelace" }));

    const items = screen.getAllByRole("menuitem").map((item) => item.textContent);
    expect(items).toEqual(["Manage Your Profile", "Sign out"]);
    const themes = screen.getAllByRole("menuitemradio");
    expect(themes.map((item) => [item.textContent?.replace("✓", ""), item.getAttribute("aria-checked")])).toEqual([
      ["Light theme", "false"],
      ["Dark theme", "false"],
      ["Theme as on this device", "true"],
    ]);
  });

  it("signs out: ends the session and goes to the sign-in page", async () => {
    let loggedOut = 0;
    server.use(
      http.post("/api/v1/auth/logout", () => {
        loggedOut += 1;
        // From now on this browser has no session.
        server.use(http.get("/api/v1/me", () => errorResponse("unauthenticated")));
        return new HttpResponse(null, { status: 204 });
      }),
    );
    const { user, currentPath } = renderRoute("/profile/general", { signedInAs: ada });

    await user.click(await screen.findByRole("button", { name: "Ada Lovelace" }));
    await user.click(screen.getByRole("menuitem", { name: "Sign out" }));

    await waitFor(() => expect(currentPath()).toBe("/login"));
    expect(await screen.findByRole("heading", { name: "Sign in" })).toBeTruthy();
    expect(loggedOut).toBe(1);
  });
});
