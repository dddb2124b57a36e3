// @vitest-environment jsdom
import { describe, expect, it } from "vitest";
import { screen, waitFor, within } from "@testing-library/react";
import { http, HttpResponse } from "msw";
import { buildUser } from "@web/test/fixtures";
import { server } from "@web/test/msw-server";
import { renderRoute } from "@web/test/render-route";

const ada = buildUser();

describe("/profile/apps", () => {
  it("lists the connected apps with what they see, and disconnects one after a confirmation", async () => {
    let apps = [
      {
        clientId: "pc-portal",
        name: "Partner Portal",
        scopes: ["openid", "email", "accounts"],
        firstAuthorizedAt: "2026-11-01T10:00:00.000Z",
        lastUsedAt: "2026-11-27T20:10:44.000Z",
      },
    ];
    const deleted: string[] = [];
    server.use(
      http.get("/api/v1/me/apps", () => HttpResponse.json({ items: apps, nextCursor: null })),
      http.delete("/api/v1/me/apps/:clientId", ({ params }) => {
        deleted.push(String(params.clientId));
        apps = [];
        return new HttpResponse(null, { status: 204 });
      }),
    );
    const { user } = renderRoute("/profile/apps", { signedInAs: ada });
    const item = await screen.findByRole("article", { name: "Partner Portal" });
    expect(item.textContent).toContain("Your email address");
    expect(item.textContent).toContain("Your accounts and groups");
    await user.click(within(item).getByRole("button", { name: /Disconnect/ }));
    const dialog = await screen.findByRole("dialog", { name: "Disconnect Partner Portal?" });
    expect(deleted).toEqual([]);
    await user.click(within(dialog).getByRole("button", { name: "Disconnect" }));
    await waitFor(() => expect(deleted).toEqual(["pc-portal"]));
    await screen.findByText("No connected apps");
    expect(screen.getByText("Partner Portal is disconnected and signed out.")).toBeTruthy();
  });
});
