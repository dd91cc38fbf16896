import type { App } from "../app.ts";
import type { Record } from "../records/record.ts";
import type { TokenConfig } from "../collections/collection-types.ts";
import { decodeJwtUnverified, jwtTimeValid, signJwt, verifyJwt, type JwtClaims } from "../../tools/jwt.ts";
import { findRecordById } from "../records/record-query.ts";

/** PocketBase's token types. */
export type TokenType = "auth" | "verification" | "passwordReset" | "emailChange" | "file";

const CONFIG_KEY: { [t in TokenType]: "authToken" | "verificationToken" | "passwordResetToken" | "emailChangeToken" | "fileToken" } = {
  auth: "authToken",
  verification: "verificationToken",
  passwordReset: "passwordResetToken",
  emailChange: "emailChangeToken",
  file: "fileToken",
};

function tokenConfig(record: Record, type: TokenType): TokenConfig {
  const cfg = record.collection()[CONFIG_KEY[type]];
  if (!cfg) throw new Error(`The collection "${record.collection().name}" has no ${type} token config.`);
  return cfg;
}

/**
 * Signs a token of the given type for an auth record: HS256 with the record's `tokenKey` joined
 * with the collection's secret for that type, and PocketBase's claims (no iat/iss/sub).
 */
export function newRecordToken(record: Record, type: TokenType, extra: { [k: string]: unknown } = {}, durationSeconds?: number): string {
  const cfg = tokenConfig(record, type);
  const exp = Math.floor(Date.now() / 1000) + (durationSeconds ?? cfg.duration);
  const claims: { [k: string]: unknown } = { id: record.id, type, collectionId: record.collection().id };
  if (type === "auth") claims.refreshable = extra.refreshable ?? true;
  Object.assign(claims, extra, { exp });
  return signJwt(claims, record.tokenKey() + cfg.secret);
}

/** An auth token (`refreshable` unless stated otherwise). */
export function newAuthToken(record: Record, refreshable = true, durationSeconds?: number): string {
  return newRecordToken(record, "auth", { refreshable }, durationSeconds);
}

/** A token whose signature checked out: the signing key it was checked with, and its claims. */
interface VerifiedToken {
  key: string;
  claims: JwtClaims;
}

/** How many verified tokens are remembered (oldest forgotten first). */
const VERIFIED_TOKENS_SIZE = 1000;
/** Verified tokens by token text (a client sends the same token with every request). */
const verifiedTokens = new Map<string, VerifiedToken>();

/**
 * Finds the auth record a token belongs to, PocketBase's way: decode without verifying, require
 * id, collectionId and the expected type, load the record, then verify the signature with
 * `tokenKey + secret` and the expiry. Returns null for anything invalid (callers treat it as
 * a guest).
 *
 * NB: the record and its collection are read fresh every time; only the HMAC check is
 * remembered, keyed by the token text and valid only for the exact signing key it was made
 * with, so a rotated tokenKey or secret is refused at once. The expiry is checked every time.
 */
export function findAuthRecordByToken(app: App, token: string, type: TokenType): { record: Record; claims: { [k: string]: unknown } } | null {
  const hit = verifiedTokens.get(token);
  // the claims of a verified token are exactly what decoding the same text gives
  const p = hit ? hit.claims : decodeJwtUnverified(token)?.payload;
  if (!p) return null;
  if (typeof p.id !== "string" || !p.id || typeof p.collectionId !== "string" || !p.collectionId || p.type !== type) return null;
  const c = app.findCachedCollectionByNameOrId(p.collectionId);
  if (!c || !c.isAuth() || c.id !== p.collectionId) return null;
  const record = findRecordById(app, c, p.id);
  if (!record) return null;
  const cfg = c[CONFIG_KEY[type]];
  if (!cfg) return null;
  const key = record.tokenKey() + cfg.secret;
  if (hit && hit.key === key) {
    // the same text under the same key: the signature check would give the same answer
    if (!jwtTimeValid(hit.claims)) return null;
    return { record, claims: { ...hit.claims } };
  }
  const claims = verifyJwt(token, key);
  if (!claims) {
    if (hit) verifiedTokens.delete(token);
    return null;
  }
  if (verifiedTokens.size >= VERIFIED_TOKENS_SIZE) verifiedTokens.delete(verifiedTokens.keys().next().value!);
  verifiedTokens.set(token, { key, claims: { ...claims } });
  return { record, claims };
}

/** A `verification` token (claims `id, type, collectionId, email, exp`). */
export function newVerificationToken(record: Record): string {
  return newRecordToken(record, "verification", { email: record.email() });
}

/** A `passwordReset` token (claims `id, type, collectionId, email, exp`). */
export function newPasswordResetToken(record: Record): string {
  return newRecordToken(record, "passwordReset", { email: record.email() });
}

/** An `emailChange` token (claims `id, type, collectionId, email, newEmail, exp`). */
export function newEmailChangeToken(record: Record, newEmail: string): string {
  return newRecordToken(record, "emailChange", { email: record.email(), newEmail });
}
