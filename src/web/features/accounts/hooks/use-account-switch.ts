import { useNavigate } from "react-router";
import { isApiError } from "../../../lib/api-error";
import { getErrorMessage } from "../../../lib/error-messages";
import { useSwitchActiveAccount } from "../api/switch-active-account";
import { clearPendingSwitch, rememberPendingSwitch } from "./pending-switch";

/** What happened when the person tried to enter an account; the Accounts page shows it. */
export type SwitchOutcome =
  | { kind: "entered"; accountId: string; name: string; nudge: boolean }
  | { kind: "setup-required"; accountId: string; name: string }
  | { kind: "reverify"; accountId: string; name: string }
  | { kind: "error"; message: string }
  | { kind: "welcome"; accountId: string; name: string };

/** Router state of `/profile/accounts`. */
export interface AccountsLocationState {
  outcome?: SwitchOutcome;
}

/** Path of the Accounts page that enters `accountId` on arrival. */
export function buildEnterAccountPath(accountId: string): string {
  return `/profile/accounts?enter=${encodeURIComponent(accountId)}`;
}

/** The step that names an account requiring MFA, sets MFA up and then enters the account. */
export function buildMfaRequiredPath(accountId: string): string {
  return `/profile/mfa-required?account=${encodeURIComponent(accountId)}`;
}

/** MFA setup on the Security page, coming back to the Accounts page: `/profile/security?setup=mfa&next=…`. */
export function buildMfaSetupPath(): string {
  return `/profile/security?setup=mfa&next=${encodeURIComponent("/profile/accounts")}`;
}

/**
 * Switching the active account from anywhere (the page's "Switch" buttons, the top-bar switcher).
 * A `required` account without MFA leads straight to the step that sets MFA up for it (and the
 * account is entered once MFA is on);
 * every other outcome is shown on the Accounts page.
 */
export function useAccountSwitch() {
  const navigate = useNavigate();
  const mutation = useSwitchActiveAccount();

  function show(outcome: SwitchOutcome) {
    const state: AccountsLocationState = { outcome };
    void navigate("/profile/accounts", { state });
  }

  /** Enters the account; `leadIntoSetup: false` reports a missing MFA instead of opening setup. */
  function switchTo(account: { id: string; name?: string }, options: { leadIntoSetup?: boolean } = {}) {
    const name = account.name ?? account.id;
    mutation.mutate(account.id, {
      onSuccess: (result) => {
        clearPendingSwitch();
        show({ kind: "entered", accountId: result.accountId, name: result.name, nudge: result.nudge === "set_up_mfa" });
      },
      onError: (error) => {
        if (!isApiError(error, "mfa_setup_required")) {
          clearPendingSwitch();
          return show({ kind: "error", message: getErrorMessage(error) });
        }
        if (error.details.mfaEnabled === true) return show({ kind: "reverify", accountId: account.id, name });
        rememberPendingSwitch(account.id);
        if (options.leadIntoSetup === false) return show({ kind: "setup-required", accountId: account.id, name });
        void navigate(buildMfaRequiredPath(account.id));
      },
    });
  }

  return { switchTo, isPending: mutation.isPending, pendingAccountId: mutation.isPending ? mutation.variables : undefined };
}
