import { Registry } from "prom-client";
import { describe, expect, it } from "vitest";
import { createRequestStats } from "./metrics.js";

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
});
