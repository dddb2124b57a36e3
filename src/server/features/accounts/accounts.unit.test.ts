import { DummyDriver, Kysely, SqliteAdapter, SqliteIntrospector, SqliteQueryCompiler } from "kysely";
import { describe, expect, it } from "vitest";
import { isCompliant, presentNotice, serializeNotice } from "./accounts.presenters.js";
import type { Database } from "../../db/schema.js";
import { createAccountsRepo, likeContains } from "./accounts.repo.js";
import { invitationMail } from "./invitation-mail.js";
import { parseInvitationPayload } from "./invitation-payload.js";

describe("H3: LIKE patterns", () => {
  it("escape %, _ and the escape character itself", () => {
    expect(likeContains("100%")).toBe("%100\\%%");
    expect(likeContains("a_b")).toBe("%a\\_b%");
    expect(likeContains("a\\b")).toBe("%a\\\\b%");
    expect(likeContains("' OR 1=1--")).toBe("%' OR 1=1--%");
  });
});

describe("H3: the operator's account list", () => {
  const compiler = new Kysely<Database>({
    dialect: {
      createAdapter: () => new SqliteAdapter(),
      createDriver: () => new DummyDriver(),
      createIntrospector: (db) => new SqliteIntrospector(db),
      createQueryCompiler: () => new SqliteQueryCompiler(),
    },
  });

  it("binds the search, the type and the keyset position as parameters, never in the SQL text", () => {
    const search = "x' or 1=1 --";
    const query = createAccountsRepo(compiler, "sqlite")
      .accountListQuery({ limit: 20, type: "vendor", q: search, after: { sortKey: "acme'--", id: "VA-123-456" } })
      .compile();
    expect(query.sql).not.toContain("or 1=1");
    expect(query.sql).not.toContain("acme");
    expect(query.parameters).toEqual(expect.arrayContaining(["vendor", "%x' or 1=1 --%", "acme'--", "VA-123-456"]));
    expect(query.sql).toMatch(/like lower\(cast\(\? as text\)\) escape/);
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
