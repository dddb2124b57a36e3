/** A cookie-keeping JSON client for the real server over HTTP (CSRF header and Origin included). */
export interface ApiClient {
  call(method: string, path: string, body?: unknown): Promise<{ status: number; json: unknown }>;
  /** The same cookies, used against another node of the same cluster. */
  on(baseUrl: string): ApiClient;
}

export function createApiClient(baseUrl: string, jar: Map<string, string> = new Map()): ApiClient {
  const cookieHeader = () => [...jar].map(([k, v]) => `${k}=${v}`).join("; ");
  function absorb(res: Response) {
    for (const line of res.headers.getSetCookie()) {
      const [pair, ...attrs] = line.split(";");
      const [name, ...rest] = (pair ?? "").split("=");
      const value = rest.join("=");
      if (!name) continue;
      if (value === "" || attrs.some((a) => /max-age=0/i.test(a.trim()))) jar.delete(name.trim());
      else jar.set(name.trim(), value);
    }
  }
  async function call(method: string, path: string, body?: unknown) {
    if (method !== "GET" && !jar.has("pc_csrf"))
      absorb(await fetch(`${baseUrl}/api/v1/auth/csrf`, { headers: { cookie: cookieHeader() } }));
    const res = await fetch(`${baseUrl}/api/v1${path}`, {
      method,
      headers: {
        cookie: cookieHeader(),
        origin: baseUrl,
        "x-csrf-token": jar.get("pc_csrf") ?? "",
        ...(body === undefined ? {} : { "content-type": "application/json" }),
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    absorb(res);
    const text = await res.text();
    return { status: res.status, json: text ? (JSON.parse(text) as unknown) : null };
  }
  return { call, on: (other) => createApiClient(other, jar) };
}
