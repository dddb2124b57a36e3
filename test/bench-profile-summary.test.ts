import { describe, expect, it } from "vitest";
import { ownerOf, selfTimes, summarizeProfile, type CpuProfile } from "../bench/lib/profile-summary.js";

/* `npm run bench -- --profile` prints where the server's busy time went. */

const frame = (functionName: string, url = "", lineNumber = 0) => ({ functionName, url, lineNumber });

/** root → handler (ours) → all (better-sqlite3); root → (idle); root → (garbage collector). */
const profile: CpuProfile = {
  nodes: [
    { id: 1, callFrame: frame("(root)"), children: [2, 4, 5] },
    { id: 2, callFrame: frame("handler", "file:///srv/app/dist/server/features/sessions/sessions.service.js", 9), children: [3] },
    { id: 3, callFrame: frame("all", "file:///srv/app/node_modules/better-sqlite3/lib/methods/wrappers.js", 0) },
    { id: 4, callFrame: frame("(idle)") },
    { id: 5, callFrame: frame("(garbage collector)") },
  ],
  samples: [2, 3, 3, 3, 4, 4, 4, 4, 5, 3],
  timeDeltas: [100, 100, 100, 100, 100, 100, 100, 100, 100, 100],
};

describe("bench CPU profile summary", () => {
  it("shares self time of the busy (non-idle) samples by function and by package", () => {
    const { busyMs, byFunction, byOwner } = selfTimes(profile);
    expect(busyMs).toBeCloseTo(0.6);
    expect(byOwner.get("better-sqlite3")).toBeCloseTo(4 / 6);
    expect(byOwner.get("ours: server/features/sessions/sessions.service.js")).toBeCloseTo(1 / 6);
    expect(byOwner.get("(garbage collector)")).toBeCloseTo(1 / 6);
    expect(byOwner.has("(idle)")).toBe(false);
    expect(byFunction.get("handler (ours: server/features/sessions/sessions.service.js:10)")).toBeCloseTo(1 / 6);
  });

  it("names packages, scoped packages and Node.js modules", () => {
    expect(ownerOf(frame("x", "file:///a/node_modules/@fastify/cookie/index.js"))).toBe("@fastify/cookie");
    expect(ownerOf(frame("x", "node:internal/streams/writable"))).toBe("node:internal/streams/writable");
    expect(ownerOf(frame("writev"))).toBe("(native)");
  });

  it("prints the heaviest first", () => {
    const text = summarizeProfile(profile, 3);
    expect(text.indexOf("all (better-sqlite3:1)")).toBeLessThan(text.indexOf("handler"));
    expect(text).toContain("66.7%");
  });
});
