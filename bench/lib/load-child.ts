/*
 * The load generator: a SEPARATE process (forked by load.ts) running autocannon, so the server
 * under test never shares an event loop with its client. Receives one LoadSpec, runs the
 * warm-up, tells the parent when the measured part starts (the parent samples the server's CPU
 * then), and answers with the measured figures.
 */
import autocannon from "autocannon";
import { Secret, TOTP } from "otpauth";
import type { ChildMessage, LoadResult, LoadSpec, ParentMessage, Rotation } from "./load-spec.js";
import { percentile } from "./stats.js";

type RequestParams = { method?: string; path?: string; headers?: Record<string, string>; body?: string | Buffer };

function send(message: ChildMessage): void {
  process.send?.(message);
}

/** Builds the per-request hook that makes each request differ (cookie, body, fresh TOTP code). */
function rotator(spec: LoadSpec): { setup: (req: RequestParams) => RequestParams; used: () => number } {
  const rotation: Rotation = spec.rotation;
  let next = 0;
  const setup = rotatorOf(spec, rotation, () => next++);
  return { setup, used: () => next };
}

function rotatorOf(spec: LoadSpec, rotation: Rotation, take: () => number): (req: RequestParams) => RequestParams {
  const cookieName = spec.sessionCookie ?? "pc_session";
  const fixedCookies = Object.entries(spec.cookies ?? {}).map(([k, v]) => `${k}=${v}`);
  const cookieHeader = (token?: string) => [...(token ? [`${cookieName}=${token}`] : []), ...fixedCookies].join("; ");
  switch (rotation.kind) {
    case "cookie":
      return (req) => {
        const token = rotation.tokens[take() % rotation.tokens.length];
        req.headers = { ...req.headers, cookie: cookieHeader(token) };
        return req;
      };
    case "login":
      return (req) => {
        const email = rotation.emails[take() % rotation.emails.length];
        req.body = JSON.stringify({ email, password: rotation.password });
        if (fixedCookies.length > 0) req.headers = { ...req.headers, cookie: cookieHeader() };
        return req;
      };
    case "mfa": {
      const totps = new Map<number, TOTP>();
      return (req) => {
        // Each prepared item once; past the end the last one is reused and fails (counted, never hidden).
        const index = Math.min(take(), rotation.items.length - 1);
        const item = rotation.items[index]!;
        let totp = totps.get(index);
        if (!totp) {
          totp = new TOTP({ secret: Secret.fromBase32(item.secretBase32), algorithm: "SHA1", digits: 6, period: 30 });
          totps.set(index, totp);
        }
        req.headers = { ...req.headers, cookie: cookieHeader(item.token) };
        req.body = JSON.stringify({ code: totp.generate() });
        return req;
      };
    }
    case "bearer":
      return (req) => {
        const token = rotation.tokens[take() % rotation.tokens.length];
        req.headers = { ...req.headers, authorization: `Bearer ${token}` };
        if (fixedCookies.length > 0) req.headers.cookie = cookieHeader();
        return req;
      };
    case "bodies":
      return (req) => {
        const taken = take();
        // Single-use bodies past the end reuse the last one, which fails (counted, never hidden).
        req.body = rotation.bodies[rotation.once ? Math.min(taken, rotation.bodies.length - 1) : taken % rotation.bodies.length];
        if (fixedCookies.length > 0) req.headers = { ...req.headers, cookie: cookieHeader() };
        return req;
      };
    case "none":
      return (req) => {
        if (fixedCookies.length > 0) req.headers = { ...req.headers, cookie: cookieHeader() };
        return req;
      };
  }
}

let current: autocannon.Instance | undefined;

/** Pause between the warm-up and the measured part. */
const WARMUP_DRAIN_MS = 500;

/** One autocannon run; collects our own latency samples (sub-millisecond, 2xx only). */
function runOnce(spec: LoadSpec, seconds: number, amount: number | undefined, setup: (req: RequestParams) => RequestParams) {
  const samples: number[] = [];
  const statuses: Record<string, number> = {};
  let ok = 0;
  const started = process.hrtime.bigint();
  return new Promise<LoadResult>((resolve, reject) => {
    const instance = autocannon(
      {
        url: spec.origin,
        connections: spec.connections,
        ...(amount !== undefined ? { amount } : { duration: seconds }),
        timeout: 30,
        requests: [
          {
            method: spec.method,
            path: spec.path,
            headers: { ...spec.headers },
            setupRequest: setup as unknown as autocannon.Request["setupRequest"],
          },
        ],
      },
      (error, result) => {
        current = undefined;
        if (error) return reject(error);
        const elapsedSec = Number(process.hrtime.bigint() - started) / 1e9;
        samples.sort((a, b) => a - b);
        resolve({
          rps: ok / elapsedSec,
          ok,
          statuses,
          errors: result.errors,
          timeouts: result.timeouts,
          p50: percentile(samples, 0.5),
          p90: percentile(samples, 0.9),
          p99: percentile(samples, 0.99),
          max: samples.at(-1) ?? 0,
          elapsedSec,
        });
      },
    );
    current = instance;
    instance.on("response", (_client: unknown, statusCode: number, _bytes: number, responseTime: number) => {
      if (statusCode >= 200 && statusCode < 300) {
        ok++;
        samples.push(responseTime);
      } else statuses[statusCode] = (statuses[statusCode] ?? 0) + 1;
    });
    // The amount-bounded runs (code step) still stop at their time budget.
    if (amount !== undefined) setTimeout(() => instance.stop(), seconds * 1000).unref();
  });
}

async function run(spec: LoadSpec): Promise<void> {
  const { setup, used } = rotator(spec);
  if (spec.warmupSec > 0) {
    await runOnce(spec, spec.warmupSec, undefined, setup);
    // The warm-up's last requests are still being answered when its connections close: let the
    // server finish them, so they neither count as the measured part's work nor overlap it
    // (sign-ins in flight from both parts at once would double the address's load).
    await new Promise((resolve) => setTimeout(resolve, WARMUP_DRAIN_MS));
  }
  let amount = spec.amount;
  const singleUse =
    spec.rotation.kind === "mfa"
      ? spec.rotation.items.length
      : spec.rotation.kind === "bodies" && spec.rotation.once
        ? spec.rotation.bodies.length
        : undefined;
  if (singleUse !== undefined) {
    // Single-use items: measure only as many requests as items remain (each connection may
    // build one request ahead that is never sent).
    const left = singleUse - used() - 2 * spec.connections;
    if (left < spec.connections) throw new Error(`only ${left} prepared single-use requests left after the warm-up`);
    amount = Math.min(amount ?? left, left);
  }
  send({ type: "measuring" });
  const result = await runOnce(spec, spec.durationSec, amount, setup);
  send({ type: "done", result });
}

process.on("message", (message: ParentMessage) => {
  if (message.type === "stop") {
    current?.stop();
    return;
  }
  run(message.spec).then(
    () => process.disconnect?.(),
    (error: unknown) => {
      send({ type: "failed", message: error instanceof Error ? error.message : String(error) });
      process.disconnect?.();
    },
  );
});
