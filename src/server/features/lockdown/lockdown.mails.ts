import { escapeHtml } from "../../lib/mail/escape-html.js";
import type { MailMessage } from "../mail/mailer.js";

const PRODUCT = "Profile Center";

/** What the lockdown's confirmation says. */
export interface LockdownMailInput {
  to: string;
  firstName: string;
  sessionsEnded: number;
  appsRevoked: number;
  /** The address the login went back to, when an email change was undone. */
  restoredEmail: string | null;
  /** When, already rendered in the person's zone and formats. */
  time: string;
  forgotUrl: string;
}

/** Confirms a lockdown: what was done, and how to get back in (the reset link comes in its own mail). */
export function lockdownConfirmationMail(input: LockdownMailInput): MailMessage {
  const lines = [
    `Hello ${input.firstName},`,
    `Your ${PRODUCT} login was secured on ${input.time}, as asked from a "This wasn't me" link:`,
    `- every session was signed out (${input.sessionsEnded} active)${input.appsRevoked > 0 ? ` and ${input.appsRevoked} connected app(s) lost access` : ""};`,
    "- your password no longer signs you in: set a new one with the link in the separate password-reset mail;",
    ...(input.restoredEmail
      ? [`- the recent change of your email address was undone: your login uses ${input.restoredEmail} again;`]
      : []),
    "- your two-factor authentication settings were kept.",
    `If the reset link has expired, ask for a new one: ${input.forgotUrl}`,
  ];
  return {
    to: input.to,
    subject: `Your ${PRODUCT} login was secured`,
    text: `${lines.join("\n\n")}\n\n${PRODUCT}\n`,
    html: `<!doctype html>\n<html><body>\n${lines.map((l) => `<p>${escapeHtml(l)}</p>`).join("\n")}\n<p>${PRODUCT}</p>\n</body></html>\n`,
  };
}
