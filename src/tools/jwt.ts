/**
 * HS256 JSON Web Tokens, synchronous. Imports nothing of ours.
 *
 * PocketBase parity: only HS256 is accepted, `exp` is required, there is no
 * leeway, and `nbf` (when present) is honoured.
 */

import { createHmac, timingSafeEqual } from "node:crypto";

/** A decoded JWT header or payload: a JSON object. */
export type JwtClaims = Record<string, unknown>;

/** The two decoded JSON parts of a token, before any verification. */
export interface DecodedJwt {
  /** The JOSE header (`alg`, `typ`, …). */
  header: JwtClaims;
  /** The claims. */
  payload: JwtClaims;
}

const HEADER_SEGMENT = base64UrlEncode(JSON.stringify({ alg: "HS256", typ: "JWT" }));
const BASE64URL = /^[A-Za-z0-9_-]*$/;

function base64UrlEncode(text: string): string {
  return Buffer.from(text, "utf8").toString("base64url");
}

function hmacSegment(signingInput: string, secret: string): string {
  return createHmac("sha256", secret).update(signingInput).digest("base64url");
}

function decodeSegment(segment: string): JwtClaims | null {
  // Unpadded base64url only; Buffer's decoder would silently skip stray characters.
  if (segment === "" || !BASE64URL.test(segment) || segment.length % 4 === 1) return null;
  try {
    const value: unknown = JSON.parse(Buffer.from(segment, "base64url").toString("utf8"));
    if (value === null || typeof value !== "object" || Array.isArray(value)) return null;
    return value as JwtClaims;
  } catch {
    return null;
  }
}

/** Signs `payload` with HMAC-SHA256 and header `{"alg":"HS256","typ":"JWT"}`. */
export function signJwt(payload: Record<string, unknown>, secret: string): string {
  const input = `${HEADER_SEGMENT}.${base64UrlEncode(JSON.stringify(payload))}`;
  return `${input}.${hmacSegment(input, secret)}`;
}

/**
 * Decodes a token's header and payload without checking anything else.
 * Returns null for anything that is not three segments with JSON-object header and payload.
 * Never throws. NB: the result is untrusted; use it only to pick the verification key.
 */
export function decodeJwtUnverified(token: string): DecodedJwt | null {
  if (typeof token !== "string") return null;
  const parts = token.split(".");
  if (parts.length !== 3) return null;
  const header = decodeSegment(parts[0]!);
  if (!header) return null;
  const payload = decodeSegment(parts[1]!);
  if (!payload) return null;
  return { header, payload };
}

/**
 * Verifies an HS256 token and returns its payload, or null when the token is malformed,
 * uses any other `alg` (including `none`), has a bad signature, lacks a numeric `exp`,
 * is expired (`now >= exp`), or is not yet valid (`now < nbf`). Never throws.
 * `nowSeconds` defaults to the current Unix time (fractional seconds).
 */
export function verifyJwt(
  token: string,
  secret: string,
  nowSeconds: number = Date.now() / 1000,
): JwtClaims | null {
  if (typeof secret !== "string" || secret === "") return null;
  const decoded = decodeJwtUnverified(token);
  if (!decoded) return null;
  if (decoded.header.alg !== "HS256") return null;

  const [headerSeg, payloadSeg, signatureSeg] = token.split(".") as [string, string, string];
  if (!BASE64URL.test(signatureSeg)) return null;
  const expected = Buffer.from(hmacSegment(`${headerSeg}.${payloadSeg}`, secret), "utf8");
  const given = Buffer.from(signatureSeg, "utf8");
  if (expected.length !== given.length || !timingSafeEqual(expected, given)) return null;

  const { payload } = decoded;
  return jwtTimeValid(payload, nowSeconds) ? payload : null;
}

/**
 * The time checks of `verifyJwt`: a numeric `exp` in the future (`now < exp`) and, when present,
 * a numeric `nbf` not after now. Also used to re-check a token whose signature was verified
 * before (the result of those checks changes with time, the signature's does not).
 */
export function jwtTimeValid(payload: JwtClaims, nowSeconds: number = Date.now() / 1000): boolean {
  const exp = payload.exp;
  if (typeof exp !== "number" || !Number.isFinite(exp)) return false;
  if (nowSeconds >= exp) return false;
  const nbf = payload.nbf;
  if (nbf !== undefined) {
    if (typeof nbf !== "number" || !Number.isFinite(nbf)) return false;
    if (nowSeconds < nbf) return false;
  }
  return true;
}
