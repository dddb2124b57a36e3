import type { FastifyInstance, InjectOptions, LightMyRequestResponse } from "fastify";

/** A browser-like client over `app.inject()`: keeps cookies, sends the CSRF header and its own Origin. */
export interface TestClient {
  request(options: InjectOptions & { csrf?: boolean }): Promise<LightMyRequestResponse>;
  get(url: string, headers?: Record<string, string>): Promise<LightMyRequestResponse>;
  post(url: string, body?: unknown, headers?: Record<string, string>): Promise<LightMyRequestResponse>;
  patch(url: string, body?: unknown, headers?: Record<string, string>): Promise<LightMyRequestResponse>;
  delete(url: string, body?: unknown, headers?: Record<string, string>): Promise<LightMyRequestResponse>;
  cookies: Map<string, string>;
  /** The current session cookie value, if any. */
  sessionToken(): string | undefined;
  setSessionToken(value: string): void;
}

export function createClient(
  app: FastifyInstance,
  options: { origin: string; secure: boolean; ip?: string; userAgent?: string },
): TestClient {
  const cookies = new Map<string, string>();
  const sessionName = options.secure ? "__Host-pc_session" : "pc_session";
  const csrfName = options.secure ? "__Host-pc_csrf" : "pc_csrf";

  function absorb(response: LightMyRequestResponse) {
    for (const c of response.cookies as Array<{ name: string; value: string; maxAge?: number; expires?: Date }>) {
      if (c.value === "" || c.maxAge === 0 || (c.expires && c.expires.getTime() < Date.now())) cookies.delete(c.name);
      else cookies.set(c.name, c.value);
    }
  }

  async function ensureCsrf() {
    if (cookies.has(csrfName)) return;
    absorb(await app.inject({ method: "GET", url: "/api/v1/auth/csrf", cookies: Object.fromEntries(cookies) }));
  }

  async function request(opts: InjectOptions & { csrf?: boolean }) {
    const method = String(opts.method ?? "GET").toUpperCase();
    const unsafe = !["GET", "HEAD", "OPTIONS"].includes(method);
    if (unsafe && opts.csrf !== false) await ensureCsrf();
    const headers: Record<string, string> = {
      "user-agent":
        options.userAgent ?? "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0 Safari/537.36",
      ...(unsafe && opts.csrf !== false ? { origin: options.origin, "x-csrf-token": cookies.get(csrfName) ?? "" } : {}),
      ...(opts.headers as Record<string, string> | undefined),
    };
    const { csrf: _csrf, ...rest } = opts;
    const response = await app.inject({
      ...rest,
      headers,
      cookies: { ...Object.fromEntries(cookies), ...(opts.cookies ?? {}) },
      ...(options.ip ? { remoteAddress: options.ip } : {}),
    });
    absorb(response);
    return response;
  }

  const withBody = (method: "POST" | "PATCH" | "DELETE") => (url: string, body?: unknown, headers?: Record<string, string>) =>
    request({
      method,
      url,
      ...(body === undefined ? {} : { payload: body as InjectOptions["payload"] }),
      ...(headers ? { headers } : {}),
    });

  return {
    request,
    get: (url, headers) => request({ method: "GET", url, ...(headers ? { headers } : {}) }),
    post: withBody("POST"),
    patch: withBody("PATCH"),
    delete: withBody("DELETE"),
    cookies,
    sessionToken: () => cookies.get(sessionName),
    setSessionToken: (value) => cookies.set(sessionName, value),
  };
}

/** Every item id of a paginated list, following `nextCursor` (and the number of pages read). */
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
