import { sql } from "kysely";
import { describe, expect, it } from "vitest";
import { useTestApp } from "@test/use-test-app.js";
import { insertUser } from "@test/factories.js";
import { hotQueryFamily, toPostgresPlaceholders, type PrepareHotQuery } from "./hot-query.js";

/* The hot queries (docs/design/hot-statements.md): same answers as through Kysely, and never a peek into another request's transaction. */

const t = useTestApp({}, { scope: "suite" });

const emailOf = (values: readonly unknown[]) => ({ email: values[0] as string, createdAt: values[1] as number });

describe("hot queries", () => {
  it("return the rows decoded, with parameters bound in order", async () => {
    const user = await insertUser(t);
    const query = t.database.prepareHot(
      "test_user_email_v1",
      "select email, created_at from users where id = ? and email = ?",
      emailOf,
    );
    expect(await query([user.id, user.email])).toEqual([{ email: user.email, createdAt: user.createdAt }]);
    expect(await query([user.id, "someone-else@example.com"])).toEqual([]);
  });

  it("wait for a transaction in progress and never see what it rolls back", async () => {
    const query = t.database.prepareHot("test_user_by_email_v1", "select email, created_at from users where email = ?", emailOf);
    const email = "rolled-back@example.com";
    let seenInside: Promise<unknown[]> | undefined;
    await t.database.db
      .transaction()
      .execute(async (trx) => {
        const now = Date.now();
        await sql`insert into users (id, email, first_name, last_name, locale, timezone, date_format, time_format, news_opt_in, created_at, updated_at)
          values ('UR-999-999-999', ${email}, 'A', 'B', 'en-GB', 'UTC', 'YYYY-MM-DD', '24h', 0, ${now}, ${now})`.execute(trx);
        seenInside = query([email]); // another request's read while this transaction is open
        await new Promise((resolve) => setTimeout(resolve, 20));
        throw new Error("roll back");
      })
      .catch(() => undefined);
    expect(await seenInside).toEqual([]);
    expect(await query([email])).toEqual([]);
  });

  it("refuse a name already used for other SQL (a PostgreSQL connection would refuse it later)", () => {
    t.database.prepareHot("test_named_v1", "select 1", (values) => values[0]);
    expect(() => t.database.prepareHot("test_named_v1", "select 2", (values) => values[0])).toThrow(/already defined/);
  });

  it("of one family are prepared once per key, each with its own statement", async () => {
    const user = await insertUser(t);
    const prepared: string[] = [];
    const counting: PrepareHotQuery = (name, text, decode) => {
      prepared.push(name);
      return t.database.prepareHot(name, text, decode);
    };
    const byColumns = hotQueryFamily(
      counting,
      (columns: number) => `test_family_${columns}_v1`,
      (columns) => `select ${["email", "first_name", "last_name"].slice(0, columns).join(", ")} from users where id = ?`,
      (values) => values.length,
    );
    expect(await byColumns(1)([user.id])).toEqual([1]);
    expect(await byColumns(3)([user.id])).toEqual([3]);
    expect(await byColumns(1)([user.id])).toEqual([1]);
    expect(prepared).toEqual(["test_family_1_v1", "test_family_3_v1"]);
  });

  it("number their placeholders for PostgreSQL in order", () => {
    expect(toPostgresPlaceholders("select ? where a = ? and b in (?, ?)")).toBe("select $1 where a = $2 and b in ($3, $4)");
  });
});
