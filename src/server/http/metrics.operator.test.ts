import { spawnSync } from "node:child_process";
import type { AddressInfo } from "node:net";
import { beforeAll, describe, expect, it } from "vitest";
import { useTestApp } from "@test/use-test-app.js";
import { adminCall } from "@test/accounts-fixtures.js";
import { enableTotp, insertUser, signIn } from "@test/factories.js";
import { ensureDebianTool } from "@test/debian-tool.js";
import { createMetricsServer } from "./metrics.js";

let hasPromtool = false;
// Installing Debian's prometheus package (for promtool) can take a while on a fresh machine.
beforeAll(() => {
  hasPromtool = ensureDebianTool("promtool", "prometheus");
}, 600_000);

/** `promtool check metrics` on the text; null when promtool is missing and cannot be installed (outside CI). */
function promtoolCheck(text: string): { ok: boolean; output: string } | null {
  if (!hasPromtool) return null;
  const run = spawnSync("promtool", ["check", "metrics"], { input: text, encoding: "utf8" });
  return { ok: run.status === 0, output: `${run.stdout}${run.stderr}` };
}

/** `# TYPE` of each metric family in an exposition. */
function typesOf(text: string): Record<string, string> {
  return Object.fromEntries([...text.matchAll(/^# TYPE (\S+) (\S+)$/gm)].map((m) => [m[1]!, m[2]!]));
}

/** The value of one sample line, e.g. `signin_failures_total{reason="wrong_password"}`. */
function valueOf(text: string, series: string): number | undefined {
  const line = text.split("\n").find((l) => l.startsWith(`${series} `));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
}

describe("/metrics", () => {
  describe("with the process figures on (as in production)", () => {
    const t = useTestApp({ NODE_ENV: "development" });

    it("counts sign-in failures by reason, throttles, MFA failures, mail and the outbox, with the right types, promtool-clean", async () => {
      const user = await insertUser(t);
      const client = t.client();
      await signIn(client, { email: user.email, password: "not the right password at all" });
      await signIn(client, { email: "nobody-here@example.com", password: "whatever it is" });
      const disabled = await insertUser(t);
      await adminCall(t, "PATCH", `/users/${disabled.id}`, { status: "disabled" });
      await signIn(client, disabled);
      let throttled = false;
      for (let i = 0; i < 30 && !throttled; i++)
        throttled = (await signIn(t.client(), { email: user.email, password: `wrong password ${i}` })).statusCode === 429;
      expect(throttled).toBe(true);
      const mfaUser = await insertUser(t);
      await enableTotp(t, mfaUser.id);
      const mfaClient = t.client();
      expect((await signIn(mfaClient, mfaUser)).json().status).toBe("mfa_required");
      expect((await mfaClient.post("/api/v1/auth/login/mfa", { code: "000000" })).statusCode).toBe(401);
      await t.app.services.mailer.deliverDueMail();

      const res = await t.app.inject({ method: "GET", url: "/metrics" });
      expect(res.statusCode).toBe(200);
      const text = res.body;
      expect(typesOf(text)).toMatchObject({
        http_requests_total: "counter",
        http_request_duration_seconds: "histogram",
        signin_failures_total: "counter",
        throttles_engaged_total: "counter",
        throttled_attempts_total: "counter",
        mfa_failures_total: "counter",
        mail_delivered_total: "counter",
        mail_failed_total: "counter",
        mail_outbox_pending: "gauge",
        backchannel_logout_deliveries_total: "counter",
        session_cut_settle_failures_total: "counter",
        process_cpu_seconds_total: "counter",
        nodejs_active_handles: "gauge",
      });
      // No gauge may end in _total (Prometheus naming; promtool refuses them).
      for (const [name, type] of Object.entries(typesOf(text))) if (name.endsWith("_total")) expect(type, name).toBe("counter");
      expect(valueOf(text, 'signin_failures_total{reason="wrong_password"}')).toBeGreaterThanOrEqual(1);
      expect(valueOf(text, 'signin_failures_total{reason="unknown_email"}')).toBe(1);
      expect(valueOf(text, 'signin_failures_total{reason="account_disabled"}')).toBe(1);
      expect(valueOf(text, 'signin_failures_total{reason="throttled"}')).toBeGreaterThanOrEqual(1);
      expect(valueOf(text, 'throttles_engaged_total{factor="password"}')).toBeGreaterThanOrEqual(1);
      expect(valueOf(text, 'mfa_failures_total{reason="invalid_code"}')).toBe(1);
      expect(valueOf(text, "mail_delivered_total")).toBeGreaterThanOrEqual(1);
      expect(valueOf(text, "mail_outbox_pending")).toBe(0);

      const check = promtoolCheck(text);
      if (check) expect(check.output, check.output).toBe("");
      if (check) expect(check.ok).toBe(true);
    });
  });

  describe("METRICS_TOKEN", () => {
    const t = useTestApp({ METRICS_TOKEN: "metrics-token-0123456789" });

    it("asks for the bearer token", async () => {
      const none = await t.app.inject({ method: "GET", url: "/metrics" });
      expect(none.statusCode).toBe(401);
      expect(none.headers["www-authenticate"]).toBe('Bearer realm="metrics"');
      expect(none.json().error.code).toBe("unauthenticated");
      const wrong = await t.app.inject({
        method: "GET",
        url: "/metrics",
        headers: { authorization: "Bearer nope-nope-nope-nope" },
      });
      expect(wrong.statusCode).toBe(401);
      const right = await t.app.inject({
        method: "GET",
        url: "/metrics",
        headers: { authorization: "Bearer metrics-token-0123456789" },
      });
      expect(right.statusCode).toBe(200);
      expect(right.body).toContain("# TYPE http_requests_total counter");
    });
  });

  describe("METRICS_PORT", () => {
    const t = useTestApp({ METRICS_PORT: "9464", METRICS_TOKEN: "metrics-token-0123456789" });

    it("moves /metrics off the app's port onto a server of its own", async () => {
      expect((await t.app.inject({ method: "GET", url: "/metrics" })).statusCode).toBe(404);
      const server = createMetricsServer(t.app.metricsRegistry, t.config.metricsToken);
      await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
      try {
        const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
        expect((await fetch(`${base}/metrics`)).status).toBe(401);
        const ok = await fetch(`${base}/metrics`, { headers: { authorization: "Bearer metrics-token-0123456789" } });
        expect(ok.status).toBe(200);
        expect(await ok.text()).toContain("# TYPE signin_failures_total counter");
        expect((await fetch(`${base}/api/v1/me`)).status).toBe(404);
      } finally {
        server.close();
      }
    });
  });
});
