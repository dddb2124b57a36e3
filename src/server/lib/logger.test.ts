import { Writable } from "node:stream";
import Fastify, { type FastifyBaseLogger } from "fastify";
import { describe, expect, it } from "vitest";
import { createLogger, lazyChildLogger } from "./logger.js";

/** A parent logger that records the children it makes and the lines they log. */
function recordingParent() {
  const children: Array<{ bindings: unknown; lines: unknown[][] }> = [];
  const parent = {
    level: "info",
    child(bindings: unknown) {
      const lines: unknown[][] = [];
      children.push({ bindings, lines });
      const log = function (this: unknown, ...args: unknown[]) {
        expect(this).toBe(child); // called as a method, like pino's
        lines.push(args);
      };
      const child = { level: "info", info: log, warn: log, error: log, fatal: log, debug: log, trace: log, silent: log };
      return child;
    },
  } as unknown as FastifyBaseLogger;
  return { parent, children };
}

describe("request loggers", () => {
  it("make the child logger on the first line logged, once, with the request's bindings", () => {
    const { parent, children } = recordingParent();
    const log = lazyChildLogger(parent, { reqId: "req-7" }, {});
    expect(log.level).toBe("info");
    expect(children).toHaveLength(0); // a request that logs nothing makes no child
    log.info({ status: 200 }, "request");
    log.warn("slow");
    expect(children).toEqual([{ bindings: { reqId: "req-7" }, lines: [[{ status: 200 }, "request"], ["slow"]] }]);
  });

  it("I3: a line logged by a request carries its request id and keeps the redaction rules", async () => {
    const lines: string[] = [];
    const stream = new Writable({
      write(chunk: Buffer, _encoding, done) {
        lines.push(chunk.toString());
        done();
      },
    });
    const app = Fastify({ loggerInstance: createLogger("info", stream), childLoggerFactory: lazyChildLogger });
    app.get("/", async (request) => {
      request.log.info({ password: "hunter2-secret" }, "handled");
      return { ok: true };
    });
    try {
      expect((await app.inject("/")).statusCode).toBe(200);
    } finally {
      await app.close();
    }
    const handled = lines.map((l) => JSON.parse(l) as Record<string, unknown>).find((l) => l.msg === "handled");
    expect(handled).toMatchObject({ reqId: expect.stringMatching(/^req-/), password: "[redacted]" });
    expect(lines.join("")).not.toContain("hunter2-secret");
  });
});
