import { createHash, createHmac, timingSafeEqual } from "node:crypto";
import { ALPHANUMERIC, equalConstantTime, randomString } from "../tools/security.ts";
import { randomFromPattern } from "../tools/random-from-pattern.ts";
import { decodeJwtUnverified, signJwt } from "../tools/jwt.ts";
import { decryptSettings, encryptSettings } from "../core/settings/settings-crypto.ts";

type Claims = { [k: string]: unknown };

function hash(alg: string, text: unknown): string {
  return createHash(alg).update(String(text ?? "")).digest("hex");
}

function hmac(alg: string, text: unknown, secret: unknown): string {
  return createHmac(alg, String(secret ?? "")).update(String(text ?? "")).digest("hex");
}

/**
 * Verifies an HS256 token with `key`. PocketBase parity (golang-jwt): `exp` and `nbf` are checked
 * when present, not required. Throws on any failure.
 */
function parseJWT(token: string, key: string): Claims {
  const decoded = decodeJwtUnverified(String(token ?? ""));
  if (!decoded || decoded.header.alg !== "HS256") throw new Error("invalid token");
  const [h, p, sig] = String(token).split(".") as [string, string, string];
  const expected = Buffer.from(createHmac("sha256", String(key ?? "")).update(`${h}.${p}`).digest("base64url"));
  const given = Buffer.from(sig);
  if (expected.length !== given.length || !timingSafeEqual(expected, given)) throw new Error("invalid token signature");
  const now = Date.now() / 1000;
  const { exp, nbf } = decoded.payload;
  if (typeof exp === "number" && now >= exp) throw new Error("token is expired");
  if (typeof nbf === "number" && now < nbf) throw new Error("token is not valid yet");
  return decoded.payload;
}

/** PocketBase's `$security`. */
export const security = {
  randomString: (n: number) => randomString(Number(n) || 0),
  randomStringWithAlphabet: (n: number, alphabet: string) => randomString(Number(n) || 0, String(alphabet || ALPHANUMERIC)),
  randomStringByRegex: (pattern: string) => randomFromPattern(String(pattern)),
  pseudorandomString: (n: number) => randomString(Number(n) || 0),
  pseudorandomStringWithAlphabet: (n: number, alphabet: string) => randomString(Number(n) || 0, String(alphabet || ALPHANUMERIC)),
  md5: (text: unknown) => hash("md5", text),
  sha256: (text: unknown) => hash("sha256", text),
  sha512: (text: unknown) => hash("sha512", text),
  hs256: (text: unknown, secret: unknown) => hmac("sha256", text, secret),
  hs512: (text: unknown, secret: unknown) => hmac("sha512", text, secret),
  equal: (a: unknown, b: unknown) => equalConstantTime(String(a ?? ""), String(b ?? "")),
  /** The claims of a token without verifying it; throws for a malformed token. */
  parseUnverifiedJWT: (token: string): Claims => {
    const d = decodeJwtUnverified(String(token ?? ""));
    if (!d) throw new Error("invalid token");
    return d.payload;
  },
  parseJWT,
  /** An HS256 token with the claims plus `exp` = now + `secDuration` seconds. */
  createJWT: (payload: Claims, key: string, secDuration: number) =>
    signJwt({ ...(payload ?? {}), exp: Math.floor(Date.now() / 1000) + (Number(secDuration) || 0) }, String(key ?? "")),
  /** AES-256-GCM with a 32-character key, base64 (PocketBase's layout). */
  encrypt: (data: unknown, key: string) => encryptSettings(typeof data === "string" ? data : new TextDecoder().decode(data as Uint8Array), String(key)),
  /** Reverses `encrypt`; throws for a wrong key. */
  decrypt: (cipher: string, key: string) => decryptSettings(String(cipher), String(key)),
};
