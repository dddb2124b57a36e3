import fastJsonStringify from "fast-json-stringify";
import type { FastifySerializerCompiler } from "fastify/types/schema.js";
import { ResponseSerializationError, serializerCompiler as validatingSerializerCompiler } from "fastify-type-provider-zod";
import * as z from "zod";

/*
 * How answers become JSON. Every route declares its answers with the contract's zod schemas.
 *
 * - "compiled" (production): each answer's schema, output side, is compiled once into a writer
 *   (its JSON Schema through fast-json-stringify, which is what Fastify does by default). The
 *   writer writes the declared fields and nothing else, so a field a presenter should not have
 *   set (a token hash, a password hash) is never sent. Validating each answer with zod and then
 *   running JSON.stringify costs more than the compiled writer, on every answer of the hot
 *   routes.
 * - "checked" (development and test): every answer is validated with zod, as before, AND written
 *   by the compiled writer; the two must be the same bytes, or the request fails. So the whole
 *   API test suite proves that what production writes is what the contract says.
 *
 * Writers are compiled on a route's first answer (a few ms), not at boot: tests build many apps.
 */
export type ResponseSerialization = "compiled" | "checked";

type JsonWriter = (data: unknown) => string;

/** The writer of one answer schema: only the schema's fields, in its order. */
export function compileJsonWriter(schema: z.ZodType): JsonWriter {
  const jsonSchema = z.toJSONSchema(schema, { io: "output", target: "draft-07", unrepresentable: "any" });
  return fastJsonStringify(nullableAsTypeList(jsonSchema) as Parameters<typeof fastJsonStringify>[0]) as JsonWriter;
}

type JsonSchemaNode = { [key: string]: unknown };
const isNode = (value: unknown): value is JsonSchemaNode => typeof value === "object" && value !== null && !Array.isArray(value);

/**
 * zod writes a nullable string with a description or an enum, and a nullable object, as
 * `anyOf: [{ type: T, … }, { type: "null" }]`; fast-json-stringify then tries each branch at run
 * time. `{ type: [T, "null"], … }` says the same and is written with one null check (the session
 * page has several such fields per row).
 */
export function nullableAsTypeList(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(nullableAsTypeList);
  if (!isNode(node)) return node;
  const out: JsonSchemaNode = {};
  for (const [key, value] of Object.entries(node)) out[key] = nullableAsTypeList(value);
  const branches = out.anyOf;
  if (!Array.isArray(branches) || branches.length !== 2) return out;
  const nullAt = branches.findIndex((b) => isNode(b) && b.type === "null" && Object.keys(b).length === 1);
  const other: unknown = branches[1 - nullAt];
  if (nullAt < 0 || !isNode(other) || typeof other.type !== "string" || "anyOf" in other || "oneOf" in other) return out;
  const { anyOf: _branches, ...rest } = out;
  return { ...rest, ...other, type: [other.type, "null"] };
}

/** Fastify's "answer does not match its schema" error (500, logged by the error handler). Its type asks for a ZodError cause; it only keeps it. */
function serializationError(where: { method: string; url: string }, cause: unknown): ResponseSerializationError {
  return new ResponseSerializationError(where.method, where.url, { cause: cause as z.core.$ZodError });
}

function zodSchemaOf(schema: unknown): z.ZodType {
  if (schema instanceof z.ZodType) return schema;
  throw new Error("A response schema must be a zod schema.");
}

/**
 * The compiled writer's bytes, checked against the validated ones (mode "checked"). The error
 * names where they part, never the answer itself (it may hold a secret shown once).
 */
export function checkedWriter(validated: JsonWriter, compiled: JsonWriter, where: { method: string; url: string }): JsonWriter {
  return (data) => {
    const expected = validated(data);
    const actual = compiled(data);
    if (actual === expected) return expected;
    let at = 0;
    while (at < expected.length && actual[at] === expected[at]) at++;
    throw serializationError(
      where,
      new Error(
        `The compiled writer differs from the contract's JSON at character ${at} (${actual.length} vs ${expected.length} characters).`,
      ),
    );
  };
}

/** Fastify's serializer compiler for the mode. */
export function responseSerializerCompiler(mode: ResponseSerialization): FastifySerializerCompiler<unknown> {
  return (route) => {
    const schema = zodSchemaOf(route.schema);
    let writer: JsonWriter | undefined;
    const compiled: JsonWriter = (data) => {
      writer ??= compileJsonWriter(schema);
      try {
        return writer(data);
      } catch (cause) {
        throw serializationError(route, cause);
      }
    };
    if (mode === "compiled") return compiled;
    return checkedWriter(validatingSerializerCompiler({ ...route, schema }), compiled, route);
  };
}
