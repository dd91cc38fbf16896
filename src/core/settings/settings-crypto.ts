import { createCipheriv, createDecipheriv, randomBytes } from "node:crypto";

/**
 * Settings encryption with the 32-character key named by `--encryptionEnv`: AES-256-GCM with a
 * random 12-byte nonce, stored as base64(nonce ‖ ciphertext ‖ tag), PocketBase's layout.
 */
export function encryptSettings(plain: string, key: string): string {
  const nonce = randomBytes(12);
  const cipher = createCipheriv("aes-256-gcm", Buffer.from(key), nonce);
  const enc = Buffer.concat([cipher.update(plain, "utf8"), cipher.final(), cipher.getAuthTag()]);
  return Buffer.concat([nonce, enc]).toString("base64");
}

/** Reverses `encryptSettings`; throws when the key is wrong or the data damaged. */
export function decryptSettings(data: string, key: string): string {
  const raw = Buffer.from(data, "base64");
  const nonce = raw.subarray(0, 12);
  const tag = raw.subarray(raw.length - 16);
  const body = raw.subarray(12, raw.length - 16);
  const decipher = createDecipheriv("aes-256-gcm", Buffer.from(key), nonce);
  decipher.setAuthTag(tag);
  return Buffer.concat([decipher.update(body), decipher.final()]).toString("utf8");
}
