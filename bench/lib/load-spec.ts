/*
 * What the bench process asks a load child for, and what the child answers (over the fork IPC
 * channel). Plain data only: functions cannot cross a process boundary, so the child builds its
 * per-request hooks from these descriptions.
 */

/** How each request differs from the previous one (round-robin over the lists). */
export type Rotation =
  /** One request per session cookie, in turn (`pc_session=<token>`). */
  | { kind: "cookie"; tokens: string[] }
  /** Sign-in bodies `{email, password}`, one email after the other. */
  | { kind: "login"; emails: string[]; password: string }
  /**
   * The code step: each item is used ONCE (its own pending session and TOTP secret); the code is
   * computed when the request is sent, from the current time (RFC 6238, SHA-1, 6 digits, 30 s).
   */
  | { kind: "mfa"; items: Array<{ token: string; secretBase32: string }> }
  /** One request per bearer token, in turn (`Authorization: Bearer <token>`). */
  | { kind: "bearer"; tokens: string[] }
  /**
   * Ready-made bodies (a form or JSON, as `headers` say), in turn; with `once`, each is sent once
   * (a code redeemed at the token endpoint) and the run is bounded like the code step.
   */
  | { kind: "bodies"; bodies: string[]; once?: boolean }
  | { kind: "none" };

export interface LoadSpec {
  /** Origin of the server, e.g. `http://127.0.0.1:41234`. */
  origin: string;
  method: "GET" | "POST";
  path: string;
  /** Extra headers on every request (CSRF token, Origin, content type). */
  headers?: Record<string, string>;
  /** Cookies sent with every request besides the rotated session cookie (e.g. `pc_csrf=…`). */
  cookies?: Record<string, string>;
  rotation: Rotation;
  connections: number;
  /** Measured seconds (after the warm-up). */
  durationSec: number;
  /** Unmeasured seconds of the same load first (JIT, caches); 0 for none. */
  warmupSec: number;
  /** Stop after this many measured requests (the code step: one per prepared item). */
  amount?: number;
  /** Name of the session cookie (`pc_session`). */
  sessionCookie?: string;
  /**
   * `pinned` (default): the load generator runs on the last core, away from the server
   * (bench/lib/cpu-layout.ts); `free`: anywhere (sign-in, where the server hashes on every core).
   */
  placement?: "pinned" | "free";
}

/** Measured figures of one load run. Latencies are milliseconds of successful (2xx) answers. */
export interface LoadResult {
  /** 2xx answers per second of measured wall time. */
  rps: number;
  ok: number;
  /** Answers that were not 2xx, by status. */
  statuses: Record<string, number>;
  errors: number;
  timeouts: number;
  p50: number;
  p90: number;
  p99: number;
  max: number;
  elapsedSec: number;
}

/** Child → parent messages. */
export type ChildMessage = { type: "measuring" } | { type: "done"; result: LoadResult } | { type: "failed"; message: string };

/** Parent → child messages. */
export type ParentMessage = { type: "run"; spec: LoadSpec } | { type: "stop" };
