import { defineRepo } from "../../db/repo.js";
import type { Executor, WebauthnChallengesTable } from "../../db/schema.js";

/*
 * The `webauthn_challenges` table: challenges handed out and not used yet. A browser has at most
 * one live challenge per purpose (a new one replaces it), and a challenge is taken once.
 */

function challengeStatements(ex: Executor) {
  return {
    /**
     * Stores `row` as the browser's live challenge for its purpose, replacing the previous one,
     * and drops every expired challenge (whoever's: abandoned sign-in pages leave some).
     */
    async replace(row: WebauthnChallengesTable, now: number): Promise<void> {
      await ex.deleteFrom("webauthnChallenges").where("expiresAt", "<=", now).execute();
      await ex.deleteFrom("webauthnChallenges").where("binding", "=", row.binding).where("purpose", "=", row.purpose).execute();
      await ex.insertInto("webauthnChallenges").values(row).execute();
    },

    /**
     * Takes the browser's live challenge for `purpose`: it is deleted by one conditional DELETE,
     * so of two concurrent requests (on any nodes) exactly one gets it. Undefined when there is
     * none, it expired, or another request took it.
     */
    async take(binding: string, purpose: string, now: number): Promise<WebauthnChallengesTable | undefined> {
      const row = await ex
        .selectFrom("webauthnChallenges")
        .selectAll()
        .where("binding", "=", binding)
        .where("purpose", "=", purpose)
        .where("expiresAt", ">", now)
        .orderBy("createdAt", "desc")
        .executeTakeFirst();
      if (!row) return undefined;
      const result = await ex.deleteFrom("webauthnChallenges").where("id", "=", row.id).executeTakeFirst();
      return Number(result.numDeletedRows) === 1 ? row : undefined;
    },
  };
}

export const createWebauthnChallengesRepo = defineRepo(challengeStatements);
export type WebauthnChallengesRepo = ReturnType<typeof createWebauthnChallengesRepo>;
