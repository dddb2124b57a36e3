import { createLabeledCounter, type SampledMetric } from "../../http/metrics.js";
import type { SecurityEventInput } from "./event-recorder.js";

/*
 * The figures an operator alerts on, counted from the security events as they are recorded (one
 * place sees every sign-in failure, throttle and code failure, whichever feature records it).
 */

/** Why a password sign-in failed, for the metric's `reason` label. */
function signInFailureReason(details: Record<string, unknown>): string {
  const reason = typeof details.reason === "string" ? details.reason : "invalid_credentials";
  if (reason !== "invalid_credentials") return reason;
  return details.unknownEmail !== undefined ? "unknown_email" : "wrong_password";
}

/** Counters fed by {@link SecurityMetrics.observe}; `metrics` go to /metrics. */
export function createSecurityMetrics() {
  const signInFailures = createLabeledCounter(
    "signin_failures_total",
    "Refused password sign-ins by reason (wrong_password, unknown_email, account_disabled, throttled, …)",
    ["wrong_password", "unknown_email", "account_disabled", "throttled"].map((reason) => ({ reason })),
  );
  const throttlesEngaged = createLabeledCounter(
    "throttles_engaged_total",
    "Times a throttle started making someone wait, by factor (password, code)",
    ["password", "code"].map((factor) => ({ factor })),
  );
  const throttledAttempts = createLabeledCounter(
    "throttled_attempts_total",
    "Attempts refused while throttled (429), by action",
    ["password", "code"].map((action) => ({ action })),
  );
  const mfaFailures = createLabeledCounter(
    "mfa_failures_total",
    "Refused second-factor codes by reason (wrong code, reused code, …)",
    ["invalid_code", "reused"].map((reason) => ({ reason })),
  );

  /** Counts one recorded event (called by the event recorder for every event). */
  function observe(event: SecurityEventInput): void {
    const details = event.details ?? {};
    switch (event.type) {
      case "authn_login_fail":
        signInFailures.inc({ reason: signInFailureReason(details) });
        break;
      case "excess_rate_limit_exceeded": {
        const action = typeof details.action === "string" ? details.action : "other";
        throttledAttempts.inc({ action });
        if (action === "password") signInFailures.inc({ reason: "throttled" });
        break;
      }
      case "authn_login_lock":
        throttlesEngaged.inc({ factor: details.factor === "code" ? "code" : "password" });
        break;
      case "authn_mfa_fail":
        mfaFailures.inc({ reason: typeof details.reason === "string" ? details.reason : "invalid_code" });
        break;
      case "authn_token_reuse":
        mfaFailures.inc({ reason: "reused" });
        break;
    }
  }

  const metrics: SampledMetric[] = [signInFailures.metric, throttlesEngaged.metric, throttledAttempts.metric, mfaFailures.metric];
  return { observe, metrics };
}

export type SecurityMetrics = ReturnType<typeof createSecurityMetrics>;
