import http from "node:http";
import type { FastifyInstance } from "fastify";
import { AppError, commonErrors } from "../errors.js";
import { constantTimeEqual } from "../lib/crypto/hash-token.js";
import { Registry, collectDefaultMetrics, type Metric } from "prom-client";

/** Upper bounds (seconds) of the latency histogram's buckets. */
const BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5];

type Labels = { method: string; route: string; status: string };

/** Requests of one method, route and status: how many, their total time and how many fell in each bucket. */
interface RouteStats {
  labels: Labels;
  count: number;
  sum: number;
  /** Per bucket, not cumulative; the last slot counts what exceeded every bound. */
  inBucket: number[];
}

/** A metric's values as prom-client's registry reads them from `get()`. */
interface Exported {
  name: string;
  help: string;
  type: "counter" | "gauge" | "histogram";
  aggregator: "sum";
  values: Array<{ value: number; labels: Record<string, string | number>; metricName?: string; sharedLabels?: Labels }>;
}

/*
 * Request counts and latencies by method, route and status, as Prometheus counters and a
 * histogram (`http_requests_total`, `http_request_duration_seconds`).
 *
 * They are kept here, in one record per label set found through a string key, and handed to
 * prom-client's registry as ready values when /metrics is scraped. prom-client's own `inc` and
 * `observe` validate and hash the label object twice on every request, which costs more than the
 * counting itself; scrapes are rare, requests are not.
 */
export function createRequestStats() {
  const stats = new Map<string, RouteStats>();

  function record(method: string, route: string, status: number, seconds: number): void {
    const key = `${method} ${status} ${route}`;
    let entry = stats.get(key);
    if (!entry) {
      entry = { labels: { method, route, status: String(status) }, count: 0, sum: 0, inBucket: BUCKETS.map(() => 0).concat(0) };
      stats.set(key, entry);
    }
    entry.count += 1;
    entry.sum += seconds;
    let bucket = 0;
    while (bucket < BUCKETS.length && seconds > BUCKETS[bucket]!) bucket++;
    entry.inBucket[bucket]! += 1;
  }

  const counter = {
    name: "http_requests_total",
    help: "HTTP requests by method, route and status",
    type: "counter",
    aggregator: "sum",
    get: async (): Promise<Exported> => ({
      name: counter.name,
      help: counter.help,
      type: "counter",
      aggregator: "sum",
      values: [...stats.values()].map((entry) => ({ labels: entry.labels, value: entry.count })),
    }),
  };

  const histogram = {
    name: "http_request_duration_seconds",
    help: "HTTP request latency by method, route and status",
    type: "histogram",
    aggregator: "sum",
    get: async (): Promise<Exported> => {
      const values: Exported["values"] = [];
      for (const entry of stats.values()) {
        let cumulative = 0;
        BUCKETS.forEach((bound, i) => {
          cumulative += entry.inBucket[i]!;
          values.push({
            metricName: `${histogram.name}_bucket`,
            labels: { le: bound },
            sharedLabels: entry.labels,
            value: cumulative,
          });
        });
        values.push(
          { metricName: `${histogram.name}_bucket`, labels: { le: "+Inf" }, sharedLabels: entry.labels, value: entry.count },
          { metricName: `${histogram.name}_sum`, labels: {}, sharedLabels: entry.labels, value: entry.sum },
          { metricName: `${histogram.name}_count`, labels: {}, sharedLabels: entry.labels, value: entry.count },
        );
      }
      return { name: histogram.name, help: histogram.help, type: "histogram", aggregator: "sum", values };
    },
  };

  return { record, metrics: [counter, histogram] as unknown as Metric[] };
}

/** One labelled value of a metric. */
export interface MetricSample {
  labels: Record<string, string>;
  value: number;
}

/**
 * A value that a feature keeps itself, read when /metrics is scraped: one number, or one per
 * label set (e.g. sign-in failures by reason).
 */
export interface SampledMetric {
  name: string;
  help: string;
  type: "counter" | "gauge";
  read: () => number | MetricSample[] | Promise<number | MetricSample[]>;
}

/** A {@link SampledMetric} as prom-client's registry reads it; a failed read gives NaN, never a failed scrape. */
export function sampledMetric({ name, help, type, read }: SampledMetric): Metric {
  const metric = {
    name,
    help,
    type,
    aggregator: "sum",
    get: async (): Promise<Exported> => {
      const value = await Promise.resolve()
        .then(read)
        .catch(() => Number.NaN);
      const values = typeof value === "number" ? [{ labels: {}, value }] : value;
      return { name, help, type, aggregator: "sum", values };
    },
  };
  return metric as unknown as Metric;
}

/**
 * A counter by label set, kept in a Map and handed over at scrape time (as the request stats
 * are). `known` label sets start at 0 so their series exist before the first event.
 */
