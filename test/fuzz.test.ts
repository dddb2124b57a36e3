import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestApp, type OwnedTestApp } from "./create-test-app.js";
import { TEST_DIALECT } from "./database.js";
import { SHORT_RUN_FAMILIES } from "./fuzz/arbitraries.js";
import { formatFuzzReport, runFuzz } from "./fuzz/runner.js";
import { FUZZ_HASHER, fuzzTargetOf } from "./fuzz/session.js";

/*
 * The short fuzz run of `npm test`: a few thousand generated requests over every operation of
 * the OpenAPI document (the long run is `npm run fuzz`). Each answer must be below 500 and
 * every 4xx in the error envelope.
 */

const RUNS = Number(process.env.FUZZ_SHORT_RUNS ?? 3_000);
const SEED = Number(process.env.FUZZ_SEED ?? 20_261_206);

describe(`fuzz, short run (${TEST_DIALECT})`, () => {
  let t: OwnedTestApp;
  beforeAll(async () => {
    t = await createTestApp({ LOG_LEVEL: "warn" }, { hasher: FUZZ_HASHER });
  });
  afterAll(async () => t?.close());

  it(`${RUNS} generated requests: no 5xx, every 4xx in the envelope`, async () => {
    const report = await runFuzz(fuzzTargetOf(t), { runs: RUNS, families: SHORT_RUN_FAMILIES, seed: SEED });
    console.log(formatFuzzReport(`fuzz ${TEST_DIALECT}, seed ${SEED}`, report));
    expect(report.requests).toBe(RUNS);
    expect(report.fewestPerOperation).toBeGreaterThan(0);
    expect(report.violations, formatFuzzReport("violations", report)).toEqual([]);
  }, 120_000);
});
