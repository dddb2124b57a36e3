import "../runtime-check.js";
import { parseArgs } from "node:util";
import { pathToFileURL } from "node:url";
import { ConfigError } from "../config.js";
import { BackupError } from "../db/backup.js";
import { AppError } from "../errors.js";
import { COMMANDS as ACCOUNT_COMMANDS, UsageError, type Command, type Io, type OptionValues } from "./admin-commands.js";
import { BACKUP_COMMANDS } from "./backup-commands.js";
import { PEOPLE_COMMANDS } from "./people-commands.js";
import type { CliContext } from "./cli-context.js";

/**
 * The operator CLI: `npm run admin -- <command> [options]` or `npx profile-center admin …`.
 * It opens the database from the same configuration as the server (no server needs to run) and
 * calls the same services as the admin API. Exit codes: 0 done, 1 refused or failed (not found,
 * conflict, last administrator, configuration), 2 wrong usage (unknown command or option,
 * missing or invalid value).
 */

const PROGRAM = "npm run admin --";

/** Every command of the CLI. */
const COMMANDS: Record<string, Command> = { ...ACCOUNT_COMMANDS, ...PEOPLE_COMMANDS, ...BACKUP_COMMANDS };

function globalHelp(): string {
  const width = Math.max(...Object.keys(COMMANDS).map((n) => n.length));
  return [
    `Usage: ${PROGRAM} <command> [options]     (or: npx profile-center admin <command> [options])`,
    "",
    "Provision accounts, groups and memberships, manage people (disable, reset MFA, end sessions,",
    "delete) and back up or restore the embedded database, without a running server. Uses the same",
    "configuration as the server (DATABASE_URL, DATA_DIR, ENCRYPTION_KEYS, SMTP_URL, PUBLIC_URL…).",
    "",
    "Commands:",
    ...Object.entries(COMMANDS).map(([name, c]) => `  ${name.padEnd(width)}  ${c.summary}`),
    "",
    `Run "${PROGRAM} <command> --help" for a command's options.`,
  ].join("\n");
}

function commandHelp(name: string, command: Command): string {
  const flags = Object.entries(command.options).map(([flag, o]) => {
    const left = `--${flag}${o.type === "string" ? " <value>" : ""}`;
    return { left, right: `${o.description}${o.required ? " (required)" : ""}${o.multiple ? " (repeatable)" : ""}` };
  });
  const width = Math.max(...flags.map((f) => f.left.length), 6);
  return [
    `Usage: ${PROGRAM} ${name} [options]`,
    "",
    command.summary,
    "",
    "Options:",
    ...flags.map((f) => `  ${f.left.padEnd(width)}  ${f.right}`),
    `  ${"--help".padEnd(width)}  show this help`,
  ].join("\n");
}

function parseOptions(command: Command, args: string[]): OptionValues {
  const options: Record<string, { type: "string" | "boolean"; multiple?: boolean }> = {};
  for (const [flag, o] of Object.entries(command.options))
    options[flag] = { type: o.type, ...(o.multiple ? { multiple: true } : {}) };
  let values: OptionValues;
  try {
    values = parseArgs({ args, options, strict: true, allowPositionals: false }).values as OptionValues;
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  const missing = Object.entries(command.options)
    .filter(([flag, o]) => o.required && (values[flag] === undefined || values[flag] === ""))
    .map(([flag]) => `--${flag}`);
  if (missing.length > 0) throw new UsageError(`missing ${missing.join(", ")}`);
  return values;
}

function describeAppError(error: AppError): string {
  const lines = [`Error: ${error.message} (${error.code})`];
  const fields = error.details?.fields as Record<string, string> | undefined;
  if (fields) for (const [field, message] of Object.entries(fields)) lines.push(`  ${field}: ${message}`);
  return lines.join("\n");
}

/** Runs one CLI invocation; resolves to the exit code. */
export async function runAdminCli(argv: string[], io: Io, env = process.env): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === "--help" || name === "-h" || name === "help") {
    (name === undefined ? io.err : io.out)(globalHelp());
    return name === undefined ? 2 : 0;
  }
  const command = COMMANDS[name];
  if (!command) {
    io.err(`Unknown command "${name}".\n\n${globalHelp()}`);
    return 2;
  }
  if (rest.includes("--help") || rest.includes("-h")) {
    io.out(commandHelp(name, command));
    return 0;
  }
  let context: CliContext | undefined;
  try {
    const values = parseOptions(command, rest);
    if (command.runBare) {
      await command.runBare(env, values, io);
      return 0;
    }
    // Loaded only now, so --help and usage errors answer without building the app.
    const { openCliContext } = await import("./cli-context.js");
    context = await openCliContext(env);
    await command.run?.(context, values, io);
    return 0;
  } catch (error) {
    if (error instanceof UsageError) {
      io.err(`${error.message}\n\nRun "${PROGRAM} ${name} --help" for usage.`);
      return 2;
    }
    if (error instanceof AppError) io.err(describeAppError(error));
    else if (error instanceof ConfigError) io.err(error.message);
    else if (error instanceof BackupError) io.err(`Error: ${error.message}`);
    else io.err(`Error: ${(error as Error).message}`);
    return 1;
  } finally {
    await context?.close();
  }
}

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString("utf8");
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  const io = { out: (line: string) => console.log(line), err: (line: string) => console.error(line), readStdin };
  runAdminCli(process.argv.slice(2), io).then(
    (code) => process.exit(code),
    (error: unknown) => {
      console.error(`Error: ${(error as Error).message}`);
      process.exit(1);
    },
  );
}
