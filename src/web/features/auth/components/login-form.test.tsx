// @vitest-environment jsdom
import { afterEach, describe, expect, it, vi } from "vitest";
import { screen, waitFor } from "@testing-library/react";
import type { UserEvent } from "@testing-library/user-event";
import { http, HttpResponse } from "msw";
import { loginSchema } from "@contracts/auth";
import type { LoginInput } from "@contracts/auth";
import { formatTime, getDefaultPrefs } from "../../../lib/format-date";
import { buildLoginResponse, buildUser, errorResponse, readBody } from "@web/test/fixtures";
import { TEST_CSRF_TOKEN, server } from "@web/test/msw-server";
import { renderRoute } from "@web/test/render-route";

const ada = buildUser();
const PASSWORD = "correct horse battery staple";

/** Answers `POST /auth/login` with `answer` and records what the page sent. */
function answerLogin(answer: () => Response) {
  const sent: Array<{ body: LoginInput; csrfToken: string | null }> = [];
  server.use(
    http.post("/api/v1/auth/login", async ({ request }) => {
      sent.push({ body: await readBody(request, loginSchema), csrfToken: request.headers.get("x-csrf-token") });
      return answer();
    }),
  );
  return sent;
}

async function signIn(user: UserEvent, email = " Ada@example.com ") {
  await user.type(await screen.findByLabelText("Email"), email);
  await user.type(screen.getByLabelText("Password"), PASSWORD);
  await user.click(screen.getByRole("button", { name: "Sign in" }));
}

afterEach(() => {
  vi.useRealTimers();
});

describe("/login", () => {
  it("signs in and goes on to the ?next= path", async () => {
    const sent = answerLogin(() => HttpResponse.json(buildLoginResponse({ user: ada })));
    const { user, currentPath } = renderRoute("/login?next=%2Fprofile%2Fsessions%3Fstatus%3Dended");

    await signIn(user);

    await waitFor(() => expect(currentPath()).toBe("/profile/sessions?status=ended"));
    // The signed-in shell renders from the login answer (no second round trip for `me`).
    expect(await screen.findByRole("button", { name: "Ada Lovelace" })).toBeTruthy();
    expect(sent).toEqual([{ body: { email: "ada@example.com", password: PASSWORD }, csrfToken: TEST_CSRF_TOKEN }]);
  });

  it("ignores a ?next= that leaves the site and lands on the profile", async () => {
    answerLogin(() => HttpResponse.json(buildLoginResponse({ user: ada })));
    const { user, currentPath } = renderRoute("/login?next=%2F%2Fevil.test%2Fphish");

    await signIn(user);

    await waitFor(() => expect(currentPath()).toBe("/profile/general"));
  });

  it("says the email and password don't match on invalid_credentials, and stays", async () => {
    answerLogin(() => errorResponse("invalid_credentials"));
    const { user, currentPath } = renderRoute("/login");

    await signIn(user);

    expect((await screen.findByRole("alert")).textContent).toContain(
      "That email and password don't match. Check them and try again.",
    );
    expect(currentPath()).toBe("/login");
    expect(screen.getByLabelText<HTMLInputElement>("Password").value).toBe(PASSWORD);
  });

  it("says how long to wait, and until when, on rate_limited", async () => {
    vi.useFakeTimers({ toFake: ["Date"] });
    vi.setSystemTime(new Date("2026-03-29T12:00:00.000Z"));
    answerLogin(() => errorResponse("rate_limited", { headers: { "Retry-After": "300" } }));
    const { user } = renderRoute("/login");

    await signIn(user);

    const until = formatTime(Date.parse("2026-03-29T12:05:00.000Z"), getDefaultPrefs());
    expect((await screen.findByRole("alert")).textContent).toContain(`Too many attempts. Try again in 5 minutes, at ${until}.`);
  });

  it("asks for the code next on mfa_required, keeping ?next=", async () => {
    answerLogin(() => HttpResponse.json(buildLoginResponse("mfa_required")));
    const { user, currentPath } = renderRoute("/login?next=%2Fprofile%2Fsecurity");

    await signIn(user);

    expect(await screen.findByRole("heading", { name: "Two-factor authentication" })).toBeTruthy();
    expect(currentPath()).toBe("/login/mfa?next=%2Fprofile%2Fsecurity");
    await waitFor(() => expect(document.activeElement).toBe(screen.getByLabelText("6-digit code")));
  });

  it("checks the fields before sending anything", async () => {
    const sent = answerLogin(() => HttpResponse.json(buildLoginResponse({ user: ada })));
    const { user } = renderRoute("/login");

    await user.click(await screen.findByRole("button", { name: "Sign in" }));

    expect(screen.getByText("Enter your email address.")).toBeTruthy();
    expect(screen.getByText("Enter your password.")).toBeTruthy();
    expect(document.activeElement).toBe(screen.getByLabelText("Email"));
    expect(sent).toEqual([]);
  });
});

describe("/login when already signed in", () => {
  it("goes straight on to ?next=", async () => {
    const sent = answerLogin(() => HttpResponse.json(buildLoginResponse({ user: ada })));
    const { currentPath } = renderRoute("/login?next=%2Fprofile%2Fsecurity", { signedInAs: ada });

    await waitFor(() => expect(currentPath()).toBe("/profile/security"));
    expect(await screen.findByRole("button", { name: "Ada Lovelace" })).toBeTruthy();
    expect(sent).toEqual([]);
  });

  it("goes to the profile when ?next= is missing or unsafe", async () => {
    const { currentPath } = renderRoute("/login?next=%2F%5Cevil.test", { signedInAs: ada });

    await waitFor(() => expect(currentPath()).toBe("/profile/general"));
  });

  it("shows the form to a session still waiting for its code", async () => {
    server.use(http.get("/api/v1/me", () => errorResponse("mfa_required")));
    const { currentPath } = renderRoute("/login?next=%2Fprofile%2Fsecurity");

    expect(await screen.findByRole("button", { name: "Sign in" })).toBeTruthy();
    // Give the check time to answer: it must not redirect.
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(currentPath()).toBe("/login?next=%2Fprofile%2Fsecurity");
  });
});
