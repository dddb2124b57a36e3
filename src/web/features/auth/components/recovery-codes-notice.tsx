import { Link, useLocation, useNavigate } from "react-router";
import { Alert } from "../../../components/ui/alert";
import type { AuthenticatedResponse } from "../api/login-mfa";
import "./recovery-codes-notice.css";

/** At or below this many recovery codes left, the notice asks for new ones and links there. */
export const LOW_RECOVERY_CODES = 3;

/** Navigation state the code step hands to the page it sends the person on to. */
export interface RecoveryCodesNoticeState {
  recoveryCodesLeft: number;
}

/**
 * The navigation state for the page after the code step: set only when the server says a
 * recovery code was used (`recoveryCodesLeft` in the answer), else undefined.
 */
export function getRecoveryCodesNoticeState(response: AuthenticatedResponse): RecoveryCodesNoticeState | undefined {
  return response.recoveryCodesLeft === undefined ? undefined : { recoveryCodesLeft: response.recoveryCodesLeft };
}

/** `recoveryCodesLeft` from a location's state (history state is untyped: check it). */
function readRecoveryCodesLeft(state: unknown): number | undefined {
  if (!state || typeof state !== "object" || !("recoveryCodesLeft" in state)) return undefined;
  const left = state.recoveryCodesLeft;
  return typeof left === "number" && Number.isInteger(left) && left >= 0 ? left : undefined;
}

function describeCodesLeft(left: number): string {
  if (left === 0) return "You have no recovery codes left.";
  return `You have ${left} recovery ${left === 1 ? "code" : "codes"} left.`;
}

/**
 * After a sign-in with a recovery code, the next page says how many codes are left; with
 * {@link LOW_RECOVERY_CODES} or fewer it links to the Security page to generate new ones
 * (each code works once: running out means losing the way back in without the app).
 * It lives in the location's state, so it goes away on the next navigation or on dismiss.
 */
export function RecoveryCodesNotice() {
  const location = useLocation();
  const navigate = useNavigate();
  const left = readRecoveryCodesLeft(location.state);
  if (left === undefined) return null;
  const isLow = left <= LOW_RECOVERY_CODES;

  function handleDismiss() {
    void navigate({ pathname: location.pathname, search: location.search, hash: location.hash }, { replace: true });
    // The dismiss button disappears with the notice: keep keyboard focus in the page.
    document.getElementById("main-content")?.focus();
  }

  return (
    <Alert
      className="recovery-codes-notice"
      tone={isLow ? "warning" : "info"}
      title="You signed in with a recovery code"
      action={isLow ? <Link to="/profile/security">Generate new recovery codes</Link> : undefined}
      onDismiss={handleDismiss}
    >
      {describeCodesLeft(left)}{" "}
      {isLow ? "Generate new ones so you can still sign in if you lose your authenticator app." : "Each code works once."}
    </Alert>
  );
}
