/*
 * The operations the fuzzer calls, read from the app's own OpenAPI document: method, path
 * template, parameters and body schema (JSON Schema), and the security each needs.
 */

/** A JSON Schema node as the document holds it (only what the generators read). */
export interface JsonSchema {
  type?: string | string[];
  properties?: Record<string, JsonSchema>;
  required?: string[];
  items?: JsonSchema;
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
  allOf?: JsonSchema[];
  enum?: unknown[];
  const?: unknown;
  format?: string;
  pattern?: string;
  minLength?: number;
  maxLength?: number;
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: number;
  exclusiveMaximum?: number;
  minItems?: number;
  maxItems?: number;
  default?: unknown;
  $ref?: string;
  additionalProperties?: boolean | JsonSchema;
}

export type Security = "none" | "csrf" | "session" | "admin";

export interface FuzzParameter {
  name: string;
  required: boolean;
  schema: JsonSchema;
}

export interface FuzzOperation {
  operationId: string;
  method: string;
  /** OpenAPI path, `{name}` for parameters. */
  path: string;
  pathParams: FuzzParameter[];
  query: FuzzParameter[];
  body: JsonSchema | undefined;
  security: Security;
}

interface OpenApiDocument {
  paths: Record<string, Record<string, OpenApiOperation>>;
  components?: { schemas?: Record<string, JsonSchema> };
}

interface OpenApiOperation {
  operationId?: string;
  parameters?: Array<{ name: string; in: string; required?: boolean; schema?: JsonSchema }>;
  requestBody?: { content?: Record<string, { schema?: JsonSchema }> };
  security?: Array<Record<string, string[]>>;
}

/** `$ref`s to `#/components/schemas/…` replaced by the schema they name (cycles cut at depth 8). */
function resolve(schema: JsonSchema | undefined, doc: OpenApiDocument, depth = 0): JsonSchema | undefined {
  if (!schema || depth > 8) return schema;
  if (schema.$ref) {
    const name = schema.$ref.replace("#/components/schemas/", "");
    return resolve(doc.components?.schemas?.[name], doc, depth + 1);
  }
  const out: JsonSchema = { ...schema };
  if (schema.properties) {
    out.properties = Object.fromEntries(Object.entries(schema.properties).map(([k, v]) => [k, resolve(v, doc, depth + 1)!]));
  }
  if (schema.items) out.items = resolve(schema.items, doc, depth + 1);
  for (const key of ["anyOf", "oneOf", "allOf"] as const) {
    if (schema[key]) out[key] = schema[key]!.map((s) => resolve(s, doc, depth + 1)!);
  }
  return out;
}

function securityOf(operation: OpenApiOperation): Security {
  const requirements = operation.security ?? [];
  if (requirements.some((r) => "admin" in r)) return "admin";
  if (requirements.some((r) => "session" in r)) return "session";
  if (requirements.some((r) => "csrf" in r)) return "csrf";
  return "none";
}

/** Every operation of the document (HEAD and OPTIONS aside). */
export function operationsOf(document: unknown): FuzzOperation[] {
  const doc = document as OpenApiDocument;
  const operations: FuzzOperation[] = [];
  for (const [path, item] of Object.entries(doc.paths)) {
    for (const [method, operation] of Object.entries(item)) {
      if (!["get", "post", "put", "patch", "delete"].includes(method)) continue;
      const parameters = operation.parameters ?? [];
      const param = (where: string) =>
        parameters
          .filter((p) => p.in === where)
          .map((p) => ({ name: p.name, required: p.required ?? false, schema: resolve(p.schema, doc) ?? {} }));
      operations.push({
        operationId: operation.operationId ?? `${method} ${path}`,
        method: method.toUpperCase(),
        path,
        pathParams: param("path"),
        query: param("query"),
        body: resolve(operation.requestBody?.content?.["application/json"]?.schema, doc),
        security: securityOf(operation),
      });
    }
  }
  return operations;
}
