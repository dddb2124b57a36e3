import net from "node:net";
import { describe, expect, it } from "vitest";
import { useTestApp } from "@test/use-test-app.js";
import { signedInUser } from "@test/factories.js";

const t = useTestApp();

/** A marker that must never come back in an answer. */
const PROBE = "probe<script>alert(1)</script>";

/** The envelope, the security headers and a request id: what every answer carries. */
function expectEnvelope(
  response: { statusCode: number; headers: Record<string, unknown>; body: string },
  status: number,
  code: string,
) {
  expect(response.statusCode).toBe(status);
  expect(response.headers["content-type"]).toMatch(/^application\/json/);
  const body = JSON.parse(response.body) as { error: { code: string; message: string } };
  expect(body.error.code).toBe(code);
  expect(typeof body.error.message).toBe("string");
  expect(response.headers["content-security-policy"]).toContain("frame-ancestors 'none'");
  expect(response.headers["x-content-type-options"]).toBe("nosniff");
  expect(response.headers["x-frame-options"]).toBe("DENY");
  expect(response.headers["referrer-policy"]).toBe("no-referrer");
  expect(String(response.headers["x-request-id"] ?? "")).toMatch(/^[A-Za-z0-9._:-]{1,128}$/);
  expect(response.body).not.toContain("probe");
  expect(response.body).not.toMatch(/%(ff|zz)/i);
}

describe("I6: answers the framework writes itself carry the envelope and the security headers", () => {
  it("a malformed % escape in the path (GET /%ff…) is 400 bad_request, the URL not reflected", async () => {
    const before = t.logs.length;
    const response = await t.app.inject({ method: "GET", url: `/%ff${PROBE}`, headers: { "x-request-id": "bad-url-1" } });
    expectEnvelope(response, 400, "bad_request");
    expect(response.headers["x-request-id"]).toBe("bad-url-1");
    const line = t.logs.slice(before).find((l) => l.includes('"msg":"request"'));
    expect(line).toContain('"reqId":"bad-url-1"');
    expect(line).not.toContain("probe");
    expectEnvelope(await t.app.inject({ method: "GET", url: `/api/v1/%ff/${PROBE}` }), 400, "bad_request");
  });

  it("a malformed % escape in a path parameter (/me/sessions/%zz) is 400, signed in or not", async () => {
    const { client } = await signedInUser(t);
    expectEnvelope(await client.delete(`/api/v1/me/sessions/%zz${PROBE}`), 400, "bad_request");
    expectEnvelope(await t.app.inject({ method: "GET", url: "/api/v1/me/sessions/%zz" }), 400, "bad_request");
  });

  it("a path parameter past the router's length is 414 uri_too_long", async () => {
    const { client } = await signedInUser(t);
    expectEnvelope(await client.delete(`/api/v1/me/sessions/${"a".repeat(500)}${PROBE}`), 414, "uri_too_long");
  });

  it("an unknown route is 404 not_found without the URL in the message", async () => {
    expectEnvelope(await t.app.inject({ method: "GET", url: `/api/v1/${PROBE}` }), 404, "not_found");
  });

  it("an unknown method is 405 with the security headers", async () => {
    expectEnvelope(await t.app.inject({ method: "PROPFIND" as "GET", url: `/api/v1/${PROBE}` }), 405, "method_not_allowed");
  });

  it("a body too large, bad JSON and a wrong content type each answer in the envelope", async () => {
    const client = t.client();
    const big = await client.request({
      method: "POST",
      url: "/api/v1/auth/password-reset",
      payload: JSON.stringify({ email: `${PROBE}${"x".repeat(70_000)}` }),
      headers: { "content-type": "application/json" },
    });
    expectEnvelope(big, 413, "payload_too_large");
    const bad = await client.request({
      method: "POST",
      url: "/api/v1/auth/password-reset",
      payload: `{"email": "${PROBE}`,
      headers: { "content-type": "application/json" },
    });
    expectEnvelope(bad, 400, "invalid_json");
    const wrongType = await client.request({
      method: "POST",
      url: "/api/v1/auth/password-reset",
      payload: `email=${PROBE}`,
      headers: { "content-type": "application/x-www-form-urlencoded" },
    });
    expectEnvelope(wrongType, 415, "unsupported_media_type");
  });
});

/** Sends raw bytes to a listening app and reads the whole answer (the server closes the connection). */
function rawExchange(
  port: number,
  request: string,
): Promise<{ statusCode: number; headers: Record<string, string>; body: string }> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(port, "127.0.0.1");
    const chunks: Buffer[] = [];
    socket.on("data", (chunk) => chunks.push(chunk));
    socket.on("error", reject);
    socket.on("close", () => {
      const text = Buffer.concat(chunks).toString("latin1");
      const [head = "", body = ""] = text.split("\r\n\r\n");
      const [statusLine = "", ...lines] = head.split("\r\n");
      const headers: Record<string, string> = {};
      for (const line of lines) {
        const at = line.indexOf(":");
        headers[line.slice(0, at).trim().toLowerCase()] = line.slice(at + 1).trim();
      }
      resolve({ statusCode: Number(statusLine.split(" ")[1]), headers, body });
    });
    socket.write(request);
  });
}

describe("I6: answers Node's HTTP parser refuses (over a real socket)", () => {
  it("a URL over the header limit is 431 headers_too_large with the envelope and headers", async () => {
    await t.app.listen({ port: 0, host: "127.0.0.1" });
    const { port } = t.app.server.address() as net.AddressInfo;
    const longUrl = await rawExchange(port, `GET /api/v1/me?x=${PROBE}${"a".repeat(20_000)} HTTP/1.1\r\nHost: x\r\n\r\n`);
    expectEnvelope(longUrl, 431, "headers_too_large");
    const longHeader = await rawExchange(
      port,
      `GET /api/v1/me HTTP/1.1\r\nHost: x\r\nX-Big: ${PROBE}${"b".repeat(20_000)}\r\n\r\n`,
    );
    expectEnvelope(longHeader, 431, "headers_too_large");
    const garbage = await rawExchange(port, `NOT HTTP AT ALL ${PROBE}\r\n\r\n`);
    expectEnvelope(garbage, 400, "bad_request");
  });
});
