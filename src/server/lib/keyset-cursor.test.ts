import { describe, expect, it } from "vitest";
import { decodeTimeCursor, encodeTimeCursor, pageByTime } from "./keyset-cursor.js";

describe("time keyset cursors", () => {
  it("round-trips a position and looks opaque", () => {
    const cursor = encodeTimeCursor({ at: 1_795_000_000_000, id: "abc_DEF-123" });
    expect(cursor).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(decodeTimeCursor(cursor)).toEqual({ at: 1_795_000_000_000, id: "abc_DEF-123" });
  });

  it.each([
    "",
    "not base64 !",
    Buffer.from("{}").toString("base64url"),
    Buffer.from('[1.5,"a"]').toString("base64url"),
    Buffer.from('[-1,"a"]').toString("base64url"),
    Buffer.from('[1,""]').toString("base64url"),
    Buffer.from(`[1,"${"x".repeat(65)}"]`).toString("base64url"),
    Buffer.from('["1","a"]').toString("base64url"),
    Buffer.from("[1,").toString("base64url"),
    "A".repeat(600),
  ])("refuses %j", (cursor) => {
    expect(decodeTimeCursor(cursor)).toBeUndefined();
  });

  it("pages limit+1 rows: a cursor only when there is more", () => {
    const rows = [3, 2, 1].map((n) => ({ at: n, id: `id${n}` }));
    expect(pageByTime(rows, 3, (r) => r).nextCursor).toBeNull();
    const page = pageByTime(rows, 2, (r) => r);
    expect(page.page).toHaveLength(2);
    expect(decodeTimeCursor(page.nextCursor ?? "")).toEqual({ at: 2, id: "id2" });
  });
});
