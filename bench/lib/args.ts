import { parseArgs } from "node:util";

/** Everything `npm run bench -- …` accepts. */
export interface BenchOptions {
  /** Run the large data set (1M users, 10M sessions) instead of the default set. */
  scale: boolean;
  /** Scenario names to run (floors always run when a ratio needs them); empty: all. */
  only: string[];
  databases: Array<"sqlite" | "postgres">;
  durationSec: number;
  warmupSec: number;
  connections: number;
  loginConnections: number;
  mfaPeople: number;
  scaleUsers: number;
  scaleSessions: number;
  /** Measure the existing dist/ even when sources are newer. */
  noBuild: boolean;
  /** Run the product server with --cpu-prof (profiles kept in a temp folder). */
  profile: boolean;
  /** Record each measured part with Linux perf and print where the server's CPU went, by layer. */
  perf: boolean;
}

const HELP = `npm run bench [-- options]

  (no option)              floors + the default scenarios on SQLite and PostgreSQL (< 5 minutes)
  --scale                  the large data set instead: 1,000,000 users, 10,000,000 sessions
  --only <a,b>             only these scenarios: floor-json, floor-pk, floor-pg, floor-argon2, me, sessions,
                           accounts, login, mfa, me-flood, userinfo, introspection, token,
                           code-flow (scale: scale-check, scale-history,
                           scale-revoke, scale-bytes)
  --db sqlite|postgres|both   (default both; PostgreSQL: BENCH_PG_URL or 127.0.0.1:5432/test)
  --duration <s>           measured seconds per scenario (default 8)
  --warmup <s>             unmeasured warm-up seconds per scenario (default 2)
  --connections <n>        connections of the API scenarios (default 50)
  --login-connections <n>  connections of the sign-in scenarios (default 16)
  --mfa-people <n>         prepared code-step sign-ins, one request each (default 10000)
  --scale-users <n>        people of --scale (default 1000000)
  --scale-sessions <n>     sessions of --scale (default 10000000)
  --no-build               measure dist/ as it is, even when older than src/
  --profile                run the server with node --cpu-prof; prints where its busy time went
                           (by function and package) and where the profiles are (flame graphs)
  --perf                   record the server with Linux perf during each measured part (kernel
                           included) and print its CPU per request by layer: the kernel by system
                           call, SQLite, better-sqlite3's row building, GC, Node.js, Fastify, ours
`;

function positive(name: string, value: string | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0) throw new Error(`--${name} must be a positive number`);
  return n;
}

/** Parses argv; prints help and exits for --help. */
export function parseBenchArgs(argv: string[]): BenchOptions {
  const { values } = parseArgs({
    args: argv,
    options: {
      scale: { type: "boolean", default: false },
      only: { type: "string" },
      db: { type: "string", default: "both" },
      duration: { type: "string" },
      warmup: { type: "string" },
      connections: { type: "string" },
      "login-connections": { type: "string" },
      "mfa-people": { type: "string" },
      "scale-users": { type: "string" },
      "scale-sessions": { type: "string" },
      "no-build": { type: "boolean", default: false },
      profile: { type: "boolean", default: false },
      perf: { type: "boolean", default: false },
      help: { type: "boolean", default: false },
    },
  });
  if (values.help) {
    console.log(HELP);
    process.exit(0);
  }
  if (!["sqlite", "postgres", "both"].includes(values.db)) throw new Error("--db must be sqlite, postgres or both");
  if (values.perf && values.scale) throw new Error("--perf records the default scenarios; it does not go with --scale");
  return {
    scale: values.scale,
    only: (values.only ?? "")
      .split(",")
      .map((s) => s.trim())
      .filter(Boolean),
    databases: values.db === "both" ? ["sqlite", "postgres"] : [values.db as "sqlite" | "postgres"],
    durationSec: positive("duration", values.duration, 8),
    warmupSec: values.warmup === "0" ? 0 : positive("warmup", values.warmup, 2),
    connections: Math.round(positive("connections", values.connections, 50)),
    loginConnections: Math.round(positive("login-connections", values["login-connections"], 16)),
    mfaPeople: Math.round(positive("mfa-people", values["mfa-people"], 10_000)),
    scaleUsers: Math.round(positive("scale-users", values["scale-users"], 1_000_000)),
    scaleSessions: Math.round(positive("scale-sessions", values["scale-sessions"], 10_000_000)),
    noBuild: values["no-build"],
    profile: values.profile,
    perf: values.perf,
  };
}
