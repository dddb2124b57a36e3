import { createPasswordHasher } from "../../src/server/lib/crypto/password-hasher.js";

/** The sign-in password of every seeded person (any text works: sign-in applies no policy). */
export const SEED_PASSWORD = "correct horse battery staple benchmark";

let cached: Promise<{ hash: string; password: string }> | undefined;

/**
 * One argon2id hash of the seed password, made by the product's own hasher at its configured
 * parameters (so sign-in never takes the rehash path), shared by every seeded person.
 */
export function hashPasswordForSeed(): Promise<{ hash: string; password: string }> {
  cached ??= hashOnce(SEED_PASSWORD);
  return cached;
}

async function hashOnce(password: string): Promise<{ hash: string; password: string }> {
  const hasher = createPasswordHasher();
  try {
    return { hash: await hasher.hashPassword(password), password };
  } finally {
    await hasher.close();
  }
}
