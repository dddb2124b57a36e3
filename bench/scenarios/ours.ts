import { hashPasswordForSeed } from "../seed/password.js";
import { seedDefaultData, seedMfaPeople, type DefaultData } from "../seed/default-data.js";
import { openPostgresWriter, openSqliteWriter, type BulkWriter } from "../seed/writer.js";
import { describe, ProductClient, type Answer } from "../lib/http.js";
import { measure, startLoad, type Measured } from "../lib/load.js";
import type { LoadSpec } from "../lib/load-spec.js";
import type { ProductServer } from "../lib/product-server.js";
import type { HashFloor } from "../floors/floors.js";
import { placeHashingServer, placeServer } from "../lib/cpu-layout.js";
import { startPerfRecording } from "../lib/perf-record.js";
import {
  accessTokens,
  introspectionSpec,
  measureCodeFlows,
  preparedCodeExchanges,
  setUpSso,
  tokenSpec,
  userinfoSpec,
  type SsoSetUp,
} from "./sso.js";

/*
 * "Ours": the default scenarios through the real server, each only once its endpoint answers
 * (a 501 from the pending-routes stub, or a 404, reads "n/a (not implemented yet)").
 */

/** In run order: the flood right after unloaded GET /me, which it is compared with. */
export const OUR_SCENARIOS = [
  "me",
  "me-flood",
  "sessions",
  "accounts",
  "login",
  "mfa",
  "userinfo",
  "introspection",
  "token",
  "code-flow",
] as const;
export type OurScenario = (typeof OUR_SCENARIOS)[number];

export const TITLES: Record<OurScenario, string> = {
  me: "GET /api/v1/me",
  sessions: "GET /api/v1/me/sessions (10 sessions)",
  accounts: "GET /api/v1/me/accounts (5 accounts)",
  login: "POST /api/v1/auth/login (password)",
  mfa: "POST /api/v1/auth/login/mfa (code step)",
  "me-flood": "GET /api/v1/me during a sign-in flood",
  userinfo: "GET userinfo (SSO bearer token)",
  introspection: "POST introspection (SSO, valid token)",
  token: "POST token (SSO, code + PKCE exchange)",
  "code-flow": "SSO code flow, signed in (flows/s)",
};

export interface Outcome {
  scenario: OurScenario;
  status: "ok" | "n/a" | "error";
  note?: string;
  measured?: Measured;
  /** me-flood: the sign-in load running alongside. */
  flood?: Measured;
  /** The Fastify + PK floor, measured right before this scenario (its ratio's denominator). */
  floor?: Measured;
  /** login: the argon2id floor, measured right before it. */
  hashFloor?: HashFloor;
}

/** Floors measured on demand, right before the scenario compared with them (a shared machine drifts). */
export interface PairedFloors {
  primaryKey?: () => Promise<Measured>;
  hash?: () => Promise<HashFloor>;
}

/** Scenarios whose ratio is against the Fastify + PK floor. */
export const PK_FLOOR_SCENARIOS: ReadonlySet<OurScenario> = new Set([
  "me",
  "sessions",
  "accounts",
  "mfa",
  "userinfo",
  "introspection",
]);

type SsoScenario = "userinfo" | "introspection" | "token" | "code-flow";
/** Single sign-on scenarios (bench/scenarios/sso.ts): one client and its fixture per server. */
const isSso = (scenario: OurScenario): scenario is SsoScenario =>
  ["userinfo", "introspection", "token", "code-flow"].includes(scenario);
/** People with an access token of their own for userinfo and introspection. */
const SSO_TOKEN_PEOPLE = 200;
/** Codes prepared for the token scenario (a code lives a minute: made right before the run). */
const SSO_CODES = 4000;

export interface OursOptions {
  only: ReadonlySet<OurScenario>;
  connections: number;
  loginConnections: number;
  durationSec: number;
  warmupSec: number;
  mfaPeople: number;
  /** `--perf`: record each measured part with Linux perf, its files in this folder. */
  perfDir?: string | undefined;
}

const NOT_IMPLEMENTED = "n/a (not implemented yet)";

/** What a probe answer means: ok, not there yet, or broken. */
function judge(answer: Answer, expect: (body: unknown) => string | undefined): Pick<Outcome, "status" | "note"> {
  if (answer.status === 501 || answer.status === 404) return { status: "n/a", note: NOT_IMPLEMENTED };
  if (answer.status !== 200) return { status: "error", note: `probe answered ${describe(answer)}` };
  const problem = expect(answer.body);
  return problem ? { status: "error", note: problem } : { status: "ok" };
}

const itemsOf = (body: unknown) => (body as { items?: unknown[] } | null)?.items?.length;
const statusOf = (body: unknown) => (body as { status?: string } | null)?.status;

export async function openWriter(server: ProductServer): Promise<BulkWriter> {
  return server.sqliteFile ? openSqliteWriter(server.sqliteFile) : openPostgresWriter(server.databaseUrl);
}

