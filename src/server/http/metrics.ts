import type { FastifyInstance } from "fastify";
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

/** A value that a feature keeps itself, read when /metrics is scraped. */
export interface SampledMetric {
  name: string;
  help: string;
  type: "counter" | "gauge";
  read: () => number | Promise<number>;
}

/** A {@link SampledMetric} as prom-client's registry reads it. */
export function sampledMetric({ name, help, type, read }: SampledMetric): Metric {
  const metric = {
    name,
    help,
    type,
    aggregator: "sum",
    get: async (): Promise<Exported> => ({
      name,
      help,
      type,
      aggregator: "sum",
      values: [
        {
          labels: {},
          value: await Promise.resolve()
            .then(read)
            .catch(() => Number.NaN),
        },
      ],
    }),
  };
  return metric as unknown as Metric;
}

/**
 * Prometheus metrics (own registry per app): request counts and latencies by route and status,
 * and the features' own figures (`sampled`).
 */
export function registerMetrics(app: FastifyInstance, options: { defaultMetrics: boolean; sampled?: SampledMetric[] }): Registry {
  const registry = new Registry();
  if (options.defaultMetrics) collectDefaultMetrics({ register: registry });
  const requests = createRequestStats();
  for (const metric of requests.metrics) registry.registerMetric(metric);
  for (const metric of options.sampled ?? []) registry.registerMetric(sampledMetric(metric));
  app.addHook("onResponse", (request, reply, done) => {
    requests.record(request.method, request.routeOptions.url ?? "unmatched", reply.statusCode, reply.elapsedTime / 1000);
    done();
  });
  app.get("/metrics", { config: { auth: "public" }, schema: { hide: true } }, async (_request, reply) => {
    reply.type(registry.contentType);
    return registry.metrics();
  });
  return registry;
}
