import type { CliContext } from "./cli-context.js";

/* What every CLI command is made of (admin-commands.ts, sso-commands.ts). */

/** A mistake in how the command was called (exit code 2). */
export class UsageError extends Error {}

export type OptionValues = Record<string, string | boolean | string[] | undefined>;

/** Console output of a command. */
export interface Io {
  out(line: string): void;
  /** Warnings and errors (stderr). */
  err(line: string): void;
  readStdin(): Promise<string>;
}

export interface CommandOption {
  type: "string" | "boolean";
  multiple?: boolean;
  required?: boolean;
  description: string;
}

export interface Command {
  summary: string;
  options: Record<string, CommandOption>;
  run?(ctx: CliContext, values: OptionValues, io: Io): Promise<void>;
  /** Instead of `run`: a command that must not open the services (backup, restore); it gets the environment. */
  runBare?(env: Record<string, string | undefined>, values: OptionValues, io: Io): Promise<void>;
}
