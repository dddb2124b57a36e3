import { afterAll, afterEach, beforeAll, beforeEach } from "vitest";
import { createFakeClock } from "../src/server/lib/clock.js";
import { createTestApp, type OwnedTestApp, type TestApp } from "./create-test-app.js";

/** Configuration variables for the app, as `createTestApp` takes them. */
type TestEnv = Record<string, string>;

/** How `useTestApp` makes its app. */
export interface UseTestAppOptions {
  /**
   * `"test"` (the default): a fresh app and database for every test (`beforeEach`/`afterEach`).
   * `"suite"`: one app shared by the tests of the enclosing `describe`, or of the file when
   * called at the top (`beforeAll`/`afterAll`); its tests then see each other's data.
   */
  scope?: "test" | "suite";
  /** Where the fake clock starts (ms since the epoch); by default the real time the app is made. */
  startAt?: number;
  /** The folder served as the web app, made afresh for each app. */
  webRoot?: () => string;
}

/**
 * Registers the hooks that give the enclosing suite a whole app (createTestApp) and close it
 * afterwards, and returns a handle to that app: `const t = useTestApp();` at the top of a file
 * or `describe`, then `t.app`, `t.client()`, `t.clock`, … inside its tests and hooks.
 *
 * The handle stays the same object while the app behind it changes (one per test unless
 * `options.scope` says otherwise); reading it where no app exists (at collection time, in
 * another suite) throws. Hooks registered after this call run after the app is made, and their
 * `after*` counterparts before it is closed (vitest runs `after*` hooks in reverse). `env`
 * overrides configuration variables; a function is called for each app.
 */
export function useTestApp(env: TestEnv | (() => TestEnv) = {}, options: UseTestAppOptions = {}): TestApp {
  let current: OwnedTestApp | undefined;

  const open = async () => {
    current = await createTestApp(typeof env === "function" ? env() : env, {
      ...(options.startAt === undefined ? {} : { clock: createFakeClock(options.startAt) }),
      ...(options.webRoot ? { webRoot: options.webRoot() } : {}),
    });
  };
  const close = async () => {
    const closing = current;
    current = undefined;
    await closing?.close();
  };
  if (options.scope === "suite") {
    beforeAll(open);
    afterAll(close);
  } else {
    beforeEach(open);
    afterEach(close);
  }

  const live = (): OwnedTestApp => {
    if (!current) {
      throw new Error(
        "useTestApp(): no app here; it exists only inside the tests and hooks of the suite that called useTestApp()",
      );
    }
    return current;
  };
  return Object.freeze({
    get app() {
      return live().app;
    },
    get config() {
      return live().config;
    },
    get database() {
      return live().database;
    },
    get clock() {
      return live().clock;
    },
    get logs() {
      return live().logs;
    },
    client: (clientOptions?: Parameters<TestApp["client"]>[0]) => live().client(clientOptions),
    mails: () => live().mails(),
  });
}
