import type { FastifyDynamicSwaggerOptions } from "@fastify/swagger";
import { jsonSchemaTransform } from "fastify-type-provider-zod";
import type { OpenAPIV3_1 } from "openapi-types";
import * as z from "zod";
import { errorBodySchema } from "../../contracts/errors.js";
import type { RouteAuth } from "./auth-guard.js";

/*
 * The OpenAPI 3.1 document at /api/v1/openapi.json, complete enough for generated clients:
 * every operation has an `operationId`, the security it needs and its error answers, all in
 * the one error envelope. What a route does not declare is derived from what it is:
 * - security from its `config.auth` (the guard's policy) and method: a session cookie, plus the
 *   CSRF header on unsafe methods (login included); the bearer token for the operator API;
 * - errors from its shape: 400 for anything it reads, 401 where a session or token is needed,
 *   403 for the CSRF check, 404 for a path id, 413/415 for a body, 429 where passwords or codes
 *   are checked, 500 and 503 (database unavailable) everywhere, and `default` for the rest.
 */

const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);

/** `GET /api/v1/me/sessions/:id` → `getMeSessionsById`: stable, unique per method and path. */
export function operationIdOf(method: string, url: string): string {
  const words = url
    .replace(/^\/api\/v1(?=\/|$)/, "")
    .split(/[/\-_.]+/)
    .filter(Boolean)
    .map((part) => (part.startsWith(":") ? `by-${part.slice(1)}` : part))
    .flatMap((part) => part.split("-"))
    .map((word) => word.charAt(0).toUpperCase() + word.slice(1));
  return method.toLowerCase() + words.join("");
}

function securityOf(policy: RouteAuth, method: string): OpenAPIV3_1.SecurityRequirementObject[] {
  const unsafe = !SAFE_METHODS.has(method);
  if (policy === "admin") return [{ admin: [] }];
  if (policy === "public") return unsafe ? [{ csrf: [], csrfCookie: [] }] : [];
  return unsafe ? [{ session: [], csrf: [], csrfCookie: [] }] : [{ session: [] }];
}

type TransformArgs = Parameters<typeof jsonSchemaTransform>[0];

/** Per route: the zod schemas as JSON Schema, plus `operationId` and `security`. */
function transform(args: TransformArgs) {
  const result = jsonSchemaTransform(args);
  const { route, url } = args;
  const method = (Array.isArray(route.method) ? route.method[0] : route.method) as string;
  const config = (route.config ?? {}) as { auth?: RouteAuth };
  const policy: RouteAuth = config.auth ?? (url.startsWith("/api/") ? "user" : "public");
  const schema = result.schema as Record<string, unknown>;
  return {
    ...result,
    schema: {
      ...schema,
      operationId: (schema.operationId as string | undefined) ?? operationIdOf(method, url),
      security: securityOf(policy, method),
    },
  };
}

const ERROR_RESPONSES: Record<string, { description: string; retryAfter?: boolean }> = {
  BadRequest: { description: "`validation_failed` (with `details.fields`), `invalid_json` or `bad_request`" },
  Unauthenticated: { description: "`unauthenticated`: not signed in, or the session ended (or a missing/wrong bearer token)" },
  Forbidden: { description: "`csrf_failed`: the X-CSRF-Token header does not match the pc_csrf cookie, or a foreign Origin" },
  NotFound: { description: "`not_found`" },
  PayloadTooLarge: { description: "`payload_too_large`" },
  UnsupportedMediaType: { description: "`unsupported_media_type`: send JSON" },
  RateLimited: { description: "`rate_limited`: try again after Retry-After seconds", retryAfter: true },
  InternalError: { description: "`internal_error`: a fault on the server's side, logged with the request id" },
  Unavailable: {
    description: "`unavailable`: the database is unreachable, full or read-only; try again after Retry-After seconds",
    retryAfter: true,
  },
  Error: { description: "An error in the envelope; `error.code` says which (see the API contract)" },
};

function ref(name: string): OpenAPIV3_1.ReferenceObject {
  return { $ref: `#/components/responses/${name}` };
}

const PASSWORD_FIELDS = /^(password|currentPassword|newPassword|code)$/;

function bodyProperties(operation: OpenAPIV3_1.OperationObject): string[] {
  const body = operation.requestBody as OpenAPIV3_1.RequestBodyObject | undefined;
  const schema = body?.content?.["application/json"]?.schema as OpenAPIV3_1.SchemaObject | undefined;
  return Object.keys(schema?.properties ?? {});
}

