import { describe, expect, it } from "vitest";
import { databaseFaultOf } from "./db-faults.js";

function withCode(message: string, code: string, extra: Record<string, unknown> = {}) {
  return Object.assign(new Error(message), { code, ...extra });
}

describe("databaseFaultOf", () => {
  it.each([
    [withCode("database or disk is full", "SQLITE_FULL"), "full"],
    [withCode("attempt to write a readonly database", "SQLITE_READONLY_DBMOVED"), "read_only"],
    [withCode("database is locked", "SQLITE_BUSY"), "busy"],
    [withCode("disk I/O error", "SQLITE_IOERR_WRITE"), "io"],
    [withCode("terminating connection due to administrator command", "57P01", { severity: "FATAL" }), "unreachable"],
    [withCode("cannot execute INSERT in a read-only transaction", "25006", { severity: "ERROR" }), "read_only"],
    [withCode("could not extend file: No space left on device", "53100", { severity: "ERROR" }), "full"],
    [withCode("connect ECONNREFUSED 127.0.0.1:5432", "ECONNREFUSED"), "unreachable"],
    [new Error("Connection terminated unexpectedly"), "unreachable"],
    [new AggregateError([withCode("connect ECONNREFUSED ::1:5432", "ECONNREFUSED")], ""), "unreachable"],
    [new Error("wrapped", { cause: withCode("database or disk is full", "SQLITE_FULL") }), "full"],
  ])("%s → %s", (error, kind) => {
    expect(databaseFaultOf(error)?.kind).toBe(kind);
  });

  it.each([
    [withCode("UNIQUE constraint failed: users.email", "SQLITE_CONSTRAINT_UNIQUE")],
    [withCode('duplicate key value violates unique constraint "users_email"', "23505", { severity: "ERROR" })],
    [withCode("invalid byte sequence for encoding UTF8: 0x00", "22021", { severity: "ERROR" })],
    [withCode("not a SQLSTATE, no severity", "57P01")],
    [new TypeError("x is undefined")],
    ["a string"],
    [undefined],
  ])("%s is not a database fault (a bug or bad input stays what it is)", (error) => {
    expect(databaseFaultOf(error)).toBeUndefined();
  });

  it("names the driver's code for the log", () => {
    expect(databaseFaultOf(new Error("x", { cause: withCode("full", "SQLITE_FULL") }))?.dbCode).toBe("SQLITE_FULL");
  });
});
