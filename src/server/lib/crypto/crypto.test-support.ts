import { afterEach } from "vitest";

/**
 * `create`, with each thing it makes closed after the test that made it (worker threads must
 * not outlive their test). Call it in a `describe` body or at the top of a test file.
 */
export function closedAfterEach<A extends unknown[], T extends { close(): Promise<void> }>(
  create: (...args: A) => T,
): (...args: A) => T {
  const opened: T[] = [];
  afterEach(async () => {
    await Promise.all(opened.splice(0).map((thing) => thing.close()));
  });
  return (...args) => {
    const thing = create(...args);
    opened.push(thing);
    return thing;
  };
}