/** The error answers of one operation, by status, derived from its shape and security. */
function errorResponsesOf(path: string, method: string, operation: OpenAPIV3_1.OperationObject) {
  const parameters = (operation.parameters ?? []) as OpenAPIV3_1.ParameterObject[];
  const hasBody = operation.requestBody !== undefined;
  const security = operation.security ?? [];
  const needsSession = security.some((s) => "session" in s);
  const isAdmin = security.some((s) => "admin" in s);
  const checksCsrf = security.some((s) => "csrf" in s);
  const responses: Record<string, OpenAPIV3_1.ReferenceObject> = {};
  if (hasBody || parameters.length > 0 || !SAFE_METHODS.has(method.toUpperCase())) responses["400"] = ref("BadRequest");
  if (needsSession || isAdmin) responses["401"] = ref("Unauthenticated");
  if (checksCsrf) responses["403"] = ref("Forbidden");
  if (parameters.some((p) => p.in === "path")) responses["404"] = ref("NotFound");
  if (hasBody) {
    responses["413"] = ref("PayloadTooLarge");
    responses["415"] = ref("UnsupportedMediaType");
  }
  const unsafe = !SAFE_METHODS.has(method.toUpperCase());
  if ((unsafe && path.startsWith("/api/v1/auth/")) || bodyProperties(operation).some((p) => PASSWORD_FIELDS.test(p)))
    responses["429"] = ref("RateLimited");
  responses["500"] = ref("InternalError");
  // The probes outside the API answer for themselves (/readyz declares its own 503).
  if (path.startsWith("/api/")) responses["503"] = ref("Unavailable");
  responses.default = ref("Error");
  return responses;
}

/** The whole document: shared error responses and the envelope schema, added to every operation. */
function transformObject({ openapiObject }: { openapiObject: Partial<OpenAPIV3_1.Document> }) {
  const document = openapiObject as OpenAPIV3_1.Document;
  const components = (document.components ??= {});
  components.schemas = {
    ...components.schemas,
    ErrorBody: z.toJSONSchema(errorBodySchema, { target: "draft-2020-12" }) as OpenAPIV3_1.SchemaObject,
  };
  delete (components.schemas.ErrorBody as Record<string, unknown>).$schema;
  const retryAfter: OpenAPIV3_1.HeaderObject = {
    description: "Seconds to wait before trying again",
    schema: { type: "integer", minimum: 0 },
  };
  components.responses = Object.fromEntries(
    Object.entries(ERROR_RESPONSES).map(([name, { description, retryAfter: withRetry }]) => [
      name,
      {
        description,
        ...(withRetry ? { headers: { "Retry-After": retryAfter } } : {}),
        content: { "application/json": { schema: { $ref: "#/components/schemas/ErrorBody" } } },
      },
    ]),
  );
  for (const [path, item] of Object.entries(document.paths ?? {})) {
    for (const [method, value] of Object.entries(item ?? {})) {
      if (!value || typeof value !== "object" || !("responses" in value)) continue;
      const operation = value as OpenAPIV3_1.OperationObject;
      // The routes' own answers (success, and /readyz's 503) stay as they are.
      operation.responses = { ...errorResponsesOf(path, method, operation), ...operation.responses };
      if (operation.security?.length === 0) delete operation.security;
    }
  }
  return document;
}

/** The @fastify/swagger options of the app. */
export function openapiOptions(options: { secure: boolean }): FastifyDynamicSwaggerOptions {
  const cookie = (name: string) => (options.secure ? `__Host-${name}` : name);
  return {
    openapi: {
      openapi: "3.1.0",
      info: {
        title: "Profile Center API",
        version: "1.0.0",
        description: "User profile and account-security center. See the README.",
      },
      components: {
        securitySchemes: {
          session: { type: "apiKey", in: "cookie", name: cookie("pc_session"), description: "The session cookie set at sign-in" },
          csrf: {
            type: "apiKey",
            in: "header",
            name: "X-CSRF-Token",
            description: "On every request but GET/HEAD/OPTIONS: the value of the CSRF cookie (GET /api/v1/auth/csrf)",
          },
          csrfCookie: {
            type: "apiKey",
            in: "cookie",
            name: cookie("pc_csrf"),
            description: "The CSRF cookie, sent along with the X-CSRF-Token header that repeats it",
          },
          admin: { type: "http", scheme: "bearer", description: "The operator token (ADMIN_TOKEN)" },
        },
      },
    },
    transform,
    transformObject: transformObject as FastifyDynamicSwaggerOptions["transformObject"],
  };
}
