import {
  PostgresDialect,
  PostgresDriver,
  SqliteDriver,
  type DatabaseConnection,
  type Driver,
  type PostgresDialectConfig,
  type SqliteDialectConfig,
} from "kysely";
import { StableLimitSqliteDialect } from "./limit.js";

/*
 * Rollbacks that never hide the error that caused them.
 *
 * Kysely rolls a transaction back when its callback (or COMMIT) throws, and when that rollback
 * throws too, the rollback's error replaces the first one. On SQLite a disk-full, I/O or busy
 * error has often already rolled the transaction back by itself, so the ROLLBACK fails with
 * "cannot rollback - no transaction is active" and the SQLITE_FULL that mattered was lost. On
 * PostgreSQL a terminated backend fails the ROLLBACK as well ("Connection terminated").
 * The first error is what the error handler classifies and logs, so it must reach it.
 */

/** SQLite: a failed ROLLBACK is ignored when SQLite has already ended the transaction itself. */
class SafeRollbackSqliteDriver extends SqliteDriver {
  constructor(
    config: SqliteDialectConfig,
    private readonly inTransaction: () => boolean,
  ) {
    super(config);
  }

  override async rollbackTransaction(connection: DatabaseConnection): Promise<void> {
    try {
      await super.rollbackTransaction(connection);
    } catch (error) {
      // Still inside a transaction: the connection is unusable as it is, so that must be seen.
      if (this.inTransaction()) throw error;
    }
  }
}

/** The SQLite dialect (stable LIMITs) whose rollbacks keep the first error. */
export class SafeRollbackSqliteDialect extends StableLimitSqliteDialect {
  constructor(
    private readonly dialectConfig: SqliteDialectConfig,
    private readonly inTransaction: () => boolean,
  ) {
    super(dialectConfig);
  }

  override createDriver(): Driver {
    return new SafeRollbackSqliteDriver(this.dialectConfig, this.inTransaction);
  }
}

/**
 * PostgreSQL: Kysely already discards a connection whose ROLLBACK failed (it never returns to the
 * pool), so ignoring that failure loses nothing and keeps the first error.
 */
class SafeRollbackPostgresDriver extends PostgresDriver {
  override async rollbackTransaction(connection: Parameters<PostgresDriver["rollbackTransaction"]>[0]): Promise<void> {
    try {
      await super.rollbackTransaction(connection);
    } catch {
      // The connection is discarded; the transaction's own error is the one that is thrown.
    }
  }
}

/** The PostgreSQL dialect whose rollbacks keep the first error. */
export class SafeRollbackPostgresDialect extends PostgresDialect {
  constructor(private readonly dialectConfig: PostgresDialectConfig) {
    super(dialectConfig);
  }

  override createDriver(): Driver {
    return new SafeRollbackPostgresDriver(this.dialectConfig);
  }
}
