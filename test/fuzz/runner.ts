import type { FastifyInstance, InjectOptions, LightMyRequestResponse } from "fastify";
import fc from "fast-check";
import { errorBodySchema } from "../../src/contracts/errors.js";
import { encodeUrlText, requestsFor, type FamilyName, type FuzzRequest } from "./arbitraries.js";
import { operationsOf, type FuzzOperation } from "./operations.js";

/*
 * Runs generated requests against an app in-process (`app.inject`) and checks every answer:
 * no 5xx, and every 4xx in the error envelope as JSON. Signed-in requests use a small pool of
 * sessions, replaced whenever one stops working (a generated logout ends it).
 */

/** The app under test and how to sign a new person in. */
export interface FuzzTarget {
  app: FastifyInstance;
  /** A new session token for a new person. */
  newSession(): Promise<string>;
  adminToken: string;
  /** The service's own origin (sent as Origin on unsafe requests). */
  origin: string;
  secure: boolean;
}

export interface FuzzOptions {
  /** How many requests. */
  runs: number;
  families: readonly FamilyName[];
  seed: number;
  /** Requests in flight at once. */
  concurrency?: number;
  onProgress?(done: number, violations: number): void;
}

export interface Violation {
  operationId: string;
  family: FamilyName;
  identity: string;
  method: string;
  url: string;
  status: number;
  problem: string;
  body: string;
}

export interface FuzzReport {
  requests: number;
  seconds: number;
  byStatus: Record<string, number>;
  byFamily: Record<string, number>;
  operations: number;
  /** Requests per operation: the fewest any operation got. */
  fewestPerOperation: number;
  violationCount: number;
  /** The first violation of each (operation, family, status, problem). */
  violations: Violation[];
}

const CSRF = "fuzz-csrf-token-0123456789abcdef";
const IPS = ["203.0.113.10", "203.0.113.11", "198.51.100.12", "2001:db8::13"];
const CHUNK = 256;
const MAX_VIOLATIONS_KEPT = 60;

function urlOf(op: FuzzOperation, req: FuzzRequest): string {
  let path = op.path.replace(/\{(\w+)\}/g, (_, name: string) => {
    const value = req.pathParams[name] ?? "x";
    return req.rawPath ? value : encodeUrlText(value);
  });
  path += req.pathSuffix;
  const query = req.rawQuery ?? req.query.map(([k, v]) => `${encodeUrlText(k)}=${encodeUrlText(v)}`).join("&");
  return query ? `${path}?${query}` : path;
}

/** Why an answer breaks the rules, or undefined when it keeps them. */
export function problemOf(response: LightMyRequestResponse): string | undefined {
  if (response.statusCode >= 500) return `server error ${response.statusCode}`;
  if (response.statusCode < 400) return undefined;
  const type = String(response.headers["content-type"] ?? "");
  if (!type.startsWith("application/json")) return `4xx without a JSON body (${type || "no content-type"})`;
  let body: unknown;
  try {
    body = response.json();
  } catch {
    return "4xx whose body is not JSON";
  }
  if (!errorBodySchema.safeParse(body).success) return "4xx outside the error envelope";
  return undefined;
}

