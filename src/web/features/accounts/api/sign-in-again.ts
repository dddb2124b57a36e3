import { api } from "../../../lib/api-client";
import { buildLoginPath } from "../../../lib/safe-next-path";

/**
 * Ends this session and opens the sign-in page, coming back to `next` afterwards: for an
 * account that requires MFA to have been used in this very session (sign in with the code).
 */
export async function signInAgain(next: string): Promise<void> {
  try {
    await api.post<void>("/auth/logout");
  } finally {
    window.location.assign(buildLoginPath(next));
  }
}
