import type { Executor } from "./schema.js";

/**
 * A repository: the statements of the tables one feature owns, run on the database it was made
 * with, and `in(trx)` for the same statements inside a transaction. Every statement of a
 * transaction must go through it: on SQLite a statement on the database itself would wait for the
 * transaction, which waits for the statement.
 */
export type Repo<Statements> = Statements & {
  /** The same statements, run by `executor` (an open transaction). */
  in(executor: Executor): Statements;
};

/**
 * A repository factory from the statements written against an executor. `context` carries what
 * the statements need besides it (e.g. the SQL dialect), the same in and out of transactions.
 */
export function defineRepo<Statements extends object, Context = undefined>(
  statements: (executor: Executor, context: Context) => Statements,
) {
  return (db: Executor, ...[context]: Context extends undefined ? [] : [Context]): Repo<Statements> => {
    const ctx = context as Context;
    return { ...statements(db, ctx), in: (executor: Executor) => statements(executor, ctx) };
  };
}
