import { describe, expect, it } from "vitest";
import { useTestApp } from "@test/use-test-app.js";
import { insertUser, signedInUser, TEST_PASSWORD } from "@test/factories.js";
import { eventsOf } from "@test/inspect.js";
import { THROTTLE_POLICIES } from "../throttle/throttle.js";

const t = useTestApp();

const PER_PERSON = THROTTLE_POLICIES.emailChangePerPerson.threshold;
const PER_ADDRESS = THROTTLE_POLICIES.emailChangePerAddress.threshold;

/** The contract's 429: `rate_limited` with a Retry-After header matching `details.retryAfterSeconds`. */
function expectRateLimited(response: { statusCode: number; headers: Record<string, unknown>; json(): unknown }) {
  expect(response.statusCode).toBe(429);
  const body = response.json() as { error: { code: string; details: { retryAfterSeconds: number } } };
  expect(body.error.code).toBe("rate_limited");
  const retryAfter = Number(response.headers["retry-after"]);
  expect(retryAfter).toBeGreaterThan(0);
  expect(body.error.details.retryAfterSeconds).toBe(retryAfter);
  return retryAfter;
}

describe("POST /me/email-change is throttled per person and per new address", () => {
  it("probing which addresses are registered (409 email_taken) stops after the person's budget", async () => {
    const { client } = await signedInUser(t);
    const taken = await Promise.all(Array.from({ length: PER_PERSON + 3 }, () => insertUser(t)));
    const statuses: number[] = [];
    for (const other of taken) {
      const response = await client.post("/api/v1/me/email-change", { newEmail: other.email, password: TEST_PASSWORD });
      statuses.push(response.statusCode);
      if (response.statusCode === 429) expectRateLimited(response);
    }
    expect(statuses.slice(0, PER_PERSON)).toEqual(Array(PER_PERSON).fill(409));
    expect(statuses.slice(PER_PERSON)).toEqual(Array(3).fill(429));
  });

  it("parallel requests cannot exceed the budget either, and nothing more is mailed", async () => {
    const { user, client } = await signedInUser(t);
    const statuses = await Promise.all(
      Array.from({ length: 12 }, (_, i) =>
        client
          .post("/api/v1/me/email-change", { newEmail: `new-${i}@example.com`, password: TEST_PASSWORD })
          .then((r) => r.statusCode),
      ),
    );
    expect(statuses.filter((s) => s === 202)).toHaveLength(PER_PERSON);
    expect(statuses.filter((s) => s === 429)).toHaveLength(12 - PER_PERSON);
    await t.app.services.mailer.deliverDueMail();
    expect(t.mails().filter((m) => m.to.startsWith("new-"))).toHaveLength(PER_PERSON);
    expect((await eventsOf(t, user.id, "excess_rate_limit_exceeded")).length).toBeGreaterThan(0);
  });

  it("one target address can be named only a few times an hour, whoever asks; the budget comes back after the wait", async () => {
    const target = "popular-target@example.com";
    const statuses: number[] = [];
    for (let i = 0; i < PER_ADDRESS + 2; i++) {
      const { client } = await signedInUser(t);
      statuses.push((await client.post("/api/v1/me/email-change", { newEmail: target, password: TEST_PASSWORD })).statusCode);
    }
    expect(statuses).toEqual([...Array(PER_ADDRESS).fill(202), 429, 429]);
    const { client } = await signedInUser(t);
    const refused = await client.post("/api/v1/me/email-change", { newEmail: target, password: TEST_PASSWORD });
    t.clock.advance(expectRateLimited(refused) * 1000);
    const later = (await signedInUser(t)).client;
    expect((await later.post("/api/v1/me/email-change", { newEmail: target, password: TEST_PASSWORD })).statusCode).toBe(202);
  });
});
