import type { FastifyInstance } from "fastify";

/** Background work of a running node: mail delivery now (and maintenance jobs as features add them). */
export function startBackgroundJobs(app: FastifyInstance): { stop(): void } {
  const timers: NodeJS.Timeout[] = [];
  const safely = (name: string, work: () => Promise<unknown>) => () => {
    work().catch((error: unknown) => app.log.warn({ job: name, err: (error as Error).message }, "background job failed"));
  };
  const deliver = safely("mail", () => app.services.mailer.deliverDueMail());
  deliver();
  timers.push(setInterval(deliver, 5_000));
  // Sessions a cut left to mark ended (this node does it at once; this catches a crash or another node's).
  const settle = safely("session-cuts", () => app.services.sessions.settlePendingCuts());
  timers.push(setInterval(settle, 10_000));
  // Session history, used tokens, idle throttles, old mail: at start, then hourly (one node at a time).
  const prune = safely("history-prune", () => app.services.historyPruner.runJob());
  prune();
  timers.push(setInterval(prune, 3_600_000));
  for (const t of timers) t.unref();
  return { stop: () => timers.forEach((t) => clearInterval(t)) };
}
