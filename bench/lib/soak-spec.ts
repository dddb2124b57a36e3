/** What the soak parent hands its load process, and what comes back (IPC messages). */
export interface SoakSpec {
  origin: string;
  seconds: number;
  /** Virtual people acting at once, each over its own keep-alive connection. */
  connections: number;
  people: Array<{ email: string; password: string }>;
  /** Pause (ms, ±50 %) a person takes between two reads or updates; 0 sends the next one at once. */
  thinkMs: number;
}

/** Per action: how many were done, how many failed, latency samples (ms). */
export interface ActionStats {
  count: number;
  failed: number;
  latencies: number[];
}

export interface SoakProgress {
  seconds: number;
  requests: number;
  errors: number;
  serverErrors: number;
  /** 429 answers with Retry-After (the password hasher busy), each retried once after the wait. */
  busy: number;
}

export interface SoakResult extends SoakProgress {
  actions: Record<string, ActionStats>;
  /** The first few unexpected answers, for the report. */
  samples: string[];
  statuses: Record<string, number>;
}

export type SoakChildMessage =
  { type: "progress"; progress: SoakProgress } | { type: "done"; result: SoakResult } | { type: "failed"; message: string };
