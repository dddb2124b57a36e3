import { describe, expect, it } from "vitest";
import { buildLoginPath, getSafeNextPath, isServerPath } from "./safe-next-path";

describe("getSafeNextPath (no open redirect via ?next=)", () => {
  it.each(["/profile/sessions", "/profile/general?tab=1#x", "/confirm-email?token=abc", "/"])("keeps %s", (path) => {
    expect(getSafeNextPath(path)).toBe(path);
  });

  it.each([
    "//evil.test/path",
    "/\\evil.test",
    "\\\\evil.test",
    "https://evil.test/",
    "javascript:alert(1)",
    "profile/general",
    "/%0d%0aSet-Cookie:x",
    "/foo\nbar",
    "",
    null,
    undefined,
  ])("refuses %s", (path) => {
    expect(getSafeNextPath(path)).toBeUndefined();
  });

  it("normalises dot segments without leaving the origin", () => {
    expect(getSafeNextPath("/a/../profile")).toBe("/profile");
  });
});

describe("buildLoginPath", () => {
  it("adds an encoded next path", () => {
    expect(buildLoginPath("/profile/sessions?status=ended")).toBe("/login?next=%2Fprofile%2Fsessions%3Fstatus%3Dended");
  });

  it("leaves next out for the root, the login page and unsafe values", () => {
    expect(buildLoginPath("/")).toBe("/login");
    expect(buildLoginPath("/login?next=/x")).toBe("/login");
    expect(buildLoginPath("//evil.test")).toBe("/login");
  });
});

describe("isServerPath (single sign-on interactions leave the app by a full page load)", () => {
  it("is true only for /oidc/interaction/<uid>", () => {
    expect(isServerPath("/oidc/interaction/Ab_c-9")).toBe(true);
    for (const other of [
      undefined,
      "/profile/general",
      "/oidc/auth",
      "/oidc/interaction/x/../../evil",
      "/oidc/interaction/x?y=1",
    ]) {
      expect(isServerPath(other)).toBe(false);
    }
  });
});
