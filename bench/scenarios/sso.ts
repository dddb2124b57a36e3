import { createHash, randomBytes } from "node:crypto";
import type { ProductServer } from "../lib/product-server.js";
import type { LoadSpec } from "../lib/load-spec.js";
import { cpuSeconds, cpuSecondsOf, memoryMiB } from "../lib/proc.js";
import { percentile } from "../lib/stats.js";
import type { Measured } from "../lib/load.js";

/*
 * Single sign-on through the real server, as a relying party drives it: a confidential client
 * registered through the operator API, people already signed in to Profile Center (their session
 * cookies), the authorization code flow with PKCE over plain HTTP (redirects followed by hand,
 * cookies kept per person like a browser), tokens exchanged at the token endpoint.
 */

/** Where the client says it wants the code; never followed (the flow reads the code off the redirect). */
const REDIRECT_URI = "http://127.0.0.1:9/callback";
/** Redirects a flow may take on our origin before it reaches the client (interaction pages, resume). */
const MAX_HOPS = 10;

export interface SsoFixture {
  clientId: string;
  basicAuth: string;
  endpoints: { authorization: string; token: string; userinfo: string; introspection: string };
}

export type SsoSetUp = { status: "ok"; fixture: SsoFixture } | { status: "n/a" | "error"; note: string };

/** Discovery and a registered client; "n/a" where the server has no single sign-on. */
export async function setUpSso(server: ProductServer): Promise<SsoSetUp> {
  const discovery = await fetch(`${server.origin}/.well-known/openid-configuration`);
  // Without single sign-on the path is the web app's (its HTML) or nothing.
  const json = discovery.headers.get("content-type")?.includes("json") ?? false;
  if (discovery.status === 404 || (discovery.ok && !json)) return { status: "n/a", note: "n/a (not implemented yet)" };
  if (!discovery.ok) return { status: "error", note: `discovery answered HTTP ${discovery.status}` };
  const metadata = (await discovery.json()) as Record<string, string>;
  const registered = await registerClient(server, "Bench portal");
  if (typeof registered === "string") return { status: "error", note: registered };
  const { clientId, clientSecret } = registered;
  // Local paths: the bench connects to the server's own origin, whatever the metadata's host says.
  const local = (url: string | undefined) => (url ? new URL(url).pathname : "");
  return {
    status: "ok",
    fixture: {
      clientId,
      basicAuth: `Basic ${Buffer.from(`${encodeURIComponent(clientId)}:${encodeURIComponent(clientSecret)}`).toString("base64")}`,
      endpoints: {
        authorization: local(metadata.authorization_endpoint),
        token: local(metadata.token_endpoint),
        userinfo: local(metadata.userinfo_endpoint),
        introspection: local(metadata.introspection_endpoint),
      },
    },
  };
}

/** A confidential client with the bench's redirect URI, through the operator API; a message when refused. */
async function registerClient(server: ProductServer, name: string): Promise<{ clientId: string; clientSecret: string } | string> {
  const created = await fetch(`${server.origin}/api/v1/admin/clients`, {
    method: "POST",
    headers: { authorization: `Bearer ${server.adminToken}`, "content-type": "application/json" },
    body: JSON.stringify({ name, redirectUris: [REDIRECT_URI] }),
  });
  if (created.status !== 201) return `client registration answered HTTP ${created.status}`;
  return (await created.json()) as { clientId: string; clientSecret: string };
}

