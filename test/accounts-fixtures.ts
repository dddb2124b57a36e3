import type { LightMyRequestResponse } from "fastify";
import type { TestApp } from "./create-test-app.js";
import type { TestClient } from "./test-client.js";
import { enableTotp, signIn, type TestUser } from "./auth-fixtures.js";

/** Calls the operator API with the configured bearer token. */
export function adminCall(t: TestApp, method: "GET" | "POST" | "PATCH" | "PUT" | "DELETE", url: string, body?: unknown) {
  return t.app.inject({
    method,
    url: `/api/v1/admin${url}`,
    headers: { authorization: `Bearer ${t.config.adminToken}` },
    ...(body === undefined ? {} : { payload: body as Record<string, unknown> }),
  });
}

/** The JSON of a response, failing the test with the body when the status is not the expected one. */
export function expectStatus<T = Record<string, unknown>>(response: LightMyRequestResponse, status: number): T {
  if (response.statusCode !== status) {
    throw new Error(`expected ${status}, got ${response.statusCode}: ${response.body}`);
  }
  return (response.body ? response.json() : null) as T;
}

export interface TestAccount {
  id: string;
  name: string;
  adminGroupId: string;
  groups: Record<string, string>;
}

/** Creates an account (and extra groups) through the operator API. */
export async function createAccount(
  t: TestApp,
  input: { name: string; type?: "vendor" | "distributor" | "reseller"; mfaPolicy?: string; groups?: string[] },
): Promise<TestAccount> {
  const created = expectStatus<{ id: string; groups: Array<{ id: string; name: string }> }>(
    await adminCall(t, "POST", "/accounts", {
      name: input.name,
      type: input.type ?? "vendor",
      mfaPolicy: input.mfaPolicy ?? "optional",
    }),
    201,
  );
  const groups: Record<string, string> = { Administrators: created.groups[0]!.id };
  for (const name of input.groups ?? []) {
    groups[name] = expectStatus<{ id: string }>(await adminCall(t, "POST", `/accounts/${created.id}/groups`, { name }), 201).id;
  }
  return { id: created.id, name: input.name, adminGroupId: groups.Administrators!, groups };
}

/** Adds a person to an account's groups through the operator API. */
export async function addMember(t: TestApp, accountId: string, email: string, groupIds: string[]) {
  return expectStatus<{ status: string }>(await adminCall(t, "POST", `/accounts/${accountId}/members`, { email, groupIds }), 201);
}

/** A client signed in with the password only (no MFA used in the session). */
export async function signedIn(t: TestApp, user: TestUser, options: { ip?: string } = {}): Promise<TestClient> {
  const client = t.client(options);
  const res = await signIn(client, user);
  expectStatus(res, 200);
  if ((res.json() as { status: string }).status !== "authenticated") throw new Error(`sign-in did not finish: ${res.body}`);
  return client;
}

/**
 * Turns MFA on for the person and signs a client in with password and code, so the session
 * counts as MFA-verified (B1: verified in the current session).
 */
export async function signedInWithMfa(t: TestApp, user: TestUser): Promise<TestClient> {
  const totp = await enableTotp(t, user.id);
  const client = t.client();
  const first = expectStatus<{ status: string }>(await signIn(client, user), 200);
  if (first.status !== "mfa_required") throw new Error(`expected the code step, got ${first.status}`);
  expectStatus(await client.post("/api/v1/auth/login/mfa", { code: totp.codeAt(t.clock.now()) }), 200);
  return client;
}
