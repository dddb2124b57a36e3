import { describe, expect, it } from "vitest";
import { escapeHtml } from "../../lib/mail/escape-html.js";
import { emailChangedMail, emailChangeConfirmationMail, emailChangeNoticeMail } from "./email-change.mails.js";

const input = {
  firstName: `<img src=x onerror=alert(1)>"'&`,
  oldEmail: "old@example.com",
  newEmail: "new@example.com",
  confirmUrl: "http://localhost:3000/confirm-email?token=abc&x=<y>",
  expiresAt: "2026-11-28T12:00:00.000Z",
  securityUrl: "http://localhost:3000/profile/security",
  lockdownUrl: "http://localhost:3000/lockdown?token=lockdown-token",
};

describe("email-change mails", () => {
  it("H4: escapes user text in the HTML part and keeps it readable in the text part", () => {
    for (const mail of [emailChangeConfirmationMail(input), emailChangeNoticeMail(input)]) {
      expect(mail.html).not.toContain("<img");
      expect(mail.html).toContain("&lt;img src=x onerror=alert(1)&gt;&quot;&#39;&amp;");
      expect(mail.text).toContain(input.firstName);
    }
  });

  it("sends the confirmation link to the new address only; the notice to the old one carries only the lockdown link", () => {
    const confirm = emailChangeConfirmationMail(input);
    expect(confirm.to).toBe("new@example.com");
    expect(confirm.text).toContain(input.confirmUrl);
    expect(confirm.html).toContain(`href="${escapeHtml(input.confirmUrl)}"`);
    const notice = emailChangeNoticeMail(input);
    expect(notice.to).toBe("old@example.com");
    expect(notice.text + notice.html).not.toContain(input.confirmUrl);
    expect(notice.text + notice.html).not.toContain("confirm-email");
    expect(notice.text).toContain(`This wasn't me — secure my account: ${input.lockdownUrl}`);
    expect(notice.html).toContain(`href="${escapeHtml(input.lockdownUrl)}"`);
  });

  it("the 'address was changed' notice goes to the old address with the lockdown link, escaped", () => {
    const mail = emailChangedMail({ ...input, at: "2026-11-28T12:00:00.000Z" });
    expect(mail.to).toBe("old@example.com");
    expect(mail.subject).toMatch(/email address was changed/);
    expect(mail.text).toContain(input.lockdownUrl);
    expect(mail.html).not.toContain("<img");
    expect(mail.html).toContain(`href="${escapeHtml(input.lockdownUrl)}"`);
  });
});