/** A person in a browser: their Profile Center session cookie and whatever cookies the provider sets. */
class CookieJar {
  private readonly cookies = new Map<string, string>();
  constructor(sessionToken: string) {
    this.cookies.set("pc_session", sessionToken);
  }
  header(): string {
    return [...this.cookies].map(([k, v]) => `${k}=${v}`).join("; ");
  }
  take(setCookies: string[]): void {
    for (const line of setCookies) {
      const [pair = ""] = line.split(";");
      const eq = pair.indexOf("=");
      if (eq <= 0) continue;
      const name = pair.slice(0, eq).trim();
      const value = pair.slice(eq + 1).trim();
      if (value === "" || /max-age=0|expires=thu, 01 jan 1970/i.test(line)) this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
  }
}

/** One browser-side authorization: follows our redirects until the client's; the code and its verifier. */
async function authorize(
  server: ProductServer,
  fixture: SsoFixture,
  jar: CookieJar,
  clientId = fixture.clientId,
): Promise<{ code: string; verifier: string }> {
  const verifier = randomBytes(32).toString("base64url");
  const params = new URLSearchParams({
    client_id: clientId,
    response_type: "code",
    redirect_uri: REDIRECT_URI,
    scope: "openid profile email",
    code_challenge: createHash("sha256").update(verifier).digest("base64url"),
    code_challenge_method: "S256",
    state: randomBytes(8).toString("base64url"),
  });
  let url = new URL(`${fixture.endpoints.authorization}?${params}`, server.origin);
  for (let hop = 0; hop < MAX_HOPS; hop++) {
    const response = await fetch(url, { redirect: "manual", headers: { cookie: jar.header() } });
    jar.take(response.headers.getSetCookie());
    await response.arrayBuffer();
    const location = response.headers.get("location");
    if (!location || response.status < 300 || response.status >= 400) {
      throw new Error(`authorization stopped at ${url.pathname} with HTTP ${response.status}`);
    }
    const next = new URL(location, url);
    if (`${next.origin}${next.pathname}` === REDIRECT_URI) {
      const code = next.searchParams.get("code");
      if (!code)
        throw new Error(`no code: ${next.searchParams.get("error") ?? "?"} ${next.searchParams.get("error_description") ?? ""}`);
      return { code, verifier };
    }
    url = new URL(`${next.pathname}${next.search}`, server.origin);
  }
  throw new Error("authorization took too many redirects");
}

function tokenBody(code: string, verifier: string): string {
  return new URLSearchParams({
    grant_type: "authorization_code",
    code,
    redirect_uri: REDIRECT_URI,
    code_verifier: verifier,
  }).toString();
}

async function redeem(
  server: ProductServer,
  fixture: SsoFixture,
  code: string,
  verifier: string,
): Promise<{ access_token: string }> {
  const response = await fetch(new URL(fixture.endpoints.token, server.origin), {
    method: "POST",
    headers: { authorization: fixture.basicAuth, "content-type": "application/x-www-form-urlencoded" },
    body: tokenBody(code, verifier),
  });
  const body = (await response.json()) as { access_token?: string; error?: string };
  if (!response.ok || !body.access_token) throw new Error(`token endpoint answered HTTP ${response.status} ${body.error ?? ""}`);
  return { access_token: body.access_token };
}

/** Runs `work` on `parallel` workers until each has done its share of `count`. */
async function inParallel(count: number, parallel: number, work: (index: number) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(parallel, count) }, async () => {
      while (next < count) await work(next++);
    }),
  );
}

/** Access tokens for `people` different people (one full flow each), for userinfo and introspection. */
export async function accessTokens(server: ProductServer, fixture: SsoFixture, sessionTokens: string[], people: number) {
  const tokens: string[] = [];
  await inParallel(Math.min(people, sessionTokens.length), 8, async (i) => {
    const { code, verifier } = await authorize(server, fixture, new CookieJar(sessionTokens[i]!));
    tokens.push((await redeem(server, fixture, code, verifier)).access_token);
  });
  return tokens;
}

/**
 * Token-endpoint bodies, each a fresh code of its own, with its client's credentials in the body
 * (`client_secret_post`). A new authorization of a session for a client replaces the one before
 * (its unredeemed code dies), and codes live a minute, so they are made fast and right before
 * use: `people` browsers signed in to the provider once each, every one authorizing each of
 * `count / people` clients once.
 */
export async function preparedCodeExchanges(
  server: ProductServer,
  fixture: SsoFixture,
  sessionTokens: string[],
  count: number,
  people = 200,
) {
  const jars = sessionTokens.slice(0, people).map((t) => new CookieJar(t));
  await inParallel(jars.length, 16, async (i) => void (await authorize(server, fixture, jars[i]!)));
  const clients: Array<{ clientId: string; clientSecret: string }> = [];
  for (let c = 0; c < Math.ceil(count / jars.length); c++) {
    const client = await registerClient(server, `Bench client ${c + 1}`);
    if (typeof client === "string") throw new Error(client);
    clients.push(client);
  }
  const bodies: string[] = [];
  await inParallel(count, 16, async (i) => {
    const client = clients[Math.floor(i / jars.length)]!;
    const { code, verifier } = await authorize(server, fixture, jars[i % jars.length]!, client.clientId);
    bodies.push(
      `${tokenBody(code, verifier)}&${new URLSearchParams({ client_id: client.clientId, client_secret: client.clientSecret })}`,
    );
  });
  return bodies;
}

