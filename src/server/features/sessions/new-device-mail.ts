import type { GeoLocation } from "./geoip.js";

/** What the new-device alert tells the person. */
export interface NewDeviceMailInput {
  firstName: string;
  /** e.g. `Chrome 126 on Windows`. */
  device: string;
  ip: string | null;
  location: GeoLocation | null;
  /** Already rendered in the person's zone and formats. */
  time: string;
  /** `${PUBLIC_URL}/profile/sessions`. */
  sessionsUrl: string;
  /** The "This wasn't me — secure my account" page (single use). */
  lockdownUrl: string;
}

const escapeHtml = (value: string) =>
  value.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c] ?? c);

/** `Berlin, Germany`, `Germany`, or null. */
export function describeLocation(location: GeoLocation | null): string | null {
  if (!location) return null;
  const text = [location.city, location.country].filter(Boolean).join(", ");
  return text || null;
}

/**
 * The "new sign-in" alert (ASVS 6.3.5: notify people of suspicious sign-ins). Everything in it
 * comes from the request (user agent, IP), so the HTML part escapes every value.
 */
export function buildNewDeviceMail(input: NewDeviceMailInput): { subject: string; text: string; html: string } {
  const place = describeLocation(input.location);
  const rows: Array<[string, string]> = [
    ["Device", input.device],
    ["IP address", input.ip ?? "unknown"],
  ];
  if (place) rows.push(["Location", place]);
  rows.push(["Time", input.time]);
  const subject = `New sign-in to your account from ${input.device}`;
  const text = [
    `Hello ${input.firstName},`,
    "",
    "Your account was just signed in to from a device it has not been used on recently:",
    "",
    ...rows.map(([label, value]) => `${label}: ${value}`),
    "",
    "If this was you, there is nothing to do.",
    "If it was not you, secure your account at once (signs out every session and asks for a new password):",
    `This wasn't me — secure my account: ${input.lockdownUrl}`,
    "",
    `Or review your sessions: ${input.sessionsUrl}`,
  ].join("\n");
  const html = [
    `<p>Hello ${escapeHtml(input.firstName)},</p>`,
    "<p>Your account was just signed in to from a device it has not been used on recently:</p>",
    `<table>${rows.map(([label, value]) => `<tr><th align="left">${escapeHtml(label)}</th><td>${escapeHtml(value)}</td></tr>`).join("")}</table>`,
    "<p>If this was you, there is nothing to do.</p>",
    `<p>If it was not you, secure your account at once: <a href="${escapeHtml(input.lockdownUrl)}">This wasn't me — secure my account</a> (signs out every session and asks for a new password).</p>`,
    `<p>Or <a href="${escapeHtml(input.sessionsUrl)}">review your sessions</a>.</p>`,
  ].join("\n");
  return { subject, text, html };
}
