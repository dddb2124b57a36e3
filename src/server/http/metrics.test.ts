import { Registry } from "prom-client";
import { describe, expect, it } from "vitest";
import { createRequestStats, sampledMetric } from "./metrics.js";

describe("request metrics", () => {
  it("exposes counts and a cumulative latency histogram per method, route and status, in Prometheus' text format", async () => {
    const registry = new Registry();
    const stats = createRequestStats();
    for (const metric of stats.metrics) registry.registerMetric(metric);
    stats.record("GET", "/api/v1/me", 200, 0.0004);
    stats.record("GET", "/api/v1/me", 200, 0.003);
    stats.record("GET", "/api/v1/me", 200, 7);
    stats.record("GET", "/api/v1/me", 401, 0.001);
    stats.record("POST", "unmatched", 404, 0.02);
    const text = await registry.metrics();
    const lines = text.split("\n");
    expect(lines).toContain('http_requests_total{method="GET",route="/api/v1/me",status="200"} 3');
    expect(lines).toContain('http_requests_total{method="GET",route="/api/v1/me",status="401"} 1');
    expect(lines).toContain('http_requests_total{method="POST",route="unmatched",status="404"} 1');
    const me200 = (le: string) => `http_request_duration_seconds_bucket{le="${le}",method="GET",route="/api/v1/me",status="200"}`;
    // A value on a bound counts in that bucket (le: less than or equal).
    expect(lines).toContain(`${me200("0.001")} 1`);
    expect(lines).toContain(`${me200("0.0025")} 1`);
    expect(lines).toContain(`${me200("0.005")} 2`);
    expect(lines).toContain(`${me200("2.5")} 2`);
    expect(lines).toContain(`${me200("+Inf")} 3`);
    expect(lines).toContain('http_request_duration_seconds_bucket{le="0.001",method="GET",route="/api/v1/me",status="401"} 1');
    expect(lines).toContain('http_request_duration_seconds_count{method="GET",route="/api/v1/me",status="200"} 3');
    const sum = lines.find((line) =>
      line.startsWith('http_request_duration_seconds_sum{method="GET",route="/api/v1/me",status="200"}'),
    );
    expect(Number(sum?.split(" ")[1])).toBeCloseTo(7.0034, 6);
    expect(text).toContain("# TYPE http_requests_total counter");
    expect(text).toContain("# TYPE http_request_duration_seconds histogram");
  });

  it("a feature's own figure is read afresh at each scrape, as a counter or a gauge", async () => {
    const registry = new Registry();
    let failures = 0;
    registry.registerMetric(
      sampledMetric({ name: "things_failed_total", help: "Things that failed", type: "counter", read: () => failures }),
    );
    registry.registerMetric(
      sampledMetric({ name: "things_waiting", help: "Things waiting", type: "gauge", read: () => failures * 2 }),
    );
    expect((await registry.metrics()).split("\n")).toEqual(
      expect.arrayContaining([
        "# HELP things_failed_total Things that failed",
        "# TYPE things_failed_total counter",
        "things_failed_total 0",
      ]),
    );
    failures = 3;
    const lines = (await registry.metrics()).split("\n");
    expect(lines).toEqual(expect.arrayContaining(["things_failed_total 3", "# TYPE things_waiting gauge", "things_waiting 6"]));
  });
});
