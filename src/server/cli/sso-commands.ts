import type * as z from "zod";
import { adminCreateClientSchema, adminUpdateClientSchema } from "../../contracts/sso.js";
import type { ClientView } from "../features/sso/sso.presenters.js";
import { UsageError, type Command, type OptionValues } from "./cli-command.js";

/*
 * Single sign-on commands: the operator's client registry (the same service as
 * `/api/v1/admin/clients`) and the signing-key rotation.
 */

const str = (values: OptionValues, name: string): string | undefined => {
  const v = values[name];
  return typeof v === "string" ? v : undefined;
};
const list = (values: OptionValues, name: string): string[] | undefined => {
  const v = values[name];
  return Array.isArray(v) ? v : typeof v === "string" ? [v] : undefined;
};
const yesNo = (values: OptionValues, name: string): boolean | undefined => {
  const v = str(values, name);
  if (v === undefined) return undefined;
  if (v === "yes" || v === "no") return v === "yes";
  throw new UsageError(`--${name}: must be yes or no`);
};

function parse<S extends z.ZodType>(schema: S, input: unknown): z.infer<S> {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  const flag: Record<string, string> = {
    redirectUris: "--redirect-uri",
    postLogoutRedirectUris: "--post-logout-redirect-uri",
    backchannelLogoutUri: "--backchannel-logout-uri",
    requireMfa: "--require-mfa",
  };
  throw new UsageError(
    result.error.issues.map((i) => `${flag[String(i.path[0])] ?? `--${String(i.path[0] ?? "input")}`}: ${i.message}`).join("\n"),
  );
}

function formatClient(c: ClientView): string {
  return [
    `${c.clientId}  ${c.name}${c.public ? "  (public)" : ""}${c.requireMfa ? "  (requires MFA)" : ""}`,
    ...c.redirectUris.map((u) => `  redirect URI: ${u}`),
    ...c.postLogoutRedirectUris.map((u) => `  post-logout redirect URI: ${u}`),
    ...(c.backchannelLogoutUri ? [`  back-channel logout URI: ${c.backchannelLogoutUri}`] : []),
  ].join("\n");
}

const client = { type: "string", required: true, description: "client ID (pc-…)" } as const;
const json = { type: "boolean", description: "print JSON instead of text" } as const;
const uris = {
  "redirect-uri": { type: "string", multiple: true, description: "exact redirect URI; repeat for several" },
  "post-logout-redirect-uri": { type: "string", multiple: true, description: "exact post-logout redirect URI; repeatable" },
  "backchannel-logout-uri": { type: "string", description: "where logout tokens are POSTed (any address, private ones too)" },
} as const;

export const SSO_COMMANDS: Record<string, Command> = {
  "create-client": {
    summary: "Register a single sign-on client (prints its ID and, once, its secret)",
    options: {
      name: { type: "string", required: true, description: "the app's name, shown to people" },
      ...uris,
      "redirect-uri": { ...uris["redirect-uri"], required: true },
      public: { type: "boolean", description: "a public client (no secret; PKCE required)" },
      "require-mfa": { type: "boolean", description: "people need a second factor to sign in to it" },
      json,
    },
    async run(ctx, values, io) {
      const input = parse(adminCreateClientSchema, {
        name: str(values, "name"),
        redirectUris: list(values, "redirect-uri"),
        postLogoutRedirectUris: list(values, "post-logout-redirect-uri"),
        backchannelLogoutUri: str(values, "backchannel-logout-uri"),
        public: values.public === true,
        requireMfa: values["require-mfa"] === true,
      });
      const created = await ctx.services.sso.clients.create(input);
      if (values.json) return io.out(JSON.stringify(created, null, 2));
      io.out(`client_id: ${created.clientId}`);
      if (created.clientSecret) io.out(`client_secret: ${created.clientSecret}   (shown this once; stored hashed)`);
      io.out(`issuer: ${ctx.config.publicUrl}`);
    },
  },
  "list-clients": {
    summary: "List the single sign-on clients",
    options: { json },
    async run(ctx, values, io) {
      const items = await ctx.services.sso.clients.list();
      io.out(values.json ? JSON.stringify(items, null, 2) : items.map(formatClient).join("\n") || "(no clients)");
    },
  },
  "update-client": {
    summary: "Change a client (name, URIs, MFA requirement)",
    options: {
      client,
      name: { type: "string", description: "new name" },
      ...uris,
      "require-mfa": { type: "string", description: "yes | no" },
      json,
    },
    async run(ctx, values, io) {
      const logout = str(values, "backchannel-logout-uri");
      const input = parse(adminUpdateClientSchema, {
        name: str(values, "name"),
        redirectUris: list(values, "redirect-uri"),
        postLogoutRedirectUris: list(values, "post-logout-redirect-uri"),
        backchannelLogoutUri: logout === "" ? null : logout,
        requireMfa: yesNo(values, "require-mfa"),
      });
      const updated = await ctx.services.sso.clients.update(str(values, "client") ?? "", input);
      io.out(values.json ? JSON.stringify(updated, null, 2) : formatClient(updated));
    },
  },
  "delete-client": {
    summary: "Delete a client: its grants and tokens are revoked",
    options: { client },
    async run(ctx, values, io) {
      const clientId = str(values, "client") ?? "";
      await ctx.services.sso.clients.remove(clientId);
      io.out(`deleted ${clientId}`);
    },
  },
  "rotate-client-secret": {
    summary: "Give a client a new secret (printed once; the old one stops working)",
    options: { client },
    async run(ctx, values, io) {
      const { clientSecret } = await ctx.services.sso.clients.rotateSecret(str(values, "client") ?? "");
      io.out(`client_secret: ${clientSecret}   (shown this once; stored hashed)`);
    },
  },
  "rotate-signing-key": {
    summary: "Add a signing key that signs from now on (running servers pick it up within 30 s)",
    options: {},
    async run(ctx, _values, io) {
      const rotated = await ctx.services.sso.rotateSigningKey();
      io.out(`new signing key: ${rotated.kid}`);
      io.out(`the previous key stays published until ${new Date(rotated.previousPublishedUntil).toISOString()}`);
    },
  },
};
