import { dictionary } from "@zxcvbn-ts/language-common";
import { LIMITS } from "../../../../contracts/limits.js";
import { findPersonalWordProblem } from "../../../../contracts/password-rules.js";

/**
 * The password policy (NIST SP 800-63B-4 §3.1.1.2, ASVS 6.2): length in code points, no
 * composition rules, and a blocklist that works offline. Every rejection says why (NIST SHALL).
 *
 * The blocklist is the password dictionary of @zxcvbn-ts/language-common (≈49,000 common and
 * breached passwords), matched case-insensitively, plus the shapes long breached passwords take
 * when a short common one is stretched to a length rule: repetitions (`passwordpassword`),
 * padding with digits or symbols (`password123456789`), keyboard and number runs.
 */

export type PolicyResult = { ok: true } | { ok: false; reason: string };

export interface PolicyContext {
  minLength: number;
  /** The person's email and names: passwords containing them are refused (ASVS 6.2.11). */
  userInputs?: Array<string | null | undefined>;
  /** Product words refused too (product name, MFA issuer). */
  productWords?: string[];
}

const COMMON = new Set(dictionary.passwords.map((p) => p.toLowerCase()));
const SEQUENCES = [
  "0123456789",
  "9876543210",
  "abcdefghijklmnopqrstuvwxyz",
  "qwertyuiop",
  "asdfghjkl",
  "zxcvbnm",
  "qwertzuiop",
  "azertyuiop",
  "1qaz2wsx3edc4rfv",
];

/** Code points, not UTF-16 units: `"€".repeat(15)` is 15 characters. */
export function codePointLength(s: string): number {
  return [...s].length;
}

/** True when `s` is one unit repeated (`abcabcabc`), the unit short or itself common. */
function isRepetition(s: string): boolean {
  for (let size = 1; size <= s.length / 2; size++) {
    if (s.length % size !== 0) continue;
    const unit = s.slice(0, size);
    if (unit.repeat(s.length / size) === s && (size <= 4 || COMMON.has(unit))) return true;
  }
  return false;
}

/** True when `s` is a common password padded with digits/symbols, or repeated. */
function isStretchedCommon(s: string): boolean {
  const padding = /^[\d\W_]*$/u;
  for (let i = 3; i < s.length; i++) {
    // common + padding (`abc123` + `123456789`) or padding + common
    if (COMMON.has(s.slice(0, i)) && padding.test(s.slice(i))) return true;
    if (COMMON.has(s.slice(s.length - i)) && padding.test(s.slice(0, s.length - i))) return true;
  }
  if (/^[\d\W_]+$/u.test(s) && new Set(s).size <= 4) return true;
  for (let size = 4; size <= s.length / 2; size++) {
    if (s.length % size !== 0) continue;
    const unit = s.slice(0, size);
    if (COMMON.has(unit) && unit.repeat(s.length / size) === s) return true;
  }
  return false;
}

function isSequenceRun(s: string): boolean {
  const compact = s.replace(/[\s_-]/g, "");
  return SEQUENCES.some((seq) => (seq + seq).includes(compact) || (seq + seq).includes([...compact].reverse().join("")));
}

/** Checks a new password; `{ok:false, reason}` says why in words a person can act on. */
export function checkPasswordPolicy(password: string, context: PolicyContext): PolicyResult {
  const minLength = Math.max(context.minLength, LIMITS.passwordMinLengthFloor);
  const length = codePointLength(password);
  if (length < minLength) return { ok: false, reason: `Use at least ${minLength} characters (this one has ${length}).` };
  if (length > LIMITS.passwordMaxLength) return { ok: false, reason: `Use at most ${LIMITS.passwordMaxLength} characters.` };
  const lower = password.toLowerCase();
  if (COMMON.has(lower))
    return { ok: false, reason: "This password is on a list of common or breached passwords. Choose another." };
  if (isRepetition(lower) || isStretchedCommon(lower))
    return {
      ok: false,
      reason: "This password is a common password repeated or padded, which attackers try first. Choose another.",
    };
  if (isSequenceRun(lower)) return { ok: false, reason: "This password is a keyboard or number sequence. Choose another." };
  const personal = findPersonalWordProblem(password, context.userInputs ?? [], context.productWords);
  return personal ? { ok: false, reason: personal } : { ok: true };
}

/**
 * Policy-length entries the blocklist refuses, derived from the common list (for the A5 check
 * that at least 3000 such entries exist): stretched and repeated common passwords.
 */
export function sampleBlockedPasswords(count: number, minLength: number): string[] {
  const out = new Set<string>();
  for (const p of dictionary.passwords) {
    if (out.size >= count) break;
    if (p.length < 4) continue;
    out.add(p.repeat(Math.ceil(minLength / p.length)).toLowerCase());
    if (/[a-z]/i.test(p) && p.length + 9 >= minLength) out.add(`${p.toLowerCase()}${"123456789".slice(0, minLength - p.length)}`);
  }
  return [...out].slice(0, count);
}
