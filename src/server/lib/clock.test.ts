import { describe, expect, it } from "vitest";
import { toIso, toIsoOrNull } from "./clock.js";

describe("toIso", () => {
  it("writes exactly what Date#toISOString writes, across days, years and leap days", () => {
    const points = [
      0,
      1,
      999,
      Date.UTC(1969, 11, 31, 23, 59, 59, 999),
      Date.UTC(2024, 1, 29, 23, 59, 59, 999),
      Date.UTC(2024, 2, 1),
      Date.UTC(2026, 11, 31, 23, 59, 59, 999),
      Date.UTC(2027, 0, 1),
      Date.UTC(1, 0, 1),
      Date.UTC(9999, 11, 31, 23, 59, 59, 999),
      -62_135_596_800_001, // 0000-12-31: the six-digit form
      Date.UTC(10_000, 0, 1),
    ];
    // A pseudo-random walk over a century, with the same day written more than once (the cache).
    let ms = Date.UTC(1990, 0, 1);
    for (let i = 0; i < 20_000; i++) {
      ms += ((i * 7_919_993) % 86_400_000) * (i % 3 === 0 ? 40 : 1) + (i % 1000);
      points.push(ms, ms - 1);
    }
    for (const point of points) expect(toIso(point), String(point)).toBe(new Date(point).toISOString());
  });

  it("throws like Date#toISOString for an invalid time, and keeps null for null", () => {
    expect(() => toIso(Number.NaN)).toThrow(RangeError);
    expect(() => toIso(8.64e15 + 1)).toThrow(RangeError);
    expect(toIso(1.5)).toBe(new Date(1.5).toISOString());
    expect(toIsoOrNull(null)).toBeNull();
    expect(toIsoOrNull(undefined)).toBeNull();
    expect(toIsoOrNull(0)).toBe("1970-01-01T00:00:00.000Z");
  });
});
