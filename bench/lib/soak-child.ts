/*
 * The soak's load: a SEPARATE process (forked by soak.ts) in which `connections` virtual people
 * each act in a loop over their own keep-alive connection, as people use the product: reads of
 * their pages, profile updates, sign-ins, a second device signed in and revoked, MFA switched on
 * (setup, confirm) and off, re-authentication when the service asks for it. Every answer that
 * is not the one the step expects counts as an error; 5xx are counted apart.
 */
import http from "node:http";
import { Secret, TOTP } from "otpauth";
import type { ActionStats, SoakChildMessage, SoakResult, SoakSpec } from "./soak-spec.js";

const SAMPLE_LIMIT = 30;
/** People start over this long (ms), not all at once. */
const RAMP_UP_MS = 20_000;
/** Latency samples kept per action (reservoir), enough for p50/p99. */
const RESERVOIR = 20_000;

function send(message: SoakChildMessage): void {
  process.send?.(message);
}

class Counters {
  result: SoakResult = { seconds: 0, requests: 0, errors: 0, serverErrors: 0, busy: 0, actions: {}, samples: [], statuses: {} };

  record(action: string, status: number | "network", ms: number, expected: readonly number[], detail: string): boolean {
    const r = this.result;
    r.requests++;
    const key = String(status);
    r.statuses[key] = (r.statuses[key] ?? 0) + 1;
    const stats: ActionStats = (r.actions[action] ??= { count: 0, failed: 0, latencies: [] });
    stats.count++;
    if (stats.latencies.length < RESERVOIR) stats.latencies.push(ms);
    else stats.latencies[Math.floor(Math.random() * stats.count) % RESERVOIR] = ms;
    const ok = typeof status === "number" && expected.includes(status);
    if (!ok) {
      r.errors++;
      stats.failed++;
      if (typeof status === "number" && status >= 500) r.serverErrors++;
      // A few of each action's failures, so one noisy action does not hide the others.
      if (r.samples.length < SAMPLE_LIMIT && stats.failed <= 3) r.samples.push(`${action}: ${status} ${detail.slice(0, 200)}`);
    }
    return ok;
  }
}

/** One HTTP request over the shared keep-alive agent. */
function request(agent: http.Agent, url: string, method: string, headers: Record<string, string>, payload: string | undefined) {
  return new Promise<{ status: number; setCookies: string[]; retryAfter: number | undefined; text: string }>(
    (resolve, reject) => {
      const req = http.request(url, { method, headers, agent }, (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (chunk: Buffer) => chunks.push(chunk));
        res.on("end", () =>
          resolve({
            status: res.statusCode ?? 0,
            setCookies: res.headers["set-cookie"] ?? [],
            retryAfter: res.headers["retry-after"] === undefined ? undefined : Number(res.headers["retry-after"]),
            text: Buffer.concat(chunks).toString("utf8"),
          }),
        );
        res.on("error", reject);
      });
      // However the request stalls (no socket, no answer), it settles: a lost request is an error, never a hang.
      const timer = setTimeout(() => req.destroy(new Error("no answer within 30 s")), 30_000);
      req.on("close", () => clearTimeout(timer));
      req.on("error", reject);
      req.end(payload);
    },
  );
}

/** What a person keeps between browsers: their authenticator, and the last TOTP step they used (a code is accepted once). */
interface PersonState {
  totp: TOTP | undefined;
  lastStep: number;
}

/** One person's browser: a cookie jar, the CSRF header, their MFA secret when it is on. */
class Person {
  cookies = new Map<string, string>();

  constructor(
    readonly spec: SoakSpec,
    readonly email: string,
    readonly password: string,
    readonly counters: Counters,
    readonly agent: http.Agent,
    /** Outlives this browser: a person who starts over (a new Person) still has their authenticator. */
    readonly state: PersonState = { totp: undefined, lastStep: -1 },
  ) {}

  /**
   * One step. A 429 with Retry-After (the password hasher busy) is retried once after the wait,
   * as a client should; it is counted apart ("busy"), and as an error only when the retry fails too.
   */
  async call(action: string, method: string, path: string, body: unknown, expected: readonly number[]) {
    const first = await this.attempt(action, method, path, body, expected, true);
    if (first.retryAfter === undefined) return first;
    this.counters.result.busy++;
    await new Promise((r) => setTimeout(r, first.retryAfter! * 1000));
    return this.attempt(action, method, path, body, expected, false);
  }