export function createLabeledCounter(name: string, help: string, known: Array<Record<string, string>> = []) {
  const counts = new Map<string, MetricSample>();
  const keyOf = (labels: Record<string, string>) => JSON.stringify(Object.entries(labels).sort());
  function inc(labels: Record<string, string>, by = 1): void {
    const key = keyOf(labels);
    const entry = counts.get(key);
    if (entry) entry.value += by;
    else counts.set(key, { labels: { ...labels }, value: by });
  }
  for (const labels of known) inc(labels, 0);
  const metric: SampledMetric = { name, help, type: "counter", read: () => [...counts.values()] };
  return { inc, metric };
}

export type LabeledCounter = ReturnType<typeof createLabeledCounter>;

/**
 * prom-client's default gauges whose names end in `_total`, which Prometheus reserves for
 * counters (`promtool check metrics` refuses them); the same figures are there by type without it
 * (`nodejs_active_handles` etc.).
 */
const MISNAMED_DEFAULT_GAUGES = ["nodejs_active_handles_total", "nodejs_active_requests_total", "nodejs_active_resources_total"];

export interface MetricsOptions {
  /** prom-client's process and Node.js figures (off in tests: they sample timers). */
  defaultMetrics: boolean;
  sampled?: SampledMetric[];
  /** `METRICS_TOKEN`: /metrics answers only `Authorization: Bearer <token>`. */
  token?: string | undefined;
  /** False when `METRICS_PORT` serves /metrics on its own port instead (main.ts). */
  serveOnAppPort?: boolean;
}

/** True when the request may read /metrics: no token configured, or the right bearer token. */
export function isMetricsRequestAllowed(authorization: string | undefined, token: string | undefined): boolean {
  if (!token) return true;
  const match = /^Bearer (.+)$/.exec(authorization ?? "");
  return !!match && constantTimeEqual(match[1]!, token);
}

/**
 * Prometheus metrics (own registry per app): request counts and latencies by route and status,
 * and the features' own figures (`sampled`). Served at `/metrics` on the app's port unless
 * `METRICS_PORT` moves it (`serveOnAppPort: false`), behind `METRICS_TOKEN` when set.
 */
export function registerMetrics(app: FastifyInstance, options: MetricsOptions): Registry {
  const registry = new Registry();
  if (options.defaultMetrics) {
    collectDefaultMetrics({ register: registry });
    for (const name of MISNAMED_DEFAULT_GAUGES) registry.removeSingleMetric(name);
  }
  const requests = createRequestStats();
  for (const metric of requests.metrics) registry.registerMetric(metric);
  for (const metric of options.sampled ?? []) registry.registerMetric(sampledMetric(metric));
  app.addHook("onResponse", (request, reply, done) => {
    requests.record(request.method, request.routeOptions.url ?? "unmatched", reply.statusCode, reply.elapsedTime / 1000);
    done();
  });
  if (options.serveOnAppPort === false) {
    // Served on METRICS_PORT only: here it is an unknown path, never the web app's page.
    app.get("/metrics", { config: { auth: "public" }, schema: { hide: true } }, async () => {
      throw commonErrors.notFound("path");
    });
    return registry;
  }
  app.get("/metrics", { config: { auth: "public" }, schema: { hide: true } }, async (request, reply) => {
    if (!isMetricsRequestAllowed(request.headers.authorization, options.token)) {
      reply.header("www-authenticate", 'Bearer realm="metrics"');
      throw new AppError("unauthenticated", { message: "A valid metrics token is required (Authorization: Bearer …)." });
    }
    reply.type(registry.contentType);
    return registry.metrics();
  });
  return registry;
}

/**
 * `/metrics` alone on its own port (`METRICS_PORT`), for a scraper on a private network while
 * the app's port is public. Same token rule; everything else is 404.
 */
export function createMetricsServer(registry: Registry, token: string | undefined): http.Server {
  return http.createServer((request, response) => {
    const path = (request.url ?? "").split("?")[0];
    if (request.method !== "GET" || path !== "/metrics") {
      response
        .writeHead(404, { "content-type": "application/json" })
        .end(JSON.stringify({ error: { code: "not_found", message: "Only /metrics is served here." } }));
      return;
    }
    if (!isMetricsRequestAllowed(request.headers.authorization, token)) {
      response
        .writeHead(401, { "content-type": "application/json", "www-authenticate": 'Bearer realm="metrics"' })
        .end(JSON.stringify({ error: { code: "unauthenticated", message: "A valid metrics token is required." } }));
      return;
    }
    registry.metrics().then(
      (text) => response.writeHead(200, { "content-type": registry.contentType }).end(text),
      () =>
        response
          .writeHead(503, { "content-type": "application/json" })
          .end(JSON.stringify({ error: { code: "service_unavailable", message: "Metrics could not be read." } })),
    );
  });
}
