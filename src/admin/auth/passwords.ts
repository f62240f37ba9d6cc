/**
 * Password hashing with argon2id. Parameters follow OWASP's recommended minimum for argon2id
 * (19 MiB, 2 passes, 1 lane): strong against offline guessing yet quick enough that a sign-in stays
 * well under a second on a small server.
 */
import { argon2id, hash, verify } from 'argon2';

export const PASSWORD_MIN_LENGTH = 10;
/** Bounds the work an attacker can make us do by posting a megabyte-long "password". */
export const PASSWORD_MAX_LENGTH = 256;

const OPTIONS = { type: argon2id, memoryCost: 19456, timeCost: 2, parallelism: 1 } as const;

export function hashPassword(password: string): Promise<string> {
  return hash(password, OPTIONS);
}

/** True when `password` matches `digest`; a malformed digest counts as a mismatch, not a crash. */
export async function verifyPassword(digest: string, password: string): Promise<boolean> {
  try {
    return await verify(digest, password);
  } catch {
    return false;
  }
}

let dummy: Promise<string> | undefined;

/**
 * Spends the same time as a real verification and always fails: used for unknown or inactive
 * accounts so response time does not reveal which email addresses have an account.
 */
export async function verifyAgainstDummy(password: string): Promise<false> {
  dummy ??= hashPassword(`dummy-${Math.random()}-${Date.now()}`);
  await verifyPassword(await dummy, password);
  return false;
}
