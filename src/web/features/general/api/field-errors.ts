import type * as z from "zod";
import { isApiError } from "../../../lib/api-error";

/** `must not be empty` → `Must not be empty.`: the contract's messages, as sentences under a field. */
export function toSentence(message: string): string {
  const text = message.trim();
  if (!text) return text;
  const sentence = text.charAt(0).toUpperCase() + text.slice(1);
  return /[.!?]$/.test(sentence) ? sentence : `${sentence}.`;
}

/**
 * Validates `value` with a shared contract schema (the very one the server uses) and returns
 * the parsed value or one message per top-level field, so forms show the server's rules inline.
 */
export function validateWith<S extends z.ZodType>(
  schema: S,
  value: unknown,
): { data: z.infer<S>; errors?: undefined } | { data?: undefined; errors: Record<string, string> } {
  const result = schema.safeParse(value);
  if (result.success) return { data: result.data };
  const errors: Record<string, string> = {};
  for (const issue of result.error.issues) {
    const name = issue.path.length > 0 ? String(issue.path[0]) : "form";
    errors[name] ??= toSentence(issue.message);
  }
  return { errors };
}

/** The per-field messages of a server answer (`details.fields`), as sentences; `{}` otherwise. */
export function serverFieldErrors(error: unknown): Record<string, string> {
  if (!isApiError(error)) return {};
  return Object.fromEntries(Object.entries(error.fieldErrors).map(([name, message]) => [name, toSentence(message)]));
}
