import { describe, expect, it } from "vitest";
import { sessionsResponseSchema } from "../../../contracts/sessions.js";
import { useTestApp } from "@test/use-test-app.js";
import { enrollTotp, openSession, signedInPerson } from "@test/factories.js";
import type { TestClient } from "@test/test-client.js";

const t = useTestApp({}, { scope: "suite" });

/** The ended sessions of the person, as the History tab lists them: id → endReason. */
async function historyOf(client: TestClient): Promise<Map<string, string | null>> {
  const page = sessionsResponseSchema.parse((await client.get("/api/v1/me/sessions?status=ended")).json());
  return new Map(page.items.map((session) => [session.id, session.endReason]));
}

/** What the ended session's device hears on its next request. */
async function refusalOf(client: TestClient) {
  const response = await client.get("/api/v1/me");
  expect(response.statusCode).toBe(401);
  return response.json().error as { code: string; details?: { reason?: string } };
}

describe("sessions end with the precise reason, and the ended device is told it", () => {
  it("'sign out everywhere else' → signed_out_elsewhere; revoking one → revoked", async () => {
    const { user, client } = await signedInPerson(t);
    const phone = await openSession(t, user.id);
    const tablet = await openSession(t, user.id);
    const revokeOne = await client.delete(`/api/v1/me/sessions/${tablet.session.id}`);
    expect(revokeOne.statusCode).toBe(204);
    expect((await client.post("/api/v1/me/sessions/revoke-others")).json()).toEqual({ revoked: 1 });

    expect(await refusalOf(phone.client)).toMatchObject({ code: "unauthenticated", details: { reason: "signed_out_elsewhere" } });
    expect(await refusalOf(tablet.client)).toMatchObject({ code: "unauthenticated", details: { reason: "revoked" } });
    const history = await historyOf(client);
    expect(history.get(phone.session.id)).toBe("signed_out_elsewhere");
    expect(history.get(tablet.session.id)).toBe("revoked");
  });

  it("turning MFA on → mfa_enabled for the other sessions", async () => {
    const { user, client } = await signedInPerson(t);
    const phone = await openSession(t, user.id);
    await enrollTotp(t, client);
    expect(await refusalOf(phone.client)).toMatchObject({ details: { reason: "mfa_enabled" } });
    expect((await historyOf(client)).get(phone.session.id)).toBe("mfa_enabled");
  });

  it("a token that never opened a session gets the plain 401, with no reason", async () => {
    const stranger = t.client();
    stranger.setSessionToken("x".repeat(43));
    const error = await refusalOf(stranger);
    expect(error.code).toBe("unauthenticated");
    expect(error.details).toBeUndefined();
  });
});
