import type * as z from "zod";
import type { mfaStatusSchema } from "../../../../contracts/security.js";
import { toIsoOrNull } from "../../../lib/clock.js";
import type { MfaStatus } from "./mfa.service.js";

/** `GET /me/mfa`: whether TOTP is on, since when, and how many recovery codes are left (never a secret). */
export function presentMfaStatus(status: MfaStatus): z.infer<typeof mfaStatusSchema> {
  return {
    totp: { enabled: status.totp.enabled, enabledAt: toIsoOrNull(status.totp.enabledAt) },
    recoveryCodesLeft: status.recoveryCodesLeft,
    passkeys: status.passkeys,
    requiredBy: status.requiredBy.map(({ id, name }) => ({ id, name })),
  };
}
