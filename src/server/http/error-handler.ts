import type { FastifyError, FastifyInstance, FastifyReply } from "fastify";
import { hasZodFastifySchemaValidationErrors, isResponseSerializationError } from "fastify-type-provider-zod";
import { AppError } from "../errors.js";
import { HasherBusyError } from "../lib/crypto/password-hasher.js";
import { DATABASE_FAULT_MESSAGE, DATABASE_FAULT_RETRY_AFTER_SECONDS, databaseFaultOf, faultLogFields } from "../lib/db-faults.js";

interface ValidationIssue {
  instancePath?: string;
  message?: string;
  params?: { issue?: { path?: PropertyKey[]; message?: string; code?: string; keys?: string[] } };
}

/** Turns the validation issues of a request into `{field: message}`. */
function fieldsOf(issues: ValidationIssue[], context: string | undefined): Record<string, string> {
  const fields: Record<string, string> = {};
  for (const issue of issues) {
    // A strict object's unknown keys: one entry per key, so the refused field is named.
    if (issue.params?.issue?.code === "unrecognized_keys" && issue.params.issue.keys) {
      const prefix = (issue.params.issue.path ?? []).map(String).join(".");
      for (const key of issue.params.issue.keys) fields[prefix ? `${prefix}.${key}` : key] ??= "is not a field you can send";
      continue;
    }
    const pathParts = issue.params?.issue?.path ?? issue.instancePath?.split("/").filter(Boolean) ?? [];
    const name = pathParts.length > 0 ? pathParts.map(String).join(".") : (context ?? "body");
    fields[name] ??= issue.params?.issue?.message ?? issue.message ?? "is invalid";
  }
  return fields;
}

function send(reply: FastifyReply, error: AppError) {
  if (error.headers) reply.headers(error.headers);
  const body: { code: string; message: string; details?: Record<string, unknown> } = { code: error.code, message: error.message };
  if (error.details) body.details = error.details;
  return reply.status(error.status).type("application/json; charset=utf-8").send({ error: body });
}

/**
 * The one error model: `{"error": {code, message, details?}}`. Client mistakes get their 4xx;
 * anything unexpected is logged with the request id and answered with a generic 500 that
 * leaks nothing.
 */
export function registerErrorHandling(app: FastifyInstance): void {
  app.setErrorHandler((error: FastifyError, request, reply) => {
    if (error instanceof AppError) return send(reply, error);
    if (error instanceof HasherBusyError) {
      return send(
        reply,
        new AppError("rate_limited", {
          message: "The service is busy. Try again in a moment.",
          details: { retryAfterSeconds: 1 },
          headers: { "retry-after": "1" },
        }),
      );
    }
    if (hasZodFastifySchemaValidationErrors(error)) {
      const fields = fieldsOf(error.validation as ValidationIssue[], error.validationContext);
      return send(reply, new AppError("validation_failed", { message: "Some fields are invalid.", details: { fields } }));
    }
    if (isResponseSerializationError(error)) {
      request.log.error({ err: error }, "response did not match its schema");
      return send(reply, new AppError("internal_error", { message: "Something went wrong on our side." }));
    }
    const code = error.code ?? "";
    if (code === "FST_ERR_CTP_BODY_TOO_LARGE")
      return send(reply, new AppError("payload_too_large", { message: "The request body is too large." }));
    if (code === "FST_ERR_CTP_INVALID_MEDIA_TYPE")
      return send(reply, new AppError("unsupported_media_type", { message: "Send JSON (Content-Type: application/json)." }));
    if (code === "FST_ERR_CTP_EMPTY_JSON_BODY" || code === "FST_ERR_CTP_INVALID_JSON_BODY" || error instanceof SyntaxError)
      return send(reply, new AppError("invalid_json", { message: "The request body is not valid JSON." }));
    if (error.statusCode === 429) return send(reply, new AppError("rate_limited", { message: "Too many requests." }));
    if (error.statusCode && error.statusCode >= 400 && error.statusCode < 500) {
      return send(
        reply,
        new AppError("bad_request", { status: error.statusCode, message: "The request could not be processed." }),
      );
    }
    const fault = databaseFaultOf(error);
    if (fault) {
      // The driver's own error is logged, not whatever a wrapper (a failed rollback) said on top.
      request.log.error(faultLogFields(fault), "database unavailable");
      return send(
        reply,
        new AppError("unavailable", {
          message: DATABASE_FAULT_MESSAGE,
          details: { retryAfterSeconds: DATABASE_FAULT_RETRY_AFTER_SECONDS },
          headers: { "retry-after": String(DATABASE_FAULT_RETRY_AFTER_SECONDS) },
        }),
      );
    }
    request.log.error({ err: error }, "unhandled error");
    return send(reply, new AppError("internal_error", { message: "Something went wrong on our side." }));
  });

  app.setNotFoundHandler((_request, reply) =>
    // The URL is not echoed back: an answer never reflects what the caller sent.
    send(reply, new AppError("not_found", { message: "There is no such route." })),
  );
}
