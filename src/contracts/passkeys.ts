import * as z from "zod";
import { listSchema, nameSchema, timestampSchema } from "./common.js";

/*
 * Passkeys (WebAuthn): the person's list and the shapes of the browser's responses. The options
 * objects the server answers are the WebAuthn JSON forms (`PublicKeyCredentialCreationOptionsJSON`,
 * `PublicKeyCredentialRequestOptionsJSON`) as SimpleWebAuthn makes them.
 */

/** base64url as WebAuthn's JSON forms carry binary values (padding tolerated). */
const base64url = (max: number) =>
  z
    .string()
    .max(max)
    .regex(/^[A-Za-z0-9_-]*={0,2}$/, "must be base64url");

const extensionResults = z.record(z.string(), z.unknown());

/** `RegistrationResponseJSON` (navigator.credentials.create). */
export const registrationResponseSchema = z.object({
  id: base64url(1400),
  rawId: base64url(1400),
  type: z.literal("public-key"),
  response: z.object({
    clientDataJSON: base64url(4096),
    attestationObject: base64url(24_000),
    authenticatorData: base64url(8192).optional(),
    transports: z.array(z.string().max(32)).max(10).optional(),
    publicKeyAlgorithm: z.number().int().optional(),
    publicKey: base64url(4096).optional(),
  }),
  authenticatorAttachment: z.enum(["platform", "cross-platform"]).optional(),
  clientExtensionResults: extensionResults,
});

/** `AuthenticationResponseJSON` (navigator.credentials.get). */
export const authenticationResponseSchema = z.object({
  id: base64url(1400),
  rawId: base64url(1400),
  type: z.literal("public-key"),
  response: z.object({
    clientDataJSON: base64url(4096),
    authenticatorData: base64url(4096),
    signature: base64url(2048),
    userHandle: base64url(256).optional(),
  }),
  authenticatorAttachment: z.enum(["platform", "cross-platform"]).optional(),
  clientExtensionResults: extensionResults,
});

export const passkeySchema = z.object({
  id: z.string(),
  name: z.string(),
  createdAt: timestampSchema,
  lastUsedAt: timestampSchema.nullable(),
  /** The authenticator's name from its AAGUID ("iCloud Keychain", "Google Password Manager"), or null. */
  authenticator: z.string().nullable(),
  /** Synced (backed up) to the person's other devices by their password manager. */
  backedUp: z.boolean(),
});
export type PasskeyDto = z.infer<typeof passkeySchema>;
export const passkeyListSchema = listSchema(passkeySchema).extend({
  /** The demo workspace's person, without a passkey yet: the page suggests trying one. */
  tryPasskeyHint: z.boolean(),
});

/** `POST /me/passkeys`. */
export const addPasskeySchema = z.object({ response: registrationResponseSchema, name: nameSchema.optional() }).strict();
export const renamePasskeySchema = z.object({ name: nameSchema }).strict();
export const passkeyIdParamsSchema = z.object({ id: z.string().min(1).max(64) });

/** `POST /auth/passkey`. */
export const passkeySignInSchema = z.object({ response: authenticationResponseSchema }).strict();

/** `POST /me/passkeys/registration/options`: optional body, as for the other sensitive calls. */
export const passkeyRegistrationOptionsBodySchema = z
  .object({ password: z.string().min(1).max(4096).optional(), code: z.string().trim().min(1).max(64).optional() })
  .strict()
  .nullish();

/** The WebAuthn options objects, passed through as the library made them. */
export const webauthnOptionsSchema = z.object({ challenge: z.string() }).catchall(z.unknown());
