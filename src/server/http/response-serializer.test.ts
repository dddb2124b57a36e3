import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { isResponseSerializationError } from "fastify-type-provider-zod";
import { describe, expect, it } from "vitest";
import * as z from "zod";
import { sessionsResponseSchema, type SessionsPage } from "../../contracts/sessions.js";
import { checkedWriter, compileJsonWriter, nullableAsTypeList, responseSerializerCompiler } from "./response-serializer.js";

const route = { method: "GET", url: "/api/v1/example", httpStatus: "200" };
const card = z.object({ id: z.string(), name: z.string(), endedAt: z.string().nullable(), note: z.string().optional() });

function thrown(fn: () => unknown): Error {
  try {
    fn();
  } catch (error) {
    return error as Error;
  }
  throw new Error("expected a throw");
}

describe("response serializer", () => {
  it("C12: the compiled writer writes the contract's fields only: a token or a hash set on the answer is never sent", () => {
    const write = responseSerializerCompiler("compiled")({ ...route, schema: card });
    const json = write({
      id: "s1",
      name: "Laptop",
      endedAt: null,
      token: "raw-cookie-token",
      tokenHash: "abc",
      passwordHash: "$argon2id$",
    });
    expect(JSON.parse(json)).toEqual({ id: "s1", name: "Laptop", endedAt: null });
    expect(json).not.toMatch(/token|argon2|abc/);
  });

  it("writes the same bytes as zod's encode and JSON.stringify, in the schema's field order", () => {
    const write = compileJsonWriter(card);
    const answer = { note: 'say "hi"\n\u2028', endedAt: "2026-11-28T07:00:00.000Z", name: "Ünïcödé 💻", id: "s\\1" };
    expect(write(answer)).toBe(JSON.stringify(card.encode(answer)));
    expect(write({ id: "a", name: "b", endedAt: null })).toBe('{"id":"a","name":"b","endedAt":null}');
  });

  it("a real contract (the session list) is written as zod writes it", () => {
    const session = {
      id: "Ih2BMRvUf7ce5annP_6sEA",
      current: true,
      createdAt: "2026-11-28T06:27:11.841Z",
      lastSeenAt: "2026-11-28T07:31:51.645Z",
      expiresAt: "2026-11-28T19:27:11.841Z",
      endedAt: null,
      endReason: null,
      ip: "203.0.113.7",
      location: null,
      userAgent: "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36",
      browser: "Chrome 131",
      os: "Linux",
      deviceType: "desktop" as const,
      mfa: false,
      apps: [{ clientId: "pc-portal", name: "Portal" }],
    };
    const answer: SessionsPage = { items: [session, { ...session, id: "x", current: false }], nextCursor: null };
    expect(compileJsonWriter(sessionsResponseSchema)(answer)).toBe(JSON.stringify(sessionsResponseSchema.encode(answer)));
  });

  it("an answer missing a required field fails as a serialization error (500), in both modes", () => {
    for (const mode of ["compiled", "checked"] as const) {
      const error = thrown(() => responseSerializerCompiler(mode)({ ...route, schema: card })({ id: "s1", endedAt: null }));
      expect(isResponseSerializationError(error as never)).toBe(true);
      expect(error).toMatchObject({ statusCode: 500, method: "GET", url: "/api/v1/example" });
    }
  });

  it("checked: an answer the contract refuses fails even where the compiled writer would write it", () => {
    const strict = z.object({ id: z.string().regex(/^UR-\d{3}$/) });
    expect(responseSerializerCompiler("compiled")({ ...route, schema: strict })({ id: "nope" })).toBe('{"id":"nope"}');
    const error = thrown(() => responseSerializerCompiler("checked")({ ...route, schema: strict })({ id: "nope" }));
    expect(isResponseSerializationError(error as never)).toBe(true);
  });

  it("checked: a compiled writer that parts from the contract fails the answer, and the error does not quote it", () => {
    const validated = (data: unknown) => JSON.stringify(data);
    const write = checkedWriter(validated, (data) => validated(data).replace("secret-1", "secret-2"), route);
    expect(write({ id: "same" })).toBe('{"id":"same"}');
    const error = thrown(() => write({ totp: "secret-1" }));
    expect(isResponseSerializationError(error as never)).toBe(true);
    const cause = (error as Error & { cause: Error }).cause;
    expect(cause.message).toMatch(/character 16/);
    expect(cause.message).not.toMatch(/secret/);
  });
});

describe("nullable fields for the compiled writer", () => {
  it("anyOf [T, null] becomes one type list, keeping T's keywords; other unions are left alone", () => {
    expect(nullableAsTypeList({ anyOf: [{ type: "string", enum: ["a", "b"] }, { type: "null" }], description: "d" })).toEqual({
      type: ["string", "null"],
      enum: ["a", "b"],
      description: "d",
    });
    const union = { anyOf: [{ type: "string" }, { type: "number" }] };
    expect(nullableAsTypeList(union)).toEqual(union);
    const nested = { anyOf: [{ anyOf: [{ type: "string" }, { type: "number" }] }, { type: "null" }] };
    expect(nullableAsTypeList(nested)).toEqual(nested);
  });

  it("a nullable object and a nullable enum are written as zod writes them, null or not", () => {
    const schema = z.object({
      notice: z.object({ code: z.enum(["x", "y"]), at: z.string() }).nullable(),
      reason: z.enum(["signed_out", "expired"]).nullable(),
    });
    const write = compileJsonWriter(schema);
    for (const answer of [
      { notice: null, reason: null },
      { notice: { code: "y" as const, at: "2026-11-28T07:00:00.000Z" }, reason: "expired" as const },
    ]) {
      expect(write(answer)).toBe(JSON.stringify(schema.encode(answer)));
    }
  });
});

describe("every contract schema compiles", () => {
  it("each zod schema exported by src/contracts compiles to a writer (production compiles on a route's first answer)", async () => {
    const dir = fileURLToPath(new URL("../../contracts/", import.meta.url));
    const files = fs.readdirSync(dir).filter((file) => file.endsWith(".ts") && !file.endsWith(".test.ts"));
    const modules = await Promise.all(
      files.map(async (file) => [file, (await import(path.join(dir, file))) as Record<string, unknown>] as const),
    );
    const schemas = modules.flatMap(([file, exports]) =>
      Object.entries(exports)
        .filter(([, value]) => value instanceof z.ZodType)
        .map(([name, value]) => [`${file} ${name}`, value as z.ZodType] as const),
    );
    expect(schemas.length).toBeGreaterThan(30);
    const failures = schemas.flatMap(([name, schema]) => {
      try {
        compileJsonWriter(schema);
        return [];
      } catch (error) {
        return [`${name}: ${(error as Error).message}`];
      }
    });
    expect(failures).toEqual([]);
  });
});