  private async attempt(
    action: string,
    method: string,
    path: string,
    body: unknown,
    expected: readonly number[],
    mayRetry: boolean,
  ) {
    const headers: Record<string, string> = { "user-agent": "profile-center-soak/1" };
    if (method !== "GET") {
      headers["x-csrf-token"] = this.cookies.get("pc_csrf") ?? "";
      headers.origin = this.spec.origin;
    }
    if (body !== undefined) headers["content-type"] = "application/json";
    if (this.cookies.size > 0) headers.cookie = [...this.cookies].map(([k, v]) => `${k}=${v}`).join("; ");
    const started = performance.now();
    let status: number | "network" = "network";
    let text = "";
    let retryAfter: number | undefined;
    try {
      const payload = body === undefined ? undefined : JSON.stringify(body);
      if (payload !== undefined) headers["content-length"] = String(Buffer.byteLength(payload));
      const response = await request(this.agent, `${this.spec.origin}${path}`, method, headers, payload);
      status = response.status;
      if (mayRetry && status === 429 && response.retryAfter !== undefined && response.retryAfter <= 10) {
        retryAfter = response.retryAfter;
      }
      for (const line of response.setCookies) {
        const [pair] = line.split(";");
        const eq = pair!.indexOf("=");
        const name = pair!.slice(0, eq).trim();
        const value = pair!.slice(eq + 1).trim();
        if (value === "" || /max-age=0/i.test(line)) this.cookies.delete(name);
        else this.cookies.set(name, value);
      }
      text = response.text;
    } catch (error) {
      text = (error as Error).message;
    }
    if (retryAfter !== undefined) return { ok: false, status, json: undefined, retryAfter };
    const ok = this.counters.record(action, status, performance.now() - started, expected, text);
    let json: unknown;
    try {
      json = text ? JSON.parse(text) : undefined;
    } catch {
      json = undefined;
    }
    return { ok, status, json: json as Record<string, unknown> | undefined, retryAfter: undefined };
  }

  /** A fresh code when this step's code is unused, else undefined (the caller does something else). */
  code(): string | undefined {
    if (!this.state.totp) return undefined;
    const step = Math.floor(Date.now() / 30_000);
    if (step === this.state.lastStep) return undefined;
    this.state.lastStep = step;
    return this.state.totp.generate();
  }

  async csrf() {
    if (!this.cookies.has("pc_csrf")) await this.call("csrf", "GET", "/api/v1/auth/csrf", undefined, [200]);
  }

  async signIn(): Promise<boolean> {
    await this.csrf();
    const login = await this.call("sign-in", "POST", "/api/v1/auth/login", { email: this.email, password: this.password }, [200]);
    if (!login.ok) return false;
    if (login.json?.status !== "mfa_required") return true;
    const code = await this.waitForCode();
    if (!code) {
      this.counters.record("sign-in-code", "network", 0, [200], "MFA is on but this person has no authenticator");
      return false;
    }
    return (await this.call("sign-in-code", "POST", "/api/v1/auth/login/mfa", { code }, [200])).ok;
  }

  /** The next unused code (waiting for a new time step when needed); undefined without an authenticator. */
  async waitForCode(): Promise<string | undefined> {
    while (this.state.totp) {
      const code = this.code();
      if (code) return code;
      await new Promise((r) => setTimeout(r, 30_000 - (Date.now() % 30_000) + 50));
    }
    return undefined;
  }

  /** A sensitive step; when the service asks for a fresh sign-in, re-authenticate and try once more. */
  async sensitive(action: string, method: string, path: string, body: () => unknown, expected: readonly number[]) {
    const first = await this.call(action, method, path, body(), [...expected, 401]);
    const error = first.json?.error as { code?: string } | undefined;
    if (first.status !== 401) return first;
    if (error?.code !== "reauthentication_required") {
      this.counters.result.errors++;
      return first;
    }
    const code = this.state.totp ? await this.waitForCode() : undefined;
    await this.call(
      "reauthenticate",
      "POST",
      "/api/v1/auth/reauthenticate",
      { password: this.password, ...(code ? { code } : {}) },
      [204],
    );
    return this.call(action, method, path, body(), expected);
  }

  async read() {
    const pages = [
      "/api/v1/me",
      "/api/v1/me/sessions",
      "/api/v1/me/accounts",
      "/api/v1/me/events",
      "/api/v1/me/mfa",
      "/api/v1/me/sessions/current",
    ];
    const page = pages[Math.floor(Math.random() * pages.length)]!;
    await this.call(`read ${page.replace("/api/v1", "")}`, "GET", page, undefined, [200]);
  }

  async update() {
    const names = ["Ada", "Grace", "Hedy", "Radia", "Barbara", "Frances"];
    await this.call(
      "update profile",
      "PATCH",
      "/api/v1/me",
      { firstName: names[Math.floor(Math.random() * names.length)] },
      [200],
    );
  }

  /** Signs in on a second device, then revokes that session from this one. */
  async revokeOtherDevice() {
    if (this.state.totp) return this.read(); // a second device would need a second code in this step
    const other = new Person(this.spec, this.email, this.password, this.counters, this.agent);
    if (!(await other.signIn())) return;
    const current = await other.call("read /me/sessions/current", "GET", "/api/v1/me/sessions/current", undefined, [200]);
    const id = current.json?.id;
    if (typeof id !== "string") return;
    await this.call("revoke a session", "DELETE", `/api/v1/me/sessions/${encodeURIComponent(id)}`, undefined, [204]);
  }

