import { describe, expect, it } from "vitest";
import { escapeHtml } from "../../lib/mail/escape-html.js";
import { passwordResetMail, passwordResetNoticeMail } from "./auth.mails.js";

describe("sign-in mails", () => {
  it("H4: values are HTML-escaped in the HTML part and left as typed in the text part", () => {
    const mail = passwordResetMail({
      to: "ada@example.test",
      firstName: `<img src=x onerror="alert(1)">&'`,
      resetUrl: "https://profile.example.test/reset-password?token=abc_DEF-123&x=1",
      validMinutes: 30,
      ip: "203.0.113.5",
    });
    expect(mail.html).not.toContain("<img");
    expect(mail.html).toContain("&lt;img src=x onerror=&quot;alert(1)&quot;&gt;&amp;&#39;");
    expect(mail.html).toContain('href="https://profile.example.test/reset-password?token=abc_DEF-123&amp;x=1"');
    expect(mail.text).toContain("https://profile.example.test/reset-password?token=abc_DEF-123&x=1");
    expect(mail.text).toContain("30 minutes");
    expect(mail.text).toContain("203.0.113.5");
  });

  it("the reset notice links to the sign-in and forgot-password pages and carries no token", () => {
    const mail = passwordResetNoticeMail({
      to: "ada@example.test",
      firstName: "Ada",
      signInUrl: "https://profile.example.test/login",
      forgotUrl: "https://profile.example.test/forgot-password",
    });
    expect(mail.text).toContain("https://profile.example.test/login");
    expect(mail.text).toContain("https://profile.example.test/forgot-password");
    expect(mail.text).not.toMatch(/token=/);
    expect(escapeHtml(`a&b<c>"d'`)).toBe("a&amp;b&lt;c&gt;&quot;d&#39;");
  });
});
