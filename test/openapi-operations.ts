import type { TestApp } from "./create-test-app.js";

/** One operation of the app's OpenAPI document, with what its security says about it. */
export interface ApiOperation {
  method: string;
  /** The OpenAPI path (`/api/v1/me/sessions/{id}`). */
  path: string;
  /** A session, a CSRF token or nothing: open to anyone (the sign-in steps, email links). */
  isPublic: boolean;
  /** The operator's bearer token. */
  isAdmin: boolean;
}

/**
 * The routes an MFA-pending session may use besides the public ones: the code step. (Its policy,
 * `pending`, reads as a session requirement in the document.)
 */
export const PENDING_SESSION_ROUTES = new Set(["POST /api/v1/auth/login/mfa"]);

/** Every `/api/v1` operation of the app's OpenAPI document. */
export function apiOperations(t: TestApp): ApiOperation[] {
  type Operation = { security?: Array<Record<string, unknown>> };
  const doc = t.app.swagger() as { paths: Record<string, Record<string, Operation>> };
  const out: ApiOperation[] = [];
  for (const [path, methods] of Object.entries(doc.paths)) {
    if (!path.startsWith("/api/v1/")) continue; // service endpoints (/healthz, /readyz, /metrics) are not the person's
    for (const [method, operation] of Object.entries(methods)) {
      const security = operation.security ?? [];
      out.push({
        method: method.toUpperCase(),
        path,
        isAdmin: security.some((s) => "admin" in s),
        isPublic: !security.some((s) => "session" in s || "admin" in s),
      });
    }
  }
  return out;
}

/** The operations a session that passed only the password step must be refused (401). */
export function closedToPendingSessions(t: TestApp): ApiOperation[] {
  return apiOperations(t).filter((op) => !op.isPublic && !PENDING_SESSION_ROUTES.has(`${op.method} ${op.path}`));
}
