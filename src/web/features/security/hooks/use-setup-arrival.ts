import { useNavigate, useSearchParams } from "react-router";
import { getSafeNextPath } from "../../../lib/safe-next-path";

/** What the Security page was opened for: `?setup=mfa&next=<same-origin path>`. */
export interface SetupArrival {
  /** True when another page sent the person here to set up MFA (an account requires or suggests it). */
  isArrival: boolean;
  /** Where to go once MFA is on (e.g. the Accounts page entering that account), when given and safe. */
  next: string | undefined;
  /** Leaves for `next` (or drops the query), once the person has saved their recovery codes. */
  finish: () => void;
}

/**
 * Reads the way in from another section (the Accounts page's "Set up now" and the switch to an
 * account whose policy requires MFA) and the way back out. `next` goes through
 * {@link getSafeNextPath}: never an open redirect.
 */
export function useSetupArrival(): SetupArrival {
  const [searchParams] = useSearchParams();
  const navigate = useNavigate();
  const isArrival = searchParams.get("setup") === "mfa";
  const next = isArrival ? getSafeNextPath(searchParams.get("next")) : undefined;

  function finish() {
    if (!isArrival) return;
    void navigate(next ?? "/profile/security", { replace: true });
  }

  return { isArrival, next, finish };
}
