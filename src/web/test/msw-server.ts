import { http } from "msw";
import { HttpResponse } from "msw";
import { setupServer } from "msw/node";
import type * as z from "zod";
import { csrfResponseSchema } from "@contracts/auth";
import { errorResponse, readBody } from "./fixtures";

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

/**
 * Answers `POST path` with `answer()` for the rest of the test and returns what the page sent
 * there, oldest first: each body parsed with the contract's `schema` (a body it refuses fails the
 * test), then kept whole or as `pick` gives it.
 */
export function answerPost<Schema extends z.ZodType, Kept = z.output<Schema>>(
  path: string,
  schema: Schema,
  answer: () => Response,
  pick: (body: z.output<Schema>) => Kept = (body) => body as Kept,
): Kept[] {
  const sent: Kept[] = [];
  server.use(
    http.post(path, async ({ request }) => {
      sent.push(pick(await readBody(request, schema)));
      return answer();
    }),
  );
  return sent;
}
