import { describe, expect, it } from "vitest";
import {
  decodeNameCursor,
  decodeTimeCursor,
  encodeNameCursor,
  encodeTimeCursor,
  pageByName,
  pageByTime,
} from "./keyset-cursor.js";

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

describe("name keyset cursors", () => {
  it("round-trip a position, including unicode and quotes", () => {
    const position = { sortKey: 'o\'brien "zürich" 100%', id: "PA-123-456" };
    expect(decodeNameCursor(encodeNameCursor(position))).toEqual(position);
  });

  it("refuse anything that is not one of ours", () => {
    for (const bad of [
      "",
      "%%%",
      "not base64!",
      Buffer.from("[1,2]").toString("base64url"),
      Buffer.from('{"k":1,"i":"x"}').toString("base64url"),
    ]) {
      expect(decodeNameCursor(bad), bad).toBeUndefined();
    }
  });

  it("splits limit + 1 rows into a page and the next cursor", () => {
    const rows = [1, 2, 3].map((n) => ({ sortKey: `k${n}`, id: `id${n}` }));
    const { page, nextCursor } = pageByName(rows, 2);
    expect(page.map((r) => r.id)).toEqual(["id1", "id2"]);
    expect(decodeNameCursor(nextCursor ?? "")).toEqual({ sortKey: "k2", id: "id2" });
    expect(pageByName(rows, 3).nextCursor).toBeNull();
  });
});
