import { describe, expect, it } from "vitest";
import { useTestApp } from "@test/use-test-app.js";
import { insertUser } from "@test/factories.js";
import { TEST_DIALECT } from "@test/database.js";
import { hasBareLimitParameter, LIMIT_PARAMETER } from "./limit.js";

/* LIMIT as a bound parameter that SQLite does not plan again on every run (db/limit.ts). */

const t = useTestApp({}, { scope: "suite" });

describe("a LIMIT bound as a parameter", () => {
  it("limits a Kysely query to the bound value, written as a cast on SQLite (subqueries too)", async () => {
    for (let i = 0; i < 3; i++) await insertUser(t);
    const db = t.database.db;
    const query = (n: number) => db.selectFrom("users").select("id").orderBy("id").limit(n);
    if (TEST_DIALECT === "sqlite") {
      expect(query(2).compile().sql).toMatch(/limit cast\(\? as integer\)$/);
      const nested = db.selectFrom("users").select("id").where("id", "in", query(2));
      expect(nested.compile().sql).toMatch(/limit cast\(\? as integer\)\)$/);
      expect(await nested.execute()).toHaveLength(2);
    }
    expect(await query(2).execute()).toHaveLength(2);
    expect(await query(1).execute()).toHaveLength(1);
  });

  it("limits a hot query to the bound value", async () => {
    for (let i = 0; i < 3; i++) await insertUser(t);
    const query = t.database.prepareHot(
      "test_limit_parameter_v1",
      `select id from users order by id limit ${LIMIT_PARAMETER}`,
      (values) => values[0],
    );
    expect(await query([2])).toHaveLength(2);
    expect(await query([3])).toHaveLength(3);
  });

  it("is refused bare in a hot query, which SQLite would plan again on every run", () => {
    expect(() => t.database.prepareHot("test_bare_limit_v1", "select id from users limit ?", (values) => values[0])).toThrow(
      /bare "limit \?"/,
    );
    expect(() =>
      t.database.prepareHot("test_bare_limit_spaced_v1", "select id from users\nLIMIT  ?", (values) => values[0]),
    ).toThrow(/bare "limit \?"/);
  });

  it("is told apart from a literal or a cast LIMIT", () => {
    expect(hasBareLimitParameter("select 1 limit ?")).toBe(true);
    expect(hasBareLimitParameter("select 1 limit 10")).toBe(false);
    expect(hasBareLimitParameter(`select 1 limit ${LIMIT_PARAMETER}`)).toBe(false);
  });
});