  /** MFA on (setup + confirm) when off; off when on. Each step needs a code of its own time step. */
  async mfaStep() {
    if (!this.state.totp) {
      const setup = await this.sensitive("mfa setup", "POST", "/api/v1/me/mfa/totp/setup", () => undefined, [200]);
      const secret = setup.json?.secret;
      if (!setup.ok || typeof secret !== "string") return;
      const totp = new TOTP({ secret: Secret.fromBase32(secret), algorithm: "SHA1", digits: 6, period: 30 });
      this.state.totp = totp;
      this.state.lastStep = -1;
      const code = this.code()!;
      const confirm = await this.call("mfa confirm", "POST", "/api/v1/me/mfa/totp/confirm", { code }, [200]);
      if (!confirm.ok) this.state.totp = undefined;
      return;
    }
    const code = this.code();
    if (!code) return this.read();
    const off = await this.sensitive("mfa disable", "DELETE", "/api/v1/me/mfa/totp", () => ({ code }), [204]);
    if (off.ok) this.state.totp = undefined;
  }

  /**
   * Reads and updates back to back; the steps that hash a password or need a new TOTP step come
   * at a person's pace (about once a minute each), as people sign in, not as a flood would.
   */
  async run(until: number) {
    if (!(await this.signIn())) return;
    const jitter = () => 0.5 + Math.random();
    // The first of each comes anywhere in its interval, so a short soak sees every kind of step too.
    let nextSignIn = Date.now() + SIGN_IN_EVERY_MS * Math.random();
    let nextRevoke = Date.now() + REVOKE_EVERY_MS * Math.random();
    let nextMfa = Date.now() + MFA_EVERY_MS * Math.random();
    while (Date.now() < until) {
      const now = Date.now();
      if (now >= nextSignIn) {
        nextSignIn = now + SIGN_IN_EVERY_MS * jitter();
        await this.call("sign-out", "POST", "/api/v1/auth/logout", undefined, [204]);
        if (!(await this.signIn())) return;
      } else if (now >= nextRevoke) {
        nextRevoke = now + REVOKE_EVERY_MS * jitter();
        await this.revokeOtherDevice();
      } else if (now >= nextMfa) {
        nextMfa = now + MFA_EVERY_MS * jitter();
        await this.mfaStep();
      } else if (Math.random() < 0.8) await this.read();
      else await this.update();
      if (this.spec.thinkMs > 0) await new Promise((r) => setTimeout(r, this.spec.thinkMs * jitter()));
      if (!this.cookies.has("pc_session") && !(await this.signIn())) return;
    }
  }
}

/** How often a person signs out and in again, signs in on a second device to revoke it, takes an MFA step. */
const SIGN_IN_EVERY_MS = 90_000;
const REVOKE_EVERY_MS = 120_000;
const MFA_EVERY_MS = 180_000;

async function run(spec: SoakSpec): Promise<SoakResult> {
  const counters = new Counters();
  const agent = new http.Agent({ keepAlive: true, maxSockets: spec.connections });
  const started = Date.now();
  const until = started + spec.seconds * 1000;
  const progress = setInterval(() => {
    const r = counters.result;
    send({
      type: "progress",
      progress: {
        seconds: (Date.now() - started) / 1000,
        requests: r.requests,
        errors: r.errors,
        serverErrors: r.serverErrors,
        busy: r.busy,
      },
    });
  }, 10_000);
  let finished = 0;
  try {
    const people = Promise.all(
      Array.from({ length: spec.connections }, async (_, i) => {
        const person = spec.people[i % spec.people.length]!;
        // People arrive over the first seconds, not all in the same instant.
        await new Promise((r) => setTimeout(r, (i * RAMP_UP_MS) / spec.connections));
        // A person that cannot go on (sign-in refused) waits a moment and starts over, so the load stays at `connections`.
        const state: PersonState = { totp: undefined, lastStep: -1 };
        while (Date.now() < until) {
          await new Person(spec, person.email, person.password, counters, agent, state).run(until);
          await new Promise((r) => setTimeout(r, 1_000));
        }
        finished++;
      }),
    );
    // A person still busy a minute after the end (waiting on something that never came) is
    // reported, not waited for.
    await Promise.race([people, new Promise((r) => setTimeout(r, until - Date.now() + 60_000).unref())]);
    const unfinished = spec.connections - finished;
    if (unfinished > 0) {
      counters.result.errors += unfinished;
      counters.result.samples.push(`${unfinished} people still busy 60 s after the end`);
    }
  } finally {
    clearInterval(progress);
    agent.destroy();
  }
  counters.result.seconds = (Date.now() - started) / 1000;
  return counters.result;
}

process.on("message", (message: { type: "run"; spec: SoakSpec }) => {
  if (message.type !== "run") return;
  run(message.spec).then(
    (result) => send({ type: "done", result }),
    (error: unknown) =>
      send({ type: "failed", message: error instanceof Error ? (error.stack ?? error.message) : String(error) }),
  );
});
