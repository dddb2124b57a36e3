import * as z from "zod";
import { nameSchema, timestampSchema } from "./common.js";

/** An absolute URI as a client registers it (checked further by the server: http(s), exact, no fragment). */
const uriSchema = z.string().min(1).max(2000);

/** `POST /api/v1/admin/clients` (and the CLI's `create-client`). */
export const adminCreateClientSchema = z
  .object({
    name: nameSchema,
    redirectUris: z.array(uriSchema).min(1).max(20),
    postLogoutRedirectUris: z.array(uriSchema).max(20).optional(),
    backchannelLogoutUri: uriSchema.nullable().optional(),
    public: z.boolean().optional(),
    requireMfa: z.boolean().optional(),
  })
  .strict();
export type AdminCreateClientInput = z.input<typeof adminCreateClientSchema>;

/** `PATCH /api/v1/admin/clients/{clientId}`: any field but `public`. */
export const adminUpdateClientSchema = adminCreateClientSchema.omit({ public: true }).partial().strict();
export type AdminUpdateClientInput = z.input<typeof adminUpdateClientSchema>;

/** A registered client as the operator sees it (never its secret, which is shown once). */
export const adminClientSchema = z.object({
  clientId: z.string(),
  name: z.string(),
  redirectUris: z.array(z.string()),
  postLogoutRedirectUris: z.array(z.string()),
  backchannelLogoutUri: z.string().nullable(),
  public: z.boolean(),
  requireMfa: z.boolean(),
  createdAt: timestampSchema,
  updatedAt: timestampSchema,
});
export type AdminClientDto = z.infer<typeof adminClientSchema>;

/** The answer of a creation: the client and, for confidential clients, its secret (this once). */
export const adminCreatedClientSchema = adminClientSchema.extend({ clientSecret: z.string().optional() });
export const adminClientListSchema = z.object({ items: z.array(adminClientSchema), nextCursor: z.null() });
export const adminClientSecretSchema = z.object({ clientSecret: z.string() });
export const clientParamsSchema = z.object({ clientId: z.string().min(1).max(100) });

/** One of the person's connected apps (`GET /api/v1/me/apps`). */
export const connectedAppSchema = z.object({
  clientId: z.string(),
  name: z.string(),
  scopes: z.array(z.string()),
  firstAuthorizedAt: timestampSchema,
  lastUsedAt: timestampSchema,
});
export type ConnectedAppDto = z.infer<typeof connectedAppSchema>;
export const connectedAppListSchema = z.object({ items: z.array(connectedAppSchema), nextCursor: z.null() });
export type ConnectedAppListDto = z.infer<typeof connectedAppListSchema>;

/** `POST /api/v1/sso/step-up`: the code step asked by an app that needs a second factor. */
export const stepUpSchema = z.object({ code: z.string().min(1).max(64) }).strict();
export type StepUpInput = z.input<typeof stepUpSchema>;
