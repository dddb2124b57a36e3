import { DummyDriver, Kysely, SqliteAdapter, SqliteIntrospector, SqliteQueryCompiler } from "kysely";
import { describe, expect, it } from "vitest";
import { isCompliant, presentNotice, serializeNotice } from "./accounts.presenters.js";
import { accountAfter, accountMatches, asCondition, likeContains } from "./account-filters.js";
import { invitationMail } from "./invitation-mail.js";
import { parseInvitationPayload } from "./invitations.repo.js";

describe("H3: LIKE patterns", () => {
  it("escape %, _ and the escape character itself", () => {
    expect(likeContains("100%")).toBe("%100\\%%");
    expect(likeContains("a_b")).toBe("%a\\_b%");
    expect(likeContains("a\\b")).toBe("%a\\\\b%");
    expect(likeContains("' OR 1=1--")).toBe("%' OR 1=1--%");
  });
});

describe("H3: the account filters shared by both lists", () => {
  const compiler = new Kysely<Record<string, never>>({
    dialect: {
      createAdapter: () => new SqliteAdapter(),
      createDriver: () => new DummyDriver(),
      createIntrospector: (db) => new SqliteIntrospector(db),
      createQueryCompiler: () => new SqliteQueryCompiler(),
    },
  });

  it("reach Kysely with the same SQL and every input bound as a parameter, never in the text", () => {
    const search = asCondition(accountMatches, "x' or 1=1 --").compile(compiler);
    expect(search.sql).toBe(accountMatches.sql);
    expect(search.parameters).toEqual(["%x' or 1=1 --%", "%x' or 1=1 --%"]);
    const after = asCondition(accountAfter, { sortKey: "acme", id: "VA-123-456" }).compile(compiler);
    expect(after.sql).toBe(accountAfter.sql);
    expect(after.parameters).toEqual(["acme", "acme", "VA-123-456"]);
  });

  it("refuse a filter whose parameters do not match its placeholders", () => {
    expect(() => asCondition({ sql: "a.id = ?", parameters: () => [] }, undefined)).toThrow(/0 parameters for 1 placeholders/);
  });
});

describe("MFA compliance", () => {
  it("optional is always met; suggested and required need MFA", () => {
    expect([isCompliant("optional", false), isCompliant("suggested", false), isCompliant("required", false)]).toEqual([
      true,
      false,
      false,
    ]);
    expect([isCompliant("suggested", true), isCompliant("required", true)]).toEqual([true, true]);
  });
});

describe("session notices", () => {
  it("present a stored notice with a sentence, and ignore unreadable ones", () => {
    const text = serializeNotice({ code: "account_policy_enforced", accountId: "PA-111-222", accountName: "Meridian", at: 0 });
    expect(presentNotice(text)).toEqual({
      code: "account_policy_enforced",
      accountId: "PA-111-222",
      accountName: "Meridian",
      message: expect.stringContaining("Meridian now requires multi-factor authentication"),
      at: "1970-01-01T00:00:00.000Z",
    });
    for (const bad of [null, "", "not json", '{"code":"other"}', '{"code":"membership_removed"}'])
      expect(presentNotice(bad)).toBeNull();
  });
});

describe("invitations", () => {
  it("the mail escapes the account name in HTML and carries the link in both bodies", () => {
    const mail = invitationMail({
      to: "a@example.test",
      accountName: "<b>Evil</b> & Co",
      link: "https://x.test/invitations/accept?token=abc",
      expiresAt: 0,
    });
    expect(mail.html).toContain("&lt;b&gt;Evil&lt;/b&gt; &amp; Co");
    expect(mail.html).not.toContain("<b>Evil</b>");
    expect(mail.text).toContain("https://x.test/invitations/accept?token=abc");
    expect(mail.html).toContain('href="https://x.test/invitations/accept?token=abc"');
  });

  it("payloads parse only in the expected shape", () => {
    expect(parseInvitationPayload('{"accountId":"VA-123-456","groupIds":["GR-1",2]}')).toEqual({
      accountId: "VA-123-456",
      groupIds: ["GR-1"],
    });
    for (const bad of [null, "", "{", '{"accountId":1,"groupIds":[]}', '{"accountId":"VA-1"}'])
      expect(parseInvitationPayload(bad)).toBeUndefined();
  });
});
