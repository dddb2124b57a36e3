import type { TestClient } from "../../../../test/test-client.js";

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
