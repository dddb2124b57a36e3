import { randomBytes, randomInt } from "node:crypto";

function digits(count: number): string {
  let out = "";
  for (let i = 0; i < count; i++) out += String(randomInt(10));
  return out;
}

/** A random user id `UR-123-456-789` (10^9 values; callers retry on the rare collision). */
export function newUserId(): string {
  return `UR-${digits(3)}-${digits(3)}-${digits(3)}`;
}

/** A random account id: `VA-123-456` for vendors, `PA-123-456` for distributors and resellers. */
export function newAccountId(type: "vendor" | "distributor" | "reseller"): string {
  return `${type === "vendor" ? "VA" : "PA"}-${digits(3)}-${digits(3)}`;
}

/** A random group id `GR-123-456-789`. */
export function newGroupId(): string {
  return `GR-${digits(3)}-${digits(3)}-${digits(3)}`;
}

/** An opaque random id (128 bits, base64url) for sessions, events, tokens and mail. */
export function newOpaqueId(): string {
  return randomBytes(16).toString("base64url");
}

/** True for the unique-constraint violation of SQLite or PostgreSQL. */
export function isUniqueViolation(error: unknown): boolean {
  const e = error as { code?: string; message?: string } | undefined;
  return e?.code === "23505" || e?.code === "SQLITE_CONSTRAINT_UNIQUE" || e?.code === "SQLITE_CONSTRAINT_PRIMARYKEY";
}

/** Runs `insert(id)` with fresh random ids until one does not collide (bounded). */
export async function insertWithFreshId<T>(generate: () => string, insert: (id: string) => Promise<T>): Promise<T> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await insert(generate());
    } catch (error) {
      if (!isUniqueViolation(error) || attempt >= 8) throw error;
    }
  }
}
