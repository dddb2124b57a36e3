import { StrictMode } from "react";
import { afterAll, afterEach, beforeAll } from "vitest";
import { cleanup, configure, render } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { http, HttpResponse } from "msw";
// Not "react-router/dom" (main.tsx's, which only adds flushSync): under Vitest its CommonJS build
// require()s react-router's ESM build (Node's "module-sync" condition) while our modules get the
// CommonJS one, and two copies of the router's contexts break every hook.
import { RouterProvider } from "react-router";
import type { QueryClient } from "@tanstack/react-query";
import { userSchema } from "@contracts/me";
import type { UserDto } from "@contracts/me";
import { AppProvider } from "../app/provider";
import { createAppRouter } from "../app/router";
import { createQueryClient } from "../lib/query-client";
import { server } from "./msw-server";
import "./setup-dom";

/*
 * Web feature tests render whole routes (style guide §8.4): the app's real routes, router
 * and QueryClient, with the API answered by MSW. Importing this module sets up the mock API
 * for the test file. Each test file must run in jsdom: its first line is
 *   // @vitest-environment jsdom
 * (the server suites stay in Node, so they don't pay for jsdom).
 */

if (typeof document === "undefined") {
  throw new Error('Web tests run in jsdom: start the test file with the line "// @vitest-environment jsdom".');
}

// findBy*/waitFor give up after 1 s by default; a lazy route's first import plus a few mock
// round trips can take longer on a busy 2-core CI machine.
configure({ asyncUtilTimeout: 5_000 });

type AppRouter = ReturnType<typeof createAppRouter>;

const mounted = new Set<{ router: AppRouter; queryClient: QueryClient }>();

beforeAll(() => server.listen({ onUnhandledRequest: "error" }));

afterEach(() => {
  cleanup();
  for (const { router, queryClient } of mounted) {
    router.dispose();
    queryClient.clear();
  }
  mounted.clear();
  server.resetHandlers();
  window.history.replaceState(null, "", "/");
  document.title = "";
});

afterAll(() => server.close());

/** Makes `GET /api/v1/me` answer `user` (a visitor with a full session) for this test. */
export function signInAs(user: UserDto): void {
  const body = userSchema.parse(user);
  server.use(http.get("/api/v1/me", () => HttpResponse.json(body)));
}

/** Options of {@link renderRoute}. */
export interface RenderRouteOptions {
  /** Render as this signed-in person (`GET /me` answers 200); default: signed out (401). */
  signedInAs?: UserDto;
}

/**
 * Renders the app at `path` (e.g. `/login?next=%2Fprofile%2Fsessions`) the way main.tsx does:
 * StrictMode, the app provider with a fresh QueryClient, and a browser router over the app's
 * routes, so `window.location` follows navigation. Returns Testing Library's queries plus
 * `user` (user-event), the router, the QueryClient and `currentPath()` (path + query).
 */
export function renderRoute(path: string, options: RenderRouteOptions = {}) {
  if (options.signedInAs) signInAs(options.signedInAs);
  window.history.replaceState(null, "", path);
  const router = createAppRouter();
  const queryClient = createQueryClient();
  // The app's retry policy, without its back-off delays.
  const defaults = queryClient.getDefaultOptions();
  queryClient.setDefaultOptions({ ...defaults, queries: { ...defaults.queries, retryDelay: 0 } });
  mounted.add({ router, queryClient });

  const user = userEvent.setup();
  const view = render(
    <StrictMode>
      <AppProvider queryClient={queryClient}>
        <RouterProvider router={router} />
      </AppProvider>
    </StrictMode>,
  );
  return {
    ...view,
    user,
    router,
    queryClient,
    /** Where the app is now: `pathname` + `search`. */
    currentPath: () => `${window.location.pathname}${window.location.search}`,
  };
}
