/**
 * The account a person tried to enter before setting up MFA, kept for this browser tab
 * (sessionStorage) so that once MFA is on, the switch happens without asking again.
 */
const KEY = "pc.accounts.pendingSwitch";
const ACCOUNT_ID = /^(VA|PA)-\d{3}-\d{3}$/;

/** Remembers the account to enter once MFA is on. */
export function rememberPendingSwitch(accountId: string): void {
  try {
    window.sessionStorage.setItem(KEY, accountId);
  } catch {
    // Storage can be unavailable (private mode); the page then simply asks again.
  }
}

/** The account waiting to be entered, if any (only well-formed account ids). */
export function readPendingSwitch(): string | undefined {
  try {
    const value = window.sessionStorage.getItem(KEY);
    return value && ACCOUNT_ID.test(value) ? value : undefined;
  } catch {
    return undefined;
  }
}

/** Forgets the pending switch. */
export function clearPendingSwitch(): void {
  try {
    window.sessionStorage.removeItem(KEY);
  } catch {
    // Nothing to clear.
  }
}
