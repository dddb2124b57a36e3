import { escapeHtml } from "../../lib/mail/escape-html.js";
import type { MailMessage } from "../mail/mailer.js";

const PRODUCT = "Profile Center";

function layout(paragraphs: string[], action?: { label: string; url: string }): string {
  const body = paragraphs.map((p) => `<p>${escapeHtml(p)}</p>`).join("\n");
  const button = action
    ? `<p><a href="${escapeHtml(action.url)}">${escapeHtml(action.label)}</a></p>\n<p>${escapeHtml(
        "If the button does not work, copy this address into your browser:",
      )}<br>${escapeHtml(action.url)}</p>`
    : "";
  return `<!doctype html>\n<html><body>\n${body}\n${button}\n<p>${PRODUCT}</p>\n</body></html>\n`;
}

export interface EmailChangeMailInput {
  firstName: string;
  oldEmail: string;
  newEmail: string;
  confirmUrl: string;
  /** When the link stops working, as an ISO UTC timestamp. */
  expiresAt: string;
  /** Where the person reviews their security settings. */
  securityUrl: string;
}

/** The confirmation link, sent to the NEW address: the change happens only when it is opened. */
export function emailChangeConfirmationMail(input: EmailChangeMailInput): MailMessage {
  const lines = [
    `Hello ${input.firstName},`,
    `You asked to change the email address of your ${PRODUCT} login from ${input.oldEmail} to ${input.newEmail}.`,
    `Open the link below to confirm this address. It works once and expires in 24 hours (${input.expiresAt}).`,
    "If you did not ask for this, ignore this email: nothing changes.",
  ];
  return {
    to: input.newEmail,
    subject: `Confirm your new email address for ${PRODUCT}`,
    text: `${lines.join("\n\n")}\n\n${input.confirmUrl}\n\n${PRODUCT}\n`,
    html: layout(lines, { label: "Confirm my new email address", url: input.confirmUrl }),
  };
}

/** The words of the "This wasn't me" link. */
const LOCKDOWN_LABEL = "This wasn't me — secure my account";

/** The notice to the OLD address: someone signed in as you asked to move your login elsewhere. */
export function emailChangeNoticeMail(input: EmailChangeMailInput & { lockdownUrl: string }): MailMessage {
  const lines = [
    `Hello ${input.firstName},`,
    `Someone signed in to your ${PRODUCT} login asked to change its email address from ${input.oldEmail} to ${input.newEmail}.`,
    "The address changes only when the link sent to the new address is opened; until then you keep signing in with this one.",
    `If this was not you, secure your account: the link below signs out every session, cancels the change (or undoes it within 7 days) and asks for a new password. It works once, for 7 days.`,
  ];
  return {
    to: input.oldEmail,
    subject: `Your ${PRODUCT} email address is being changed`,
    text: `${lines.join("\n\n")}\n\n${LOCKDOWN_LABEL}: ${input.lockdownUrl}\n\nReview your security settings: ${input.securityUrl}\n\n${PRODUCT}\n`,
    html: layout(lines, { label: LOCKDOWN_LABEL, url: input.lockdownUrl }),
  };
}

/** What the "your address was changed" notice says. */
export interface EmailChangedMailInput {
  firstName: string;
  oldEmail: string;
  newEmail: string;
  /** When, as an ISO UTC timestamp. */
  at: string;
  securityUrl: string;
  lockdownUrl: string;
}

/** Sent to the OLD address once the change is confirmed: the last chance to undo it from there. */
export function emailChangedMail(input: EmailChangedMailInput): MailMessage {
  const lines = [
    `Hello ${input.firstName},`,
    `The email address of your ${PRODUCT} login was changed from ${input.oldEmail} to ${input.newEmail} (${input.at}). Mail about your login now goes to the new address.`,
    "If this was not you, secure your account within 7 days with the link below: it puts this address back, signs out every session and asks for a new password. It works once.",
  ];
  return {
    to: input.oldEmail,
    subject: `Your ${PRODUCT} email address was changed`,
    text: `${lines.join("\n\n")}\n\n${LOCKDOWN_LABEL}: ${input.lockdownUrl}\n\nReview your security settings: ${input.securityUrl}\n\n${PRODUCT}\n`,
    html: layout(lines, { label: LOCKDOWN_LABEL, url: input.lockdownUrl }),
  };
}
