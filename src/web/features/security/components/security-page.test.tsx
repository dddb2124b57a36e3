// @vitest-environment jsdom
import { describe, expect, it } from "vitest";
import { screen, waitFor, within } from "@testing-library/react";
import { http, HttpResponse } from "msw";
import { buildUser, errorResponse } from "@web/test/fixtures";
import { server } from "@web/test/msw-server";
import { renderRoute } from "@web/test/render-route";

const ada = buildUser();
const SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP";
const CODES = ["abcd-efgh-ijkl", "mnop-qrst-uvwx"];

/** MFA starts off; setup, confirm and the later status answer like the server. */
function answerMfa(initiallyEnabled = false) {
  let enabled = initiallyEnabled;
  const calls: string[] = [];
  server.use(
    http.get("/api/v1/me/mfa", () =>
      HttpResponse.json({
        totp: { enabled, enabledAt: enabled ? "2026-11-27T20:10:44.000Z" : null },
        recoveryCodesLeft: enabled ? 10 : 0,
        passkeys: 0,
        requiredBy: [],
      }),
    ),
    http.post("/api/v1/me/mfa/totp/setup", () => {
      calls.push("setup");
      return HttpResponse.json({
        secret: SECRET,
        otpauthUri: `otpauth://totp/Connect%20Auth:ada?secret=${SECRET}&issuer=Connect%20Auth`,
        qrCodeSvg: "<svg xmlns='http://www.w3.org/2000/svg'/>",
      });
    }),
    http.post("/api/v1/me/mfa/totp/confirm", () => {
      calls.push("confirm");
      enabled = true;
      return HttpResponse.json({ recoveryCodes: CODES });
    }),
  );
  return calls;
}

describe("/profile/security", () => {
  it("B1: sent here to set up MFA (?setup=mfa&next=…), setup starts at once and ends back at `next`", async () => {
    const calls = answerMfa();
    const next = "/profile/accounts?enter=PA-521-554";
    const { user, currentPath } = renderRoute(`/profile/security?setup=mfa&next=${encodeURIComponent(next)}`, {
      signedInAs: ada,
    });

    const notice = await screen.findByText("Set up two-factor authentication to continue");
    expect(notice.closest("[role=status]")?.textContent).toContain("you'll be taken back");
    expect(await screen.findByLabelText("Setup key")).toBeTruthy();
    expect(calls).toEqual(["setup"]);
    await waitFor(() => expect(document.activeElement?.getAttribute("aria-label")).toBe("Set up your authenticator app"));

    await user.type(screen.getByLabelText("6-digit code"), "123456");
    await user.click(screen.getByRole("button", { name: "Verify and turn on" }));
    await screen.findByRole("list", { name: "Recovery codes" });
    await user.click(screen.getByRole("button", { name: "I saved my recovery codes, continue" }));

    await waitFor(() => expect(currentPath().startsWith("/profile/accounts")).toBe(true));
  });

  it("never follows a `next` that leaves the site", async () => {
    answerMfa();
    const { user, currentPath } = renderRoute("/profile/security?setup=mfa&next=%2F%2Fevil.example", { signedInAs: ada });

    await user.type(await screen.findByLabelText("6-digit code"), "123456");
    await user.click(screen.getByRole("button", { name: "Verify and turn on" }));
    await user.click(await screen.findByRole("button", { name: "I saved my recovery codes" }));

    await waitFor(() => expect(currentPath()).toBe("/profile/security"));
  });

  it("turning MFA off after an old sign-in asks for the password in the same dialog, keeping the code", async () => {
    answerMfa(true);
    const sent: unknown[] = [];
    server.use(
      http.delete("/api/v1/me/mfa/totp", async ({ request }) => {
        const body = (await request.json()) as { code: string; password?: string };
        sent.push(body);
        if (!body.password) return errorResponse("reauthentication_required");
        return new HttpResponse(null, { status: 204 });
      }),
    );
    const { user } = renderRoute("/profile/security", { signedInAs: ada });

    await user.click(await screen.findByRole("button", { name: "Turn off" }));
    const dialog = await screen.findByRole("dialog", { name: "Turn off two-factor authentication?" });
    expect(document.activeElement).toBe(within(dialog).getByLabelText("Authentication code"));
    await user.type(within(dialog).getByLabelText("Authentication code"), "654321");
    await user.click(within(dialog).getByRole("button", { name: "Turn off" }));

    const confirm = await screen.findByRole("dialog", { name: "Confirm it's you" });
    const password = within(confirm).getByLabelText("Password", { exact: true });
    await waitFor(() => expect(document.activeElement).toBe(password));
    expect((within(confirm).getByLabelText("Authentication code") as HTMLInputElement).value).toBe("654321");
    await user.type(password, "correct horse battery staple");
    await user.click(within(confirm).getByRole("button", { name: "Turn off" }));

    expect(await screen.findByText(/two-factor authentication is off/i)).toBeTruthy();
    expect(sent).toEqual([{ code: "654321" }, { code: "654321", password: "correct horse battery staple" }]);
  });
});