/** Seeds the default data set and runs the chosen scenarios against one running server. */
export async function runOurs(server: ProductServer, options: OursOptions, floors: PairedFloors): Promise<Outcome[]> {
  const writer = await openWriter(server);
  const { hash, password } = await hashPasswordForSeed();
  const data = await seedDefaultData(writer, hash, password, Date.now());
  await writer.settle();
  const client = new ProductClient(server.origin);
  await client.fetchCsrf();
  const { perfDir } = options;
  const target = {
    pid: server.pid,
    dbPids: server.dbPids,
    perf: perfDir ? (label: string) => startPerfRecording(server.pid, label, perfDir) : undefined,
  };
  const base = { origin: server.origin, durationSec: options.durationSec, warmupSec: options.warmupSec };
  const specs = scenarioSpecs(client, data, options, base);
  const outcomes: Outcome[] = [];
  let mfaOffset = 0;
  let sso: SsoSetUp | undefined;
  try {
    for (const scenario of OUR_SCENARIOS) {
      if (!options.only.has(scenario)) continue;
      process.stdout.write(`  ${server.dialect} · ${scenario} … `);
      if (scenario === "login" || scenario === "me-flood") placeHashingServer(server.pid);
      else placeServer(server.pid);
      let outcome: Outcome;
      const floor: Pick<Outcome, "floor" | "hashFloor"> = {};
      const measureFloor = async () => {
        if (PK_FLOOR_SCENARIOS.has(scenario) && floors.primaryKey) floor.floor = await floors.primaryKey();
        if (scenario === "login" && floors.hash) floor.hashFloor = await floors.hash();
      };
      if (isSso(scenario)) {
        sso ??= await setUpSso(server);
        outcome = await runSso(scenario, server, sso, data, base, options, measureFloor, target);
      } else if (scenario === "mfa") {
        outcome = await runCodeStep(server, writer, client, specs.mfa, options, mfaOffset, measureFloor);
        mfaOffset += options.mfaPeople + 1;
      } else if (scenario === "me-flood") {
        outcome = await runFlood(client, data, specs, target);
      } else {
        const probe = await probeOf(scenario, client, data);
        outcome = { scenario, ...probe };
        if (probe.status === "ok") {
          await measureFloor();
          outcome.measured = await measure(specs[scenario], target);
        }
      }
      Object.assign(outcome, floor);
      console.log(outcome.measured ? `${Math.round(outcome.measured.rps)} req/s` : (outcome.note ?? outcome.status));
      outcomes.push(outcome);
    }
  } finally {
    await writer.close();
  }
  return outcomes;
}

type SimpleScenario = "me" | "sessions" | "accounts" | "login";

async function probeOf(
  scenario: SimpleScenario,
  client: ProductClient,
  data: DefaultData,
): Promise<Pick<Outcome, "status" | "note">> {
  switch (scenario) {
    case "me":
      return judge(await client.request("GET", "/api/v1/me", { token: data.meTokens[0] }), (b) =>
        (b as { id?: string }).id ? undefined : "no user in the answer",
      );
    case "sessions":
      return judge(await client.request("GET", "/api/v1/me/sessions", { token: data.listTokens[0] }), (b) =>
        itemsOf(b) === 10 ? undefined : `expected 10 sessions, got ${itemsOf(b)}`,
      );
    case "accounts":
      return judge(await client.request("GET", "/api/v1/me/accounts", { token: data.listTokens[0] }), (b) =>
        itemsOf(b) === 5 ? undefined : `expected 5 accounts, got ${itemsOf(b)}`,
      );
    case "login":
      return judge(
        await client.request("POST", "/api/v1/auth/login", { body: { email: data.loginEmails[0], password: data.password } }),
        (b) => (statusOf(b) === "authenticated" ? undefined : `sign-in answered status ${statusOf(b)}`),
      );
  }
}

function scenarioSpecs(
  client: ProductClient,
  data: DefaultData,
  options: OursOptions,
  base: Pick<LoadSpec, "origin" | "durationSec" | "warmupSec">,
): Record<Exclude<OurScenario, SsoScenario>, LoadSpec> {
  const get = (path: string, tokens: string[]): LoadSpec => ({
    ...base,
    method: "GET",
    path,
    rotation: { kind: "cookie", tokens },
    connections: options.connections,
  });
  const csrf = { headers: client.unsafeHeaders(), cookies: { pc_csrf: client.csrf ?? "" } };
  const login: LoadSpec = {
    ...base,
    ...csrf,
    method: "POST",
    path: "/api/v1/auth/login",
    rotation: { kind: "login", emails: data.loginEmails, password: data.password },
    connections: options.loginConnections,
    placement: "free",
  };
  const mfa: LoadSpec = {
    ...base,
    ...csrf,
    warmupSec: Math.min(1, base.warmupSec),
    method: "POST",
    path: "/api/v1/auth/login/mfa",
    rotation: { kind: "mfa", items: [] },
    connections: options.connections,
  };
  return {
    me: get("/api/v1/me", data.meTokens),
    sessions: get("/api/v1/me/sessions", data.listTokens),
    accounts: get("/api/v1/me/accounts", data.listTokens),
    login,
    mfa,
    "me-flood": get("/api/v1/me", data.meTokens),
  };
}

