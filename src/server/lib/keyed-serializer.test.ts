import { setImmediate as nextTurn } from "node:timers/promises";
import { describe, expect, it } from "vitest";
import { createKeyedSerializer } from "./keyed-serializer.js";

/** A promise settled from outside, to hold work open while the test looks. */
function gate() {
  let open: () => void = () => undefined;
  let fail: (error: Error) => void = () => undefined;
  const promise = new Promise<void>((resolve, reject) => {
    open = resolve;
    fail = reject;
  });
  return { promise, open, fail };
}

describe("the keyed serializer", () => {
  it("runs work of one key one at a time, in call order, after earlier work succeeded or failed", async () => {
    const serializer = createKeyedSerializer();
    const log: string[] = [];
    const first = gate();
    const second = gate();
    const a = serializer.run("k", async () => {
      log.push("a starts");
      await first.promise;
      log.push("a ends");
      return "a";
    });
    const b = serializer.run("k", async () => {
      log.push("b starts");
      await second.promise;
      throw new Error("b failed");
    });
    const c = serializer.run("k", async () => {
      log.push("c starts");
      return "c";
    });
    await nextTurn();
    expect(log).toEqual(["a starts"]);
    first.open();
    await expect(a).resolves.toBe("a");
    await nextTurn();
    expect(log).toEqual(["a starts", "a ends", "b starts"]);
    second.open();
    await expect(b).rejects.toThrow("b failed");
    await expect(c).resolves.toBe("c");
    expect(log).toEqual(["a starts", "a ends", "b starts", "c starts"]);
    expect(serializer.size()).toBe(0);
  });

  it("runs work of other keys alongside", async () => {
    const serializer = createKeyedSerializer();
    const held = gate();
    const log: string[] = [];
    const x = serializer.run("x", async () => {
      log.push("x starts");
      await held.promise;
    });
    const y = serializer.run("y", async () => {
      log.push("y starts");
    });
    await y;
    expect(log).toEqual(["x starts", "y starts"]);
    expect(serializer.size()).toBe(1);
    held.open();
    await x;
    expect(serializer.size()).toBe(0);
  });

  it("idle resolves once no key has work, counting work queued while it waits", async () => {
    const serializer = createKeyedSerializer();
    const first = gate();
    const later = gate();
    let done = 0;
    void serializer.run("a", async () => {
      await first.promise;
      void serializer.run("b", async () => {
        await later.promise;
        done++;
      });
      done++;
    });
    let idle = false;
    const waiting = serializer.idle().then(() => (idle = true));
    first.open();
    await nextTurn();
    expect(done).toBe(1);
    expect(idle).toBe(false);
    later.open();
    await waiting;
    expect(done).toBe(2);
    expect(serializer.size()).toBe(0);
  });
});
