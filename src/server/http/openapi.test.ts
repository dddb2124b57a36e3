import { Validator } from "@seriousme/openapi-schema-validator";
import { describe, expect, it } from "vitest";
import { useTestApp } from "@test/use-test-app.js";
import { operationIdOf } from "./openapi.js";

const t = useTestApp({}, { scope: "suite" });

type Operation = {
  operationId?: string;
  security?: Array<Record<string, string[]>>;
  responses: Record<string, { $ref?: string; content?: Record<string, { schema: { $ref?: string } }> }>;
  requestBody?: unknown;
};

async function documentOf() {
  const res = await t.app.inject("/api/v1/openapi.json");
  expect(res.statusCode).toBe(200);
  return res.json() as {
    paths: Record<string, Record<string, Operation>>;
    components: { responses: Record<string, { content: Record<string, { schema: { $ref: string } }> }> };
  };
}

function operations(doc: Awaited<ReturnType<typeof documentOf>>) {
  return Object.entries(doc.paths).flatMap(([path, item]) =>
    Object.entries(item).map(([method, operation]) => ({ path, method, operation })),
  );
}

/** Every property named like a timestamp (`…At`, `until`) anywhere in the document, with its schema. */
function timestampProperties(node: unknown, at = "", found: Array<[string, unknown]> = []): Array<[string, unknown]> {
  if (Array.isArray(node)) node.forEach((child, i) => timestampProperties(child, `${at}/${i}`, found));
  else if (node && typeof node === "object") {
    const record = node as Record<string, unknown>;
    if (record.properties && typeof record.properties === "object") {
      for (const [name, schema] of Object.entries(record.properties as Record<string, unknown>)) {
        if (/At$/.test(name)) found.push([`${at}/${name}`, schema]);
      }
    }
    for (const [key, child] of Object.entries(record)) timestampProperties(child, `${at}/${key}`, found);
  }
  return found;
}

describe("the OpenAPI document", () => {
  it("is valid OpenAPI 3.1 for a real validator, references included (0 errors)", async () => {
    const doc = await documentOf();
    const result = await new Validator().validate(doc);
    expect(result.errors ?? [], JSON.stringify(result.errors)).toEqual([]);
    expect(result.valid).toBe(true);
  });

  it("gives every operation a unique operationId", async () => {
    const ops = operations(await documentOf());
    expect(ops.length).toBeGreaterThan(30);
    const ids = ops.map((o) => o.operation.operationId);
    expect(ids.filter((id) => !id)).toEqual([]);
    expect(new Set(ids).size).toBe(ids.length);
    expect(operationIdOf("DELETE", "/api/v1/me/sessions/:id")).toBe("deleteMeSessionsById");
    expect(operationIdOf("POST", "/api/v1/auth/password-reset/confirm")).toBe("postAuthPasswordResetConfirm");
  });

  it("gives every operation its error answers in the envelope, 503 with Retry-After on the API", async () => {
    const doc = await documentOf();
    for (const { path, method, operation } of operations(doc)) {
      const label = `${method} ${path}`;
      expect(operation.responses.default, label).toEqual({ $ref: "#/components/responses/Error" });
      expect(operation.responses["500"], label).toEqual({ $ref: "#/components/responses/InternalError" });
      if (path.startsWith("/api/"))
        expect(operation.responses["503"], label).toEqual({ $ref: "#/components/responses/Unavailable" });
      if (operation.requestBody) expect(operation.responses["400"], label).toBeDefined();
      if (path.includes("{")) expect(operation.responses["404"], label).toBeDefined();
    }
    for (const [name, response] of Object.entries(doc.components.responses)) {
      expect(response.content["application/json"]?.schema, name).toEqual({ $ref: "#/components/schemas/ErrorBody" });
    }
    expect(doc.components.responses.Unavailable).toMatchObject({ headers: { "Retry-After": expect.any(Object) } });
  });

  it("says which security each operation needs: cookie (+ CSRF on unsafe methods), bearer for the operator API", async () => {
    const ops = operations(await documentOf());
    const find = (method: string, path: string) => ops.find((o) => o.method === method && o.path === path)!.operation;
    expect(find("get", "/api/v1/me").security).toEqual([{ session: [] }]);
    expect(find("patch", "/api/v1/me").security).toEqual([{ session: [], csrf: [], csrfCookie: [] }]);
    expect(find("post", "/api/v1/auth/login").security).toEqual([{ csrf: [], csrfCookie: [] }]);
    expect(find("get", "/api/v1/auth/csrf").security).toBeUndefined();
    for (const { path, operation } of ops) {
      if (path.startsWith("/api/v1/admin/")) expect(operation.security, path).toEqual([{ admin: [] }]);
      if (operation.security?.some((s) => "session" in s)) expect(operation.responses["401"], path).toBeDefined();
    }
  });

  it("marks every timestamp as format date-time", async () => {
    const found = timestampProperties((await documentOf()).paths);
    expect(found.length).toBeGreaterThan(10);
    for (const [where, schema] of found) {
      const text = JSON.stringify(schema);
      expect(text, where).toContain('"format":"date-time"');
    }
  });
});
