import { SqliteDialect, SqliteQueryCompiler, type LimitNode, type QueryCompiler } from "kysely";

/*
 * A LIMIT bound as a parameter, written so that SQLite keeps the prepared statement.
 *
 * The SQLite that better-sqlite3 bundles (3.53) reads a bare `LIMIT ?` while it plans the
 * statement (computeLimitRegisters → sqlite3ExprIsInteger), takes the bound value as a
 * constant and marks the statement to be compiled again whenever that parameter is bound. So a
 * statement prepared once and reused (the hot queries, the statement cache) would be parsed and
 * planned again on every run, which costs more than running it.
 * `LIMIT cast(? as integer)` is an expression the planner does not evaluate: the value is read
 * when the statement runs, and the statement stays prepared. PostgreSQL reads it the same way.
 */

/** The LIMIT of hand-written SQL (hot queries): `limit ${LIMIT_PARAMETER}`, bound like any `?`. */
export const LIMIT_PARAMETER = "cast(? as integer)";

/** True when SQL has a bare `limit ?`, which SQLite would re-plan on every run. */
export function hasBareLimitParameter(text: string): boolean {
  return /\blimit\s+\?/i.test(text);
}

/** Kysely's SQLite compiler, writing every LIMIT (subqueries too) as `limit cast(… as integer)`. */
class StableLimitCompiler extends SqliteQueryCompiler {
  protected override visitLimit(node: LimitNode): void {
    this.append("limit cast(");
    this.visitNode(node.limit);
    this.append(" as integer)");
  }
}

/** Kysely's SQLite dialect whose queries' `.limit(n)` SQLite does not plan again on every run. */
export class StableLimitSqliteDialect extends SqliteDialect {
  override createQueryCompiler(): QueryCompiler {
    return new StableLimitCompiler();
  }
}
