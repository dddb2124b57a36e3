import { hotQueryFamily, type PrepareHotQuery, type RowValues } from "../../db/hot-query.js";

/** An app that signed in through a session (the Sessions page's cards). */
export interface SessionApp {
  clientId: string;
  name: string;
}

/*
 * The apps of the sessions the Sessions page shows, on every visit of it: prepared statements
 * (db/hot-query.ts). Most people never sign in to an app through Profile Center, so a one-row
 * probe of the person's links (`sso_session_clients_user_idx`) comes first and the page's lookup
 * (primary key `session_id, client_id`) runs only for people who have any.
 */

const decodeApp = (v: RowValues) => ({ sessionId: v[0] as string, clientId: v[1] as string, name: v[2] as string });

export function createSessionApps(prepareHot: PrepareHotQuery) {
  const hasLinks = prepareHot(
    "sso_user_has_links_v1",
    "select 1 from sso_session_clients where user_id = ? limit 1",
    (v) => v[0],
  );
  /** One statement per number of sessions asked about (a page holds at most a few dozen). */
  const appsOf = hotQueryFamily(
    prepareHot,
    (count: number) => `sso_session_apps_v1_${count}`,
    (count) =>
      `select sc.session_id, sc.client_id, c.name from sso_session_clients sc
         join oidc_clients c on c.client_id = sc.client_id
        where sc.user_id = ? and sc.session_id in (${Array.from({ length: count }, () => "?").join(", ")})
        order by sc.created_at, sc.client_id`,
    decodeApp,
  );

  return {
    /** The apps that signed in through each of the person's `sessionIds`, oldest first; absent when none. */
    async appsOfSessions(userId: string, sessionIds: readonly string[]): Promise<Map<string, SessionApp[]>> {
      const out = new Map<string, SessionApp[]>();
      if (sessionIds.length === 0 || (await hasLinks([userId])).length === 0) return out;
      for (const row of await appsOf(sessionIds.length)([userId, ...sessionIds])) {
        const list = out.get(row.sessionId) ?? [];
        list.push({ clientId: row.clientId, name: row.name });
        out.set(row.sessionId, list);
      }
      return out;
    },
  };
}

export type SessionApps = ReturnType<typeof createSessionApps>;
