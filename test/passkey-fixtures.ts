import { expect } from "vitest";
import type { TestApp } from "./create-test-app.js";
import { createSoftAuthenticator, type SoftAuthenticator } from "./soft-authenticator.js";
import type { TestClient } from "./test-client.js";

/** Registration options as the server answers them (the fields the soft authenticator reads). */
export interface CreationOptions {
  challenge: string;
  rp: { id: string; name: string };
  user: { id: string; name: string; displayName: string };
  authenticatorSelection?: Record<string, unknown>;
  excludeCredentials?: Array<{ id: string }>;
}

/** Request options as the server answers them. */
export interface RequestOptions {
  challenge: string;
  rpId: string;
  userVerification?: string;
  allowCredentials?: Array<{ id: string }>;
}

export async function registrationOptions(client: TestClient): Promise<CreationOptions> {
  const res = await client.post("/api/v1/me/passkeys/registration/options");
  expect(res.statusCode, res.body).toBe(200);
  return res.json() as CreationOptions;
}

export async function signInOptions(client: TestClient): Promise<RequestOptions> {
  const res = await client.post("/api/v1/auth/passkey/options");
  expect(res.statusCode, res.body).toBe(200);
  return res.json() as RequestOptions;
}

/** Adds a passkey through the API for a signed-in client (recent session); returns the authenticator and the passkey JSON. */
export async function addPasskey(
  _t: TestApp,
  client: TestClient,
  authenticator: SoftAuthenticator = createSoftAuthenticator(),
  name?: string,
) {
  const options = await registrationOptions(client);
  const { response, credential } = authenticator.create(options);
  const res = await client.post("/api/v1/me/passkeys", { response, ...(name ? { name } : {}) });
  expect(res.statusCode, res.body).toBe(201);
  return { authenticator, credential, passkey: res.json() as { id: string; name: string } };
}

/** Signs `client` in with the authenticator's first passkey: the raw answer. */
export async function signInWithPasskey(client: TestClient, authenticator: SoftAuthenticator) {
  const options = await signInOptions(client);
  return client.post("/api/v1/auth/passkey", { response: authenticator.get(options) });
}
