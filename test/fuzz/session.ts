import type { TestApp } from "../create-test-app.js";
import { insertUser } from "../factories.js";
import type { FuzzTarget } from "./runner.js";

/**
 * Cheap password hashing for fuzzed apps: the fuzzer checks how input is handled, and with the
 * product's parameters every generated sign-in would cost a real hash.
 */
export const FUZZ_HASHER = { params: { memoryCost: 64, timeCost: 1, parallelism: 1 }, maxWaitMs: 30_000 };

/** A test app as the fuzzer's target: new people get sessions from the session engine (no password hashing). */
export function fuzzTargetOf(t: TestApp): FuzzTarget {
  return {
    app: t.app,
    adminToken: t.config.adminToken,
    origin: new URL(t.config.publicUrl).origin,
    secure: t.config.secure,
    newSession: async () => {
      const user = await insertUser(t);
      const { token } = await t.app.services.sessions.createSession(t.app.services.db, {
        userId: user.id,
        ip: "203.0.113.10",
        userAgent: "profile-center-fuzz/1",
      });
      return token;
    },
  };
}
