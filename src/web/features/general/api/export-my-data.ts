import type { ExportDocument } from "@contracts/data-export";
import { api } from "../../../lib/api-client";

/** What the person typed to confirm it's them (only when the server asked). */
export interface ExportCredentials {
  password?: string;
  code?: string;
}

/**
 * `GET /api/v1/me/export`, a sensitive call: with credentials, the session first re-authenticates
 * (`POST /auth/reauthenticate`), since a GET carries no body. Answers the document.
 */
export async function fetchMyData(credentials: ExportCredentials, signal: AbortSignal): Promise<ExportDocument> {
  if (credentials.password !== undefined) {
    await api.post<void>(
      "/auth/reauthenticate",
      { password: credentials.password, ...(credentials.code ? { code: credentials.code } : {}) },
      { signal },
    );
  }
  return api.get<ExportDocument>("/me/export", { signal });
}

/** Saves the document as `profile-center-data-<id>-<date>.json` through a temporary link. */
export function saveAsFile(document: ExportDocument): void {
  const blob = new Blob([JSON.stringify(document, null, 2)], { type: "application/json" });
  const url = URL.createObjectURL(blob);
  const link = window.document.createElement("a");
  link.href = url;
  link.download = `profile-center-data-${document.profile.id}-${document.exportedAt.slice(0, 10)}.json`;
  window.document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 0);
}
