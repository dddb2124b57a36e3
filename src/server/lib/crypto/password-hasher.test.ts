import { describe, expect, it } from "vitest";
import { closedAfterEach } from "./crypto.test-support.js";
import { createPasswordHasher, HasherBusyError } from "./password-hasher.js";

describe("the password hasher", () => {
  const openHasher = closedAfterEach(createPasswordHasher);

  it("A13: argon2id PHC strings at the OWASP parameters, salted, verified exactly", async () => {
    const hasher = openHasher();
    const [a, b] = await Promise.all([hasher.hashPassword("same password here"), hasher.hashPassword("same password here")]);
    expect(a).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
    expect(a).not.toBe(b);
    expect(await hasher.verifyPassword(a, "same password here")).toBe(true);
    expect(await hasher.verifyPassword(a, "Same password here")).toBe(false);
    expect(await hasher.verifyPassword("not a hash", "x")).toBe(false);
    expect(hasher.needsRehash(a)).toBe(false);
    expect(hasher.needsRehash("$argon2id$v=19$m=4096,t=3,p=1$c2FsdHNhbHQ$aGFzaGhhc2hoYXNo")).toBe(true);
  });

  it("H6: beyond the running and queued hashes, a hash is refused at once as busy", async () => {
    const hasher = openHasher({ maxConcurrent: 1, maxQueued: 1, maxWaitMs: 30_000 });
    const results = await Promise.allSettled([
      hasher.hashPassword("one-one-one-one"),
      hasher.hashPassword("two-two-two-two"),
      hasher.hashPassword("three-three-three"),
    ]);
    expect(results.map((r) => r.status)).toEqual(["fulfilled", "fulfilled", "rejected"]);
    expect((results[2] as PromiseRejectedResult).reason).toBeInstanceOf(HasherBusyError);
  });

  it("H6: a hash that waits longer than maxWaitMs is refused, and the line moves on", async () => {
    const hasher = openHasher({ maxConcurrent: 1, maxQueued: 10, maxWaitMs: 1 });
    const results = await Promise.allSettled([hasher.hashPassword("first-in-line-ok"), hasher.hashPassword("waits-too-long-x")]);
    expect(results.map((r) => r.status)).toEqual(["fulfilled", "rejected"]);
    expect(await hasher.hashPassword("after-the-queue-ok")).toMatch(/^\$argon2id\$/);
  });

  it("close waits for the hash under way, then hashing fails and verifying answers false", async () => {
    const hasher = openHasher();
    const stored = await hasher.hashPassword("before-the-close");
    const underWay = hasher.hashPassword("under-way-at-close");
    await hasher.close();
    expect(await underWay).toMatch(/^\$argon2id\$/);
    await expect(hasher.hashPassword("after-the-close")).rejects.toThrow("closed");
    expect(await hasher.verifyPassword(stored, "before-the-close")).toBe(false);
  });
});
