import { useEffect, useRef } from "react";
import { isApiError } from "../../../lib/api-error";
import { useSwitchActiveAccount } from "../api/switch-active-account";
import { clearPendingSwitch, readPendingSwitch } from "./pending-switch";

/**
 * Once MFA is on, enters the account the person was stopped at (remembered when they were led
 * into setup), wherever they are: the top bar then shows it as active. It does not navigate,
 * so the Security page can still show the new recovery codes.
 */
export function useResumePendingSwitch(mfaEnabled: boolean | undefined): void {
  const { mutate } = useSwitchActiveAccount();
  const tried = useRef<string | undefined>(undefined);
  useEffect(() => {
    const pending = readPendingSwitch();
    if (!mfaEnabled || !pending || tried.current === pending) return;
    tried.current = pending;
    mutate(pending, {
      onSuccess: () => clearPendingSwitch(),
      onError: (error) => {
        if (!isApiError(error, "mfa_setup_required")) clearPendingSwitch();
      },
    });
  }, [mfaEnabled, mutate]);
}
