import { getSafeNextPath, isServerPath } from "../../../lib/safe-next-path";

/** The sign-in an app asked for, from `?next=` (only `/oidc/interaction/<uid>`), else undefined. */
export function interactionFrom(searchParams: URLSearchParams): string | undefined {
  const next = getSafeNextPath(searchParams.get("next"));
  return isServerPath(next) ? next : undefined;
}
