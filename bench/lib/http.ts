/*
 * Single requests to the product (probes, CSRF token, paging, one-off timings), over loopback
 * with the same cookies and headers a browser sends.
 */

export interface Answer {
  status: number;
  body: unknown;
  /** Wall time of the request, ms. */
  ms: number;
  setCookies: string[];
}

/** A browser-like client of one server: session cookie, CSRF cookie + header, Origin. */
export class ProductClient {
  csrf: string | undefined;

  constructor(readonly origin: string) {}

  /** Fetches the CSRF token (GET /api/v1/auth/csrf) once, like the web app does. */
  async fetchCsrf(): Promise<string> {
    const answer = await this.request("GET", "/api/v1/auth/csrf");
    const token = (answer.body as { csrfToken?: string } | null)?.csrfToken;
    if (answer.status !== 200 || !token) throw new Error(`GET /api/v1/auth/csrf answered ${answer.status}`);
    this.csrf = token;
    return token;
  }

  /** Headers of an unsafe request: CSRF header, own Origin, JSON body. */
  unsafeHeaders(): Record<string, string> {
    return { "x-csrf-token": this.csrf ?? "", origin: this.origin, "content-type": "application/json" };
  }

  async request(
    method: string,
    path: string,
    options: { token?: string; body?: unknown; headers?: Record<string, string> } = {},
  ) {
    const cookies = [options.token ? `pc_session=${options.token}` : "", this.csrf ? `pc_csrf=${this.csrf}` : ""].filter(Boolean);
    const unsafe = method !== "GET" && method !== "HEAD";
    const headers: Record<string, string> = {
      ...(cookies.length > 0 ? { cookie: cookies.join("; ") } : {}),
      ...(unsafe ? this.unsafeHeaders() : {}),
      ...options.headers,
    };
    if (unsafe && options.body === undefined) delete headers["content-type"];
    const t0 = performance.now();
    const response = await fetch(`${this.origin}${path}`, {
      method,
      headers,
      ...(options.body !== undefined ? { body: JSON.stringify(options.body) } : {}),
    });
    const text = await response.text();
    const ms = performance.now() - t0;
    let body: unknown = text;
    try {
      body = text ? JSON.parse(text) : null;
    } catch {
      // not JSON: keep the text
    }
    return { status: response.status, body, ms, setCookies: response.headers.getSetCookie() } satisfies Answer;
  }
}

/** A short description of an unexpected answer, for the report. */
export function describe(answer: Answer): string {
  const code = (answer.body as { error?: { code?: string } } | null)?.error?.code;
  return `HTTP ${answer.status}${code ? ` ${code}` : ""}`;
}
