/** Random strings and constant-time helpers. Imports nothing of ours. */

/** The alphabet of PocketBase record ids. */
export const ID_ALPHABET = "abcdefghijklmnopqrstuvwxyz0123456789";
/** Letters and digits (token keys, secrets). */
export const ALPHANUMERIC = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";

/** A cryptographically random string of `length` characters drawn from `alphabet`. */
export function randomString(length: number, alphabet: string = ALPHANUMERIC): string {
  const out: string[] = [];
  const n = alphabet.length;
  const limit = 256 - (256 % n);
  while (out.length < length) {
    const buf = crypto.getRandomValues(new Uint8Array(Math.max(16, length * 2)));
    for (const b of buf) {
      if (b >= limit) continue;
      out.push(alphabet[b % n]!);
      if (out.length === length) break;
    }
  }
  return out.join("");
}

/** A new 15-character record id (`[a-z0-9]{15}`). */
export function newRecordId(): string {
  return randomString(15, ID_ALPHABET);
}

/** Constant-time string comparison. */
export function equalConstantTime(a: string, b: string): boolean {
  const ab = new TextEncoder().encode(a);
  const bb = new TextEncoder().encode(b);
  if (ab.length !== bb.length) return false;
  let diff = 0;
  for (let i = 0; i < ab.length; i++) diff |= ab[i]! ^ bb[i]!;
  return diff === 0;
}

/** CRC-32 (IEEE) of a UTF-8 string, as an unsigned integer (PocketBase's default ids). */
export function crc32(text: string): number {
  return Bun.hash.crc32(text) >>> 0;
}
