import type { LightMyRequestResponse } from "fastify";
import { myAccountsResponseSchema } from "../src/contracts/accounts.js";
import type { TestApp } from "./create-test-app.js";
import type { TestClient } from "./test-client.js";

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

/** `GET /me/accounts` (with `query`) for the client's person: 200, parsed with the contract's schema. */
export async function listAccounts(client: TestClient, query = "") {
  return myAccountsResponseSchema.parse(expectStatus(await client.get(`/api/v1/me/accounts${query}`), 200));
}
