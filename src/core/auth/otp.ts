import type { App } from "../app.ts";
import { Record } from "../records/record.ts";
import { hashPasswordValue } from "../fields/password.ts";
import { parseDate } from "../../tools/dates.ts";
import { randomString } from "../../tools/security.ts";
import { quoteIdent } from "../../store/sqlite/database.ts";
import { rateLimitCounter } from "../rate-limit/rate-limit-counter.ts";

/** The system collection of one-time passwords. */
export const OTPS_COLLECTION = "_otps";

/** PocketBase parity: more unexpired OTPs than this for one record reuse the newest one. */
export const MAX_ACTIVE_OTPS = 9;

/** PocketBase parity: at most 5 `auth-with-otp` attempts per record in 180 s, whatever the settings. */
export const OTP_ATTEMPTS = { max: 5, windowMs: 180_000 } as const;

/** A new numeric code of `length` digits. */
export function newOTPCode(length: number): string {
  return randomString(length > 0 ? length : 8, "0123456789");
}

/** True when the record (an `_otps` or `_mfas` row) is older than `durationSeconds`. */
export function isExpired(record: Record, durationSeconds: number): boolean {
  const created = parseDate(record.getString("created"));
  if (!created) return true;
  return created.getTime() + durationSeconds * 1000 <= Date.now();
}

/**
 * Creates an `_otps` record for an auth record. The code is bcrypt-hashed off the JS thread
 * first, so the save itself stays short.
 */
export async function createOTP(app: App, authRecord: Record, code: string, sentTo: string): Promise<Record> {
  const c = app.findCollectionByNameOrId(OTPS_COLLECTION);
  const otp = new Record(c);
  otp.set("collectionRef", authRecord.collection().id);
  otp.set("recordRef", authRecord.id);
  otp.set("sentTo", sentTo);
  const f = c.getFieldByName("password");
  if (f) otp.setRaw("password", await hashPasswordValue(f, { hash: "", plain: code }));
  else otp.set("password", code);
  app.save(otp);
  return otp;
}

/** An `_otps` record by id, or null. */
export function findOTPById(app: App, id: string): Record | null {
  const c = app.findCachedCollectionByNameOrId(OTPS_COLLECTION);
  if (!c || !id) return null;
  const row = app.db().get(`SELECT * FROM ${quoteIdent(c.name)} WHERE id = ? LIMIT 1`, [id]);
  return row ? Record.fromRow(c, row) : null;
}

/** The record's unexpired OTPs, oldest first. Expired ones of the record are deleted on the way. */
export function findActiveOTPs(app: App, authRecord: Record, durationSeconds: number): Record[] {
  const c = app.findCollectionByNameOrId(OTPS_COLLECTION);
  const rows = app.db().all(
    `SELECT * FROM ${quoteIdent(c.name)} WHERE collectionRef = ? AND recordRef = ? ORDER BY created, rowid`,
    [authRecord.collection().id, authRecord.id],
  );
  const out: Record[] = [];
  for (const row of rows) {
    const otp = Record.fromRow(c, row);
    // NB: PocketBase removes expired OTPs with an hourly cron job; here they go when the record asks again
    if (isExpired(otp, durationSeconds)) app.db().run(`DELETE FROM ${quoteIdent(c.name)} WHERE id = ?`, [otp.id]);
    else out.push(otp);
  }
  return out;
}

/** Checks a code against an `_otps` record's hash, off the JS thread. */
export async function verifyOTPCode(otp: Record, code: string): Promise<boolean> {
  const hash = String(otp.get("password:hash") ?? "");
  if (!hash || !code) return false;
  try {
    return await Bun.password.verify(code, hash);
  } catch {
    return false;
  }
}

/**
 * Counts `auth-with-otp` attempts per auth record in a fixed window. Resolves false once the
 * limit is exceeded. NB: counted in the app's auth throttle counter, so with `serve --workers=N`
 * the attempts of every worker add up.
 */
export async function allowOTPAttempt(app: App, key: string): Promise<boolean> {
  return await rateLimitCounter(app, "auth").hit(`otp-attempts:${key}`, OTP_ATTEMPTS.max, OTP_ATTEMPTS.windowMs);
}
