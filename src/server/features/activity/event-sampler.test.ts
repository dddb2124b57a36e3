import { describe, expect, it } from "vitest";
import { createEventSampler } from "./event-sampler.js";

const policy = { sliceMs: 60_000, keepEach: 2, maxIndividual: 5, maxSources: 3 };
const source = (ip: string, type = "malicious_csrf") => ({ type, userId: null, accountId: null, ip });

describe("I7: event sampler", () => {
  it("keeps the first occurrences of a source row by row, then folds the rest into one key per source and slice", () => {
    const sampler = createEventSampler(policy);
    const placements = Array.from({ length: 5 }, () => sampler.place(source("198.51.100.1"), 1_000));
    expect(placements.slice(0, 2)).toEqual([{ fold: false }, { fold: false }]);
    const keys = new Set(placements.slice(2).map((p) => (p.fold ? p.aggregateKey : "")));
    expect(keys.size).toBe(1);
    // Another source, another type or another person is another source.
    expect(sampler.place(source("198.51.100.2"), 1_000)).toEqual({ fold: false });
    expect(sampler.place(source("198.51.100.1", "authn_login_fail"), 1_000)).toEqual({ fold: false });
  });

  it("a new slice starts afresh, with new aggregate keys", () => {
    const sampler = createEventSampler(policy);
    for (let i = 0; i < 3; i++) sampler.place(source("198.51.100.1"), 1_000);
    const before = sampler.place(source("198.51.100.1"), 1_000);
    expect(sampler.place(source("198.51.100.1"), 61_000)).toEqual({ fold: false });
    sampler.place(source("198.51.100.1"), 61_000);
    const after = sampler.place(source("198.51.100.1"), 61_000);
    expect(before.fold && after.fold && before.aggregateKey !== after.aggregateKey).toBe(true);
  });

  it("past the individual-row budget everything folds; past the source budget new sources share one key per type", () => {
    const sampler = createEventSampler(policy);
    const individual = Array.from({ length: 3 }, (_, i) => sampler.place(source(`203.0.113.${i}`), 0)).concat(
      Array.from({ length: 3 }, (_, i) => sampler.place(source(`203.0.113.${i}`), 0)),
    );
    expect(individual.filter((p) => !p.fold)).toHaveLength(policy.maxIndividual);
    const a = sampler.place(source("192.0.2.1"), 0);
    const b = sampler.place(source("192.0.2.2"), 0);
    expect(a.fold && b.fold && a.aggregateKey === b.aggregateKey).toBe(true);
  });
});
