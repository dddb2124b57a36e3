import { describe, expect, it } from "vitest";
import { useTestApp } from "@test/use-test-app.js";
import { enableTotp, insertUser, signIn } from "@test/factories.js";
import { eventsOf } from "@test/inspect.js";
import { THROTTLE_POLICIES } from "../../throttle/throttle.js";

const t = useTestApp();

const LIMIT = THROTTLE_POLICIES.code.threshold;

describe("B5: the code step's throttle holds under parallel guesses", () => {
  it("10 parallel wrong recovery codes (each an argon2id check): only the policy's 5 are checked; the right code waits", async () => {
    const user = await insertUser(t);
    const totp = await enableTotp(t, user.id);
    const client = t.client();
    expect((await signIn(client, user)).json()).toMatchObject({ status: "mfa_required" });
    const right = totp.codeAt(t.clock.now());
    const statuses = await Promise.all(
      Array.from({ length: 10 }, (_, i) =>
        client.post("/api/v1/auth/login/mfa", { code: `zzzz-zzzz-zzz${i}` }).then((r) => r.statusCode),
      ),
    );
    expect(statuses.filter((s) => s !== 429)).toHaveLength(LIMIT - 1); // the 5th failure answers 429 itself
    expect(statuses.filter((s) => s === 429)).toHaveLength(10 - (LIMIT - 1));
    const checked = await eventsOf(t, user.id, "authn_mfa_fail");
    expect(checked.reduce((sum, e) => sum + Number(e.occurrences ?? 1), 0)).toBe(LIMIT);
    expect((await client.post("/api/v1/auth/login/mfa", { code: right })).statusCode).toBe(429);
  });
});
