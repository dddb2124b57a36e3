import type { Browser } from "playwright-core";
import { afterAll, beforeAll } from "vitest";
import { launchBrowser } from "./browser.js";
import { startServer, type RunningServer } from "./server.js";

/** The server and the browser of a browser suite, as {@link useServerAndBrowser} gives them. */
export interface ServerAndBrowser {
  readonly server: RunningServer;
  readonly browser: Browser;
}

/**
 * Registers the hooks that start a real server (with `env` added to its configuration) and
 * Chromium before the enclosing suite's tests, and stop both after them; returns a handle whose
 * `server` and `browser` exist inside those tests and the hooks registered after this call
 * (`beforeAll` hooks run in order, `afterAll` ones in reverse, so the suite's own clean-up runs
 * before both stop).
 */
export function useServerAndBrowser(env: Record<string, string> = {}): ServerAndBrowser {
  let server: RunningServer | undefined;
  let browser: Browser | undefined;
  beforeAll(async () => {
    server = await startServer(env);
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
    browser = undefined;
    server = undefined;
  });
  const missing = (what: string): never => {
    throw new Error(`useServerAndBrowser(): no ${what} here; it exists only inside the suite that called it`);
  };
  return {
    get server() {
      return server ?? missing("server");
    },
    get browser() {
      return browser ?? missing("browser");
    },
  };
}