export function userinfoSpec(
  fixture: SsoFixture,
  tokens: string[],
  base: Omit<LoadSpec, "method" | "path" | "rotation">,
): LoadSpec {
  return { ...base, method: "GET", path: fixture.endpoints.userinfo, rotation: { kind: "bearer", tokens } };
}

export function introspectionSpec(
  fixture: SsoFixture,
  tokens: string[],
  base: Omit<LoadSpec, "method" | "path" | "rotation">,
): LoadSpec {
  return {
    ...base,
    method: "POST",
    path: fixture.endpoints.introspection,
    headers: { authorization: fixture.basicAuth, "content-type": "application/x-www-form-urlencoded" },
    rotation: { kind: "bodies", bodies: tokens.map((token) => new URLSearchParams({ token }).toString()) },
  };
}

export function tokenSpec(fixture: SsoFixture, bodies: string[], base: Omit<LoadSpec, "method" | "path" | "rotation">): LoadSpec {
  return {
    ...base,
    method: "POST",
    path: fixture.endpoints.token,
    headers: { "content-type": "application/x-www-form-urlencoded" },
    rotation: { kind: "bodies", bodies, once: true },
    amount: bodies.length,
  };
}

/**
 * Complete code flows of people already signed in (authorize → our redirects → the client's
 * redirect → token), `parallel` at a time for `seconds` after a warm-up: flows per second, the
 * latency of a whole flow, and the server's CPU per flow. Driven from this (the bench) process,
 * never the server's.
 */
export async function measureCodeFlows(
  server: ProductServer,
  fixture: SsoFixture,
  sessionTokens: string[],
  options: { parallel: number; seconds: number; warmupSec: number },
): Promise<Measured> {
  const jars = sessionTokens.map((t) => new CookieJar(t));
  let turn = 0;
  const flow = async () => {
    const { code, verifier } = await authorize(server, fixture, jars[turn++ % jars.length]!);
    await redeem(server, fixture, code, verifier);
  };
  const runFor = async (seconds: number, samples?: number[]) => {
    const until = performance.now() + seconds * 1000;
    let errors = 0;
    await Promise.all(
      Array.from({ length: options.parallel }, async () => {
        while (performance.now() < until) {
          const t0 = performance.now();
          try {
            await flow();
            samples?.push(performance.now() - t0);
          } catch {
            errors++;
          }
        }
      }),
    );
    return errors;
  };
  await runFor(options.warmupSec);
  const samples: number[] = [];
  const backends = await server.dbPids();
  const db0 = cpuSecondsOf(backends);
  const cpu0 = cpuSeconds(server.pid);
  const t0 = performance.now();
  const errors = await runFor(options.seconds, samples);
  const elapsedSec = (performance.now() - t0) / 1000;
  const cpu = cpuSeconds(server.pid) - cpu0;
  // The pool's backends live as long as the server: those alive at the start are those at the end.
  const db = cpuSecondsOf(backends) - db0;
  samples.sort((a, b) => a - b);
  const memory = memoryMiB(server.pid);
  return {
    rps: samples.length / elapsedSec,
    ok: samples.length,
    statuses: {},
    errors,
    timeouts: 0,
    p50: percentile(samples, 0.5),
    p90: percentile(samples, 0.9),
    p99: percentile(samples, 0.99),
    max: samples.at(-1) ?? 0,
    elapsedSec,
    connections: options.parallel,
    cpuUsPerReq: samples.length > 0 ? (cpu * 1e6) / samples.length : null,
    serverCores: cpu / elapsedSec,
    dbCpuUsPerReq: backends.length > 0 && samples.length > 0 ? (db * 1e6) / samples.length : null,
    rssMiB: memory.rss,
    peakRssMiB: memory.peak,
  };
}