/**
 * The code step: every request is a different person with their own pending session and their
 * own secret, and sends the code of the current 30-second step, computed when it is sent. So
 * each request does the full work once (decrypt, verify, claim the step, rotate the session)
 * and none can be a replay.
 */
async function runCodeStep(
  server: ProductServer,
  writer: BulkWriter,
  client: ProductClient,
  spec: LoadSpec,
  options: OursOptions,
  offset: number,
  beforeMeasure: () => Promise<void>,
): Promise<Outcome> {
  const items = await seedMfaPeople(writer, server.encryptor, options.mfaPeople + 1, offset, Date.now());
  const probeItem = items.pop()!;
  const { TOTP, Secret } = await import("otpauth");
  const code = new TOTP({
    secret: Secret.fromBase32(probeItem.secretBase32),
    algorithm: "SHA1",
    digits: 6,
    period: 30,
  }).generate();
  const probe = judge(await client.request("POST", "/api/v1/auth/login/mfa", { token: probeItem.token, body: { code } }), (b) =>
    statusOf(b) === "authenticated" ? undefined : `code step answered status ${statusOf(b)}`,
  );
  if (probe.status !== "ok") return { scenario: "mfa", ...probe };
  await beforeMeasure();
  const measured = await measure(
    { ...spec, rotation: { kind: "mfa", items }, amount: items.length },
    { pid: server.pid, dbPids: server.dbPids },
  );
  return { scenario: "mfa", status: "ok", measured, note: `${items.length} people prepared, one request each` };
}

/** GET /me at full load while sign-ins run at the sign-in connection count alongside. */
async function runFlood(
  client: ProductClient,
  data: DefaultData,
  specs: Record<Exclude<OurScenario, SsoScenario>, LoadSpec>,
  target: Parameters<typeof measure>[1],
): Promise<Outcome> {
  const me = await probeOf("me", client, data);
  const login = await probeOf("login", client, data);
  if (me.status !== "ok") return { scenario: "me-flood", ...me };
  if (login.status !== "ok") return { scenario: "me-flood", ...login };
  const meSpec = specs["me-flood"];
  const flood = startLoad({ ...specs.login, warmupSec: 1, durationSec: meSpec.warmupSec + meSpec.durationSec + 30 });
  await flood.measuring;
  // Not recorded by --perf: the samples would mix GET /me with the sign-ins running alongside.
  const measured = await measure(meSpec, { ...target, perf: undefined });
  flood.stop();
  const floodResult = await flood.done;
  return {
    scenario: "me-flood",
    status: "ok",
    measured: { ...measured, cpuUsPerReq: null, dbCpuUsPerReq: null },
    flood: {
      ...floodResult,
      connections: specs.login.connections,
      cpuUsPerReq: null,
      serverCores: null,
      dbCpuUsPerReq: null,
      rssMiB: null,
      peakRssMiB: null,
    },
    note: `${Math.round(floodResult.rps)} sign-ins/s alongside (${specs.login.connections} connections)`,
  };
}

/**
 * One single sign-on scenario: userinfo and introspection at full load over tokens of
 * {@link SSO_TOKEN_PEOPLE} people (against the PK floor), the token endpoint redeeming fresh
 * codes once each, and whole code flows of signed-in people.
 */
async function runSso(
  scenario: SsoScenario,
  server: ProductServer,
  sso: SsoSetUp,
  data: DefaultData,
  base: Pick<LoadSpec, "origin" | "durationSec" | "warmupSec">,
  options: OursOptions,
  beforeMeasure: () => Promise<void>,
  target: Parameters<typeof measure>[1],
): Promise<Outcome> {
  if (sso.status !== "ok") return { scenario, status: sso.status, note: sso.note };
  const { fixture } = sso;
  const people = data.meTokens;
  try {
    if (scenario === "code-flow") {
      const measured = await measureCodeFlows(server, fixture, people, {
        parallel: options.loginConnections,
        seconds: base.durationSec,
        warmupSec: base.warmupSec,
      });
      return { scenario, status: "ok", measured, note: `${options.loginConnections} flows at a time; latency is a whole flow's` };
    }
    if (scenario === "token") {
      const bodies = await preparedCodeExchanges(server, fixture, people, SSO_CODES);
      const spec = tokenSpec(fixture, bodies, { ...base, warmupSec: 0, connections: options.loginConnections });
      return {
        scenario,
        status: "ok",
        measured: await measure(spec, target),
        note: `${bodies.length} codes, each redeemed once`,
      };
    }
    const tokens = await accessTokens(server, fixture, people, SSO_TOKEN_PEOPLE);
    const load = { ...base, connections: options.connections };
    const spec = scenario === "userinfo" ? userinfoSpec(fixture, tokens, load) : introspectionSpec(fixture, tokens, load);
    await beforeMeasure();
    return { scenario, status: "ok", measured: await measure(spec, target), note: `${tokens.length} people's tokens` };
  } catch (error) {
    return { scenario, status: "error", note: (error as Error).message };
  }
}
