// @vitest-environment jsdom
import { describe, expect, it } from "vitest";
import { screen, waitFor, within } from "@testing-library/react";
import { http, HttpResponse } from "msw";
import { buildUser } from "@web/test/fixtures";
import { server } from "@web/test/msw-server";
import { renderRoute } from "@web/test/render-route";

const ada = buildUser();

const LAPTOP = {
  id: "pk-1",
  name: "Work laptop",
  createdAt: "2026-11-20T10:00:00.000Z",
  lastUsedAt: null,
  authenticator: "Google Password Manager",
  backedUp: true,
};

function answerPasskeys(items = [LAPTOP], tryPasskeyHint = false) {
  let current = [...items];
  const renamed: unknown[] = [];
  server.use(
    http.get("/api/v1/me/mfa", () =>
      HttpResponse.json({
        totp: { enabled: false, enabledAt: null },
        recoveryCodesLeft: 0,
        passkeys: current.length,
        requiredBy: [],
      }),
    ),
    http.get("/api/v1/me/passkeys", () => HttpResponse.json({ items: current, nextCursor: null, tryPasskeyHint })),
    http.patch("/api/v1/me/passkeys/:id", async ({ request, params }) => {
      const body = (await request.json()) as { name: string };
      renamed.push({ id: params.id, ...body });
      current = current.map((p) => (p.id === params.id ? { ...p, name: body.name } : p));
      return HttpResponse.json(current.find((p) => p.id === params.id));
    }),
  );
  return renamed;
}

describe("/profile/security: the Passkeys card", () => {
  it("lists passkeys with their authenticator, synced state and use, and renames one", async () => {
    const renamed = answerPasskeys();
    const { user } = renderRoute("/profile/security", { signedInAs: ada });
    const list = await screen.findByRole("list", { name: "Your passkeys" });
    const row = within(list).getByTestId("passkey-row");
    expect(row.textContent).toContain("Work laptop");
    expect(row.textContent).toContain("Google Password Manager");
    expect(row.textContent).toContain("Synced");
    expect(row.textContent).toContain("not used yet");

    await user.click(within(row).getByRole("button", { name: "Rename Work laptop" }));
    const name = await screen.findByLabelText("Name");
    await user.clear(name);
    await user.type(name, "Ada's phone");
    await user.click(screen.getByRole("button", { name: "Save" }));
    await waitFor(() => expect(renamed).toEqual([{ id: "pk-1", name: "Ada's phone" }]));
    expect(await screen.findByText("Ada's phone")).toBeTruthy();
  });

  it("says when the browser cannot create passkeys (no secure context or WebAuthn)", async () => {
    answerPasskeys([], true);
    renderRoute("/profile/security", { signedInAs: ada });
    expect(await screen.findByText(/cannot create passkeys here/)).toBeTruthy();
    expect(screen.queryByRole("button", { name: "Add a passkey" })).toBeNull();
  });
});
