import type { UsersTable } from "../../db/schema.js";
import type { TestApp } from "../../../../test/create-test-app.js";
import type { TestClient } from "../../../../test/test-client.js";
import { insertUser, TEST_PASSWORD } from "../profile/profile.test-support.js";

export { insertUser, TEST_PASSWORD };

/** Real user agents used across the Sessions tests. */
export const UA = {
  chromeWindows:
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Safari/537.36",
  firefoxLinux: "Mozilla/5.0 (X11; Ubuntu; Linux x86_64; rv:127.0) Gecko/20100101 Firefox/127.0",
  safariIphone:
    "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1",
} as const;

/** Signs the person in through `POST /auth/login` from a new client (own cookie jar, IP, UA). */
export async function signIn(
  t: TestApp,
  user: Pick<UsersTable, "email">,
  options: { ip?: string; userAgent?: string } = {},
): Promise<TestClient> {
  const client = t.client({ ip: options.ip ?? "203.0.113.10", userAgent: options.userAgent ?? UA.chromeWindows });
  const response = await client.post("/api/v1/auth/login", { email: user.email, password: TEST_PASSWORD });
  if (response.statusCode !== 200) throw new Error(`sign-in failed: ${response.statusCode} ${response.body}`);
  return client;
}

/** A client holding a new session of the person made by the session engine (fast: no password hashing). */
export async function openSession(t: TestApp, userId: string, options: { ip?: string; userAgent?: string } = {}) {
  const { token, session } = await t.app.services.sessions.createSession(t.app.services.db, {
    userId,
    ip: options.ip ?? "203.0.113.20",
    userAgent: options.userAgent ?? UA.firefoxLinux,
  });
  const client = t.client({ ip: options.ip ?? "203.0.113.20", userAgent: options.userAgent ?? UA.firefoxLinux });
  client.setSessionToken(token);
  return { client, session, token };
}

/** A sessions page as the API answers it. */
export interface SessionsBody {
  items: Array<Record<string, unknown> & { id: string; current: boolean; endReason: string | null }>;
  nextCursor: string | null;
}

/** `GET /me/sessions` as JSON. */
export async function listSessions(client: TestClient, query = "") {
  const response = await client.get(`/api/v1/me/sessions${query}`);
  return { status: response.statusCode, body: response.json() as SessionsBody, raw: response.body };
}

/** Every item of a paginated list, following `nextCursor` (and the number of pages read). */
export async function readAllPages(client: TestClient, path: string, limit: number) {
  const ids: string[] = [];
  let cursor: string | null = null;
  let pages = 0;
  do {
    const separator = path.includes("?") ? "&" : "?";
    const url = `${path}${separator}limit=${limit}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ""}`;
    const response = await client.get(url);
    if (response.statusCode !== 200) throw new Error(`${url}: ${response.statusCode} ${response.body}`);
    const body = response.json() as { items: Array<{ id: string }>; nextCursor: string | null };
    ids.push(...body.items.map((i) => i.id));
    cursor = body.nextCursor;
    pages++;
  } while (cursor && pages < 1000);
  return { ids, pages };
}
