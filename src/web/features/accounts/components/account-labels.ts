import type { AccountType, MfaPolicy } from "@contracts/accounts";
import type { BadgeTone } from "../../../components/ui/badge";

/** Display names of account types. */
export const TYPE_LABELS: Record<AccountType, string> = { vendor: "Vendor", distributor: "Distributor", reseller: "Reseller" };

/** Badge tones of account types (the text carries the meaning). */
export const TYPE_TONES: Record<AccountType, BadgeTone> = { vendor: "info", distributor: "neutral", reseller: "neutral" };

/** Display names of MFA policies. */
export const POLICY_LABELS: Record<MfaPolicy, string> = {
  optional: "MFA optional",
  suggested: "MFA suggested",
  required: "MFA required",
};

export const POLICY_TONES: Record<MfaPolicy, BadgeTone> = { optional: "neutral", suggested: "info", required: "warning" };
