// @vitest-environment jsdom
import { afterEach, describe, expect, it, vi } from "vitest";
import { screen, within } from "@testing-library/react";
import { http, HttpResponse } from "msw";
import { buildUser, errorResponse } from "@web/test/fixtures";
import { server } from "@web/test/msw-server";
import { renderRoute } from "@web/test/render-route";

const ada = buildUser();
const document_ = {
  format: "profile-center-export/1",
  exportedAt: "2026-12-06T08:00:00.000Z",
  timezone: "UTC",
  profile: { id: ada.id },
};

describe("General: Download my data", () => {
  afterEach(() => vi.unstubAllGlobals());

  it("asks for the password when the sign-in is not recent, re-authenticates, then saves the JSON file", async () => {
    const saved: Blob[] = [];
    vi.stubGlobal(
      "URL",
      Object.assign(URL, { createObjectURL: (blob: Blob) => (saved.push(blob), "blob:x"), revokeObjectURL: () => {} }),
    );
    const clicks = vi.spyOn(HTMLAnchorElement.prototype, "click").mockImplementation(() => {});
    let recent = false;
    const reauth: unknown[] = [];
    server.use(
      http.get("/api/v1/me/export", () =>
        recent
          ? HttpResponse.json(document_)
          : errorResponse("reauthentication_required", { details: { passwordRequired: true, codeRequired: false } }),
      ),
      http.post("/api/v1/auth/reauthenticate", async ({ request }) => {
        reauth.push(await request.json());
        recent = true;
        return new HttpResponse(null, { status: 204 });
      }),
    );
    const { user } = renderRoute("/profile/general", { signedInAs: ada });

    await user.click(await screen.findByRole("button", { name: "Download my data" }));
    const dialog = await screen.findByRole("dialog");
    await user.click(within(dialog).getByRole("button", { name: "Download" }));
    await user.type(await within(dialog).findByLabelText("Password"), "my password here");
    await user.click(within(dialog).getByRole("button", { name: "Download" }));

    expect(await screen.findByText("Your data was downloaded as a JSON file.")).toBeTruthy();
    expect(reauth).toEqual([{ password: "my password here" }]);
    expect(clicks).toHaveBeenCalledTimes(1);
    expect(JSON.parse(await (saved[0] as Blob).text())).toMatchObject({ profile: { id: ada.id } });
  });
});