/** Fuzzes every operation of the app's OpenAPI document. */
export async function runFuzz(target: FuzzTarget, options: FuzzOptions): Promise<FuzzReport> {
  const documentResponse = await target.app.inject("/api/v1/openapi.json");
  const operations = operationsOf(documentResponse.json());
  if (operations.length === 0) throw new Error("the OpenAPI document lists no operation");
  const perOperation = operations.map((op) => requestsFor(op, options.families));
  const generator = fc
    .integer({ min: 0, max: operations.length - 1 })
    .chain((index) => perOperation[index]!.map((req) => ({ index, req })));

  const sessionCookie = target.secure ? "__Host-pc_session" : "pc_session";
  const csrfCookie = target.secure ? "__Host-pc_csrf" : "pc_csrf";
  const sessions = await Promise.all(IPS.map(() => target.newSession()));

  const report: FuzzReport = {
    requests: 0,
    seconds: 0,
    byStatus: {},
    byFamily: {},
    operations: operations.length,
    fewestPerOperation: 0,
    violationCount: 0,
    violations: [],
  };
  const perOperationCount = new Array<number>(operations.length).fill(0);
  const seenViolations = new Set<string>();
  const started = performance.now();

  async function send(index: number, req: FuzzRequest, slot: number): Promise<void> {
    const op = operations[index]!;
    const headers: Record<string, string> = { "user-agent": "profile-center-fuzz/1" };
    const cookies: string[] = [];
    const unsafe = !["GET", "HEAD"].includes(op.method);
    if (req.identity === "user" || req.identity === "no-csrf") cookies.push(`${sessionCookie}=${sessions[slot]}`);
    if (req.identity === "admin") headers.authorization = `Bearer ${target.adminToken}`;
    if (unsafe && (req.identity === "user" || req.identity === "anonymous")) {
      cookies.push(`${csrfCookie}=${CSRF}`);
      headers["x-csrf-token"] = CSRF;
      headers.origin = target.origin;
    }
    if (cookies.length > 0) headers.cookie = cookies.join("; ");
    const inject: InjectOptions = {
      method: op.method as InjectOptions["method"],
      url: urlOf(op, req),
      headers,
      remoteAddress: IPS[slot],
    };
    if (req.body.kind === "json") {
      inject.payload = JSON.stringify(req.body.value);
      headers["content-type"] = "application/json";
    } else if (req.body.kind === "raw") {
      inject.payload = req.body.text;
      if (req.body.contentType) headers["content-type"] = req.body.contentType;
    }
    const response = await target.app.inject(inject);
    report.requests++;
    perOperationCount[index]!++;
    report.byStatus[response.statusCode] = (report.byStatus[response.statusCode] ?? 0) + 1;
    report.byFamily[req.family] = (report.byFamily[req.family] ?? 0) + 1;
    const problem = problemOf(response);
    if (problem) {
      report.violationCount++;
      const key = `${op.operationId} ${req.family} ${response.statusCode} ${problem}`;
      if (!seenViolations.has(key) && report.violations.length < MAX_VIOLATIONS_KEPT) {
        seenViolations.add(key);
        report.violations.push({
          operationId: op.operationId,
          family: req.family,
          identity: req.identity,
          method: op.method,
          url: inject.url!.toString().slice(0, 200),
          status: response.statusCode,
          problem,
          body: response.body.slice(0, 300),
        });
      }
    }
    // A generated sign-out (or an account deleted, a session revoked) ends the slot's session.
    if (response.statusCode === 401 && (req.identity === "user" || req.identity === "no-csrf")) {
      const code = (() => {
        try {
          return (response.json() as { error?: { code?: string } }).error?.code;
        } catch {
          return undefined;
        }
      })();
      if (code === "unauthenticated") sessions[slot] = await target.newSession();
    }
  }

  const concurrency = options.concurrency ?? 8;
  for (let chunk = 0; report.requests < options.runs; chunk++) {
    const size = Math.min(CHUNK, options.runs - report.requests);
    const batch = fc.sample(generator, { numRuns: size, seed: options.seed + chunk });
    let next = 0;
    await Promise.all(
      Array.from({ length: concurrency }, async (_, worker) => {
        while (next < batch.length) {
          const { index, req } = batch[next++]!;
          await send(index, req, worker % IPS.length);
        }
      }),
    );
    options.onProgress?.(report.requests, report.violationCount);
  }
  report.seconds = (performance.now() - started) / 1000;

  report.fewestPerOperation = Math.min(...perOperationCount);
  return report;
}

/** The report as the fuzz command prints it. */
export function formatFuzzReport(title: string, report: FuzzReport): string {
  const lines = [
    `── ${title} ──`,
    `requests        ${report.requests} in ${report.seconds.toFixed(1)} s (${Math.round(report.requests / report.seconds)}/s)`,
    `operations      ${report.operations} (each got ≥ ${report.fewestPerOperation})`,
    `statuses        ${Object.entries(report.byStatus)
      .sort(([a], [b]) => Number(a) - Number(b))
      .map(([s, n]) => `${s}:${n}`)
      .join("  ")}`,
    `families        ${Object.entries(report.byFamily)
      .map(([f, n]) => `${f}:${n}`)
      .join("  ")}`,
    `5xx             ${Object.entries(report.byStatus)
      .filter(([s]) => Number(s) >= 500)
      .reduce((sum, [, n]) => sum + n, 0)}`,
    `violations      ${report.violationCount}`,
  ];
  for (const v of report.violations) {
    lines.push(`  ✘ ${v.status} ${v.method} ${v.url} [${v.operationId}, ${v.family}, ${v.identity}]: ${v.problem}`);
    lines.push(`      ${v.body.replace(/\s+/g, " ").slice(0, 200)}`);
  }
  return lines.join("\n");
}
