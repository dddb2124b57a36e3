import { http } from "msw";
import { HttpResponse } from "msw";
import { setupServer } from "msw/node";
import { csrfResponseSchema } from "@contracts/auth";
import { errorResponse } from "./fixtures";

/** The token `GET /api/v1/auth/csrf` hands out in tests; every write must echo it. */
export const TEST_CSRF_TOKEN = "test-csrf-token";

/**
 * What every test starts from: a visitor with no session. Tests add their own answers with
 * `server.use(...)`, which take precedence and are reset after each test.
 */
export const defaultHandlers = [
  http.get("/api/v1/auth/csrf", () => HttpResponse.json(csrfResponseSchema.parse({ csrfToken: TEST_CSRF_TOKEN }))),
  http.get("/api/v1/me", () => errorResponse("unauthenticated")),
  // Like the server's pending routes: any other API call answers 501 until a test says otherwise,
  // so a section built by another feature can render (showing its error state) in a test of ours.
  http.all("/api/v1/*", () => errorResponse("not_implemented")),
];

/** The mock API for web tests (Mock Service Worker, intercepting `fetch` in Node). */
export const server = setupServer(...defaultHandlers);
