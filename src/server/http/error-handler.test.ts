import Fastify from "fastify";
import { describe, expect, it } from "vitest";
import { HasherBusyError } from "../lib/crypto/password-hasher.js";
import { registerErrorHandling } from "./error-handler.js";

describe("the error handler", () => {
  it("H6: a password hasher with every slot busy answers 429 rate_limited with Retry-After", async () => {
    const app = Fastify();
    registerErrorHandling(app);
    app.post("/hash", async () => {
      throw new HasherBusyError();
    });
    try {
      const response = await app.inject({ method: "POST", url: "/hash" });
      expect(response.statusCode).toBe(429);
      expect(response.headers["retry-after"]).toBe("1");
      expect(response.json()).toMatchObject({ error: { code: "rate_limited", details: { retryAfterSeconds: 1 } } });
    } finally {
      await app.close();
    }
  });
});
