import { escapeHtml } from "../../lib/mail/escape-html.js";
import type { MailMessage } from "../mail/mailer.js";

const PRODUCT = "Profile Center";

function html(paragraphs: string[], action?: { label: string; url: string }): string {
  const body = paragraphs.map((p) => `<p>${escapeHtml(p)}</p>`).join("\n");
  const button = action
    ? `<p><a href="${escapeHtml(action.url)}">${escapeHtml(action.label)}</a></p>\n` +
      `<p>If the link does not work, copy this address into your browser:<br>${escapeHtml(action.url)}</p>`
    : "";
  return `<!doctype html>\n<html><body>\n${body}\n${button}\n<p>${PRODUCT}</p>\n</body></html>\n`;
}

function text(paragraphs: string[], url?: string): string {
  return `${paragraphs.join("\n\n")}\n\n${url ? `${url}\n\n` : ""}${PRODUCT}\n`;
}

export interface PasswordResetMailInput {
  to: string;
  firstName: string;
  /** `${PUBLIC_URL}/reset-password?token=…` */
  resetUrl: string;
  validMinutes: number;
  /** Where the request came from, for the person to judge it. */
  ip: string | null;
}

/** The single-use reset link. */
export function passwordResetMail(input: PasswordResetMailInput): MailMessage {
  const lines = [
    `Hello ${input.firstName},`,
    `Someone${input.ip ? ` (from the address ${input.ip})` : ""} asked to reset the password of your ${PRODUCT} login.`,
    `Open the link below to choose a new password. It works once and expires in ${input.validMinutes} minutes.`,
    "If you did not ask for this, ignore this email: your password stays as it is.",
  ];
  return {
    to: input.to,
    subject: `Reset your ${PRODUCT} password`,
    text: text(lines, input.resetUrl),
    html: html(lines, { label: "Choose a new password", url: input.resetUrl }),
  };
}

export interface PasswordChangedMailInput {
  to: string;
  firstName: string;
  /** `${PUBLIC_URL}/login` */
  signInUrl: string;
  /** `${PUBLIC_URL}/forgot-password`, for when it was not the person. */
  forgotUrl: string;
}

/** The notice after a reset: every session was signed out. */
export function passwordResetNoticeMail(input: PasswordChangedMailInput): MailMessage {
  const lines = [
    `Hello ${input.firstName},`,
    `The password of your ${PRODUCT} login was just reset with a link sent to this address. Every device was signed out.`,
    `Sign in with your new password: ${input.signInUrl}`,
    `If this was not you, reset your password again at once (${input.forgotUrl}) and turn on two-factor authentication.`,
  ];
  return {
    to: input.to,
    subject: `Your ${PRODUCT} password was reset`,
    text: text(lines),
    html: html(lines),
  };
}
