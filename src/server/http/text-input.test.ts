import { describe, expect, it } from "vitest";
import { useTestApp } from "@test/use-test-app.js";
import { adminCall } from "@test/accounts-fixtures.js";
import { insertUser, signedInUser, TEST_PASSWORD } from "@test/factories.js";
import { readUser } from "@test/inspect.js";
import { findUnstorableText } from "./text-input.js";

const t = useTestApp();

/** The contract's answer for refused text: 400 `validation_failed` naming the field. */
function expectRefused(response: { statusCode: number; json(): unknown }, field: string) {
  expect(response.statusCode).toBe(400);
  const body = response.json() as { error: { code: string; details: { fields: Record<string, string> } } };
  expect(body.error.code).toBe("validation_failed");
  expect(Object.keys(body.error.details.fields)).toEqual([field]);
}

async function countRows(table: "securityEvents" | "throttles"): Promise<number> {
  const row = await t.app.services.db
    .selectFrom(table)
    .select((eb) => eb.fn.countAll<number>().as("n"))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

describe("findUnstorableText", () => {
  it("finds NUL and unpaired surrogates at any depth, and passes paired ones (emoji)", () => {
    expect(findUnstorableText({ a: "fine 😀", b: ["x", { c: "\ud83d" }] })).toBe("b.1.c");
    expect(findUnstorableText({ a: "x\u0000y" })).toBe("a");
    expect(findUnstorableText({ a: "\udc00x" })).toBe("a");
    expect(findUnstorableText({ "k\u0000": 1 })).toBe("");
    expect(findUnstorableText({ a: "emoji 😀 and RTL \u202e" })).toBeUndefined();
    expect(findUnstorableText("\ud800")).toBe("");
  });
});

describe("H7: text input rule: NUL bytes are 400 on both databases, before any lookup", () => {
  it("a NUL in the sign-in email is refused before the lookup or the throttle run", async () => {
    const user = await insertUser(t);
    const before = await countRows("securityEvents");
    const response = await t.client().post("/api/v1/auth/login", {
      email: user.email.replace("@", "\u0000@"),
      password: TEST_PASSWORD,
    });
    expectRefused(response, "email");
    expect(await countRows("securityEvents")).toBe(before);
    expect(await countRows("throttles")).toBe(0);
    expect(t.logs.join("\n")).not.toContain("unhandled error");
  });

  it("a NUL in a path parameter, a query or a body of signed-in routes", async () => {
    const { client } = await signedInUser(t);
    expectRefused(await client.delete("/api/v1/me/sessions/a%00b"), "id");
    expectRefused(await client.get("/api/v1/me/accounts?q=a%00b"), "q");
    expectRefused(await client.post("/api/v1/me/active-account", { accountId: "VA-000-000\u0000" }), "accountId");
  });

  it("a NUL in the operator API's query and path", async () => {
    expectRefused(await adminCall(t, "GET", "/accounts?q=a%00b"), "q");
    expectRefused(await adminCall(t, "GET", "/accounts/VA-000-000%00"), "id");
    expectRefused(await adminCall(t, "GET", "/users?q=%00"), "q");
  });
});

describe("H7: text input rule: unpaired surrogates are 400 and nothing is stored", () => {
  for (const field of ["firstName", "lastName", "jobTitle"] as const) {
    it(`PATCH /me with an unpaired surrogate in ${field}`, async () => {
      const { user, client } = await signedInUser(t);
      const response = await client.patch("/api/v1/me", { [field]: `Ada \ud800 Byron` });
      expectRefused(response, field);
      const stored = await readUser(t, user.id);
      expect(stored?.[field]).toBe(user[field]);
    });
  }

  it("a low surrogate alone, and one in a nested position, are refused too; a real emoji is kept", async () => {
    const { user, client } = await signedInUser(t);
    expectRefused(await client.patch("/api/v1/me", { lastName: "\udc00" }), "lastName");
    const ok = await client.patch("/api/v1/me", { lastName: "Lovelace 😀" });
    expect(ok.statusCode).toBe(200);
    expect((await readUser(t, user.id))?.lastName).toBe("Lovelace 😀");
  });
});
