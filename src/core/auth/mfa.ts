import type { App } from "../app.ts";
import { Record } from "../records/record.ts";
import { ApiError } from "../api-error.ts";
import { canAccessRecord } from "../records/record-access.ts";
import { isExpired } from "./otp.ts";
import { quoteIdent } from "../../store/sqlite/database.ts";

/** The system collection of pending multi-factor sessions. */
export const MFAS_COLLECTION = "_mfas";

/** An `_mfas` record by id, or null. */
export function findMFAById(app: App, id: string): Record | null {
  const c = app.findCachedCollectionByNameOrId(MFAS_COLLECTION);
  if (!c || !id) return null;
  const row = app.db().get(`SELECT * FROM ${quoteIdent(c.name)} WHERE id = ? LIMIT 1`, [id]);
  return row ? Record.fromRow(c, row) : null;
}

/** Creates an `_mfas` record after a first successful factor. */
export function createMFA(app: App, authRecord: Record, method: string): Record {
  const c = app.findCollectionByNameOrId(MFAS_COLLECTION);
  // NB: PocketBase removes expired MFAs with an hourly cron job; here they go on the next sign-in
  const duration = authRecord.collection().mfa?.duration ?? 600;
  const cutoff = new Date(Date.now() - duration * 1000).toISOString().replace("T", " ");
  app.db().run(`DELETE FROM ${quoteIdent(c.name)} WHERE collectionRef = ? AND recordRef = ? AND created < ?`, [authRecord.collection().id, authRecord.id, cutoff]);
  const mfa = new Record(c);
  mfa.set("collectionRef", authRecord.collection().id);
  mfa.set("recordRef", authRecord.id);
  mfa.set("method", method);
  app.save(mfa);
  return mfa;
}

/** True when the collection requires a second factor for this record (`mfa.enabled` + `mfa.rule`). */
export function mfaRequired(app: App, authRecord: Record): boolean {
  const mfa = authRecord.collection().mfa;
  if (!mfa?.enabled) return false;
  // PocketBase parity: the rule is checked with the record itself as @request.auth
  const info = { auth: authRecord, body: {}, query: {}, headers: {}, method: "POST", context: "default" };
  return canAccessRecord(app, authRecord, info, mfa.rule ?? "");
}

/**
 * PocketBase's multi-factor step, run before an auth response for an auth method (password,
 * otp, oauth2). Returns the id of a new MFA session when a second factor is still needed, or ""
 * when the request may sign in: MFA is off, the rule does not apply, or `mfaId` names a live
 * session of this record started with a different method (that session is then consumed).
 */
export function checkMFA(app: App, authRecord: Record, method: string, mfaId: string): string {
  if (!method || !mfaRequired(app, authRecord)) return "";
  if (!mfaId) return createMFA(app, authRecord, method).id;
  const mfa = findMFAById(app, mfaId);
  const duration = authRecord.collection().mfa?.duration ?? 600;
  if (!mfa || isExpired(mfa, duration)) {
    if (mfa) app.delete(mfa);
    throw new ApiError(400, "Invalid or expired MFA session.");
  }
  if (mfa.getString("recordRef") !== authRecord.id || mfa.getString("collectionRef") !== authRecord.collection().id) {
    throw new ApiError(400, "Invalid MFA session.");
  }
  if (mfa.getString("method") === method) throw new ApiError(400, "A different authentication method is required.");
  app.delete(mfa);
  return "";
}
