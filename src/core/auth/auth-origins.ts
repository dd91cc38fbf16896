import { createHash } from "node:crypto";
import type { App } from "../app.ts";
import { Record } from "../records/record.ts";
import { quoteIdent } from "../../store/sqlite/database.ts";
import { sendRecordAuthAlert } from "../mail/record-mails.ts";
import { escapeHtml } from "../mail/mail-templates.ts";
import { nowString } from "../../tools/dates.ts";

/** The system collection of the places (IP + user agent) an auth record signed in from. */
export const AUTH_ORIGINS_COLLECTION = "_authOrigins";

/** PocketBase parity: at most this many origins are kept per record. */
export const MAX_AUTH_ORIGINS = 5;

/**
 * The fingerprint of a sign-in place: the hex MD5 of the client IP followed by the user agent
 * (cut to 300 characters). PocketBase parity: its stored fingerprints are 32 hex characters, and
 * the same derivation keeps a PocketBase pb_data's origins recognised (no alert storm after a
 * switch). MD5 is fine here: it is a lookup key, not a secret.
 */
export function authOriginFingerprint(ip: string, userAgent: string): string {
  return createHash("md5").update(ip + userAgent.slice(0, 300)).digest("hex");
}

/**
 * Records that an auth record signed in from a place. Returns whether the place is new and
 * whether it was the record's first recorded sign-in; only the newest origins are kept.
 */
export function upsertAuthOrigin(app: App, authRecord: Record, fingerprint: string): { isNew: boolean; isFirst: boolean } {
  const c = app.findCollectionByNameOrId(AUTH_ORIGINS_COLLECTION);
  const table = quoteIdent(c.name);
  const cid = authRecord.collection().id;
  return app.runInTransaction((tx) => {
    const rows = tx.db().all(`SELECT * FROM ${table} WHERE collectionRef = ? AND recordRef = ? ORDER BY updated DESC, rowid DESC`, [cid, authRecord.id]);
    const origins = rows.map((row) => Record.fromRow(c, row));
    const current = origins.find((o) => o.getString("fingerprint") === fingerprint);
    if (current) {
      // refresh the timestamp so that places in use are the ones kept
      tx.db().run(`UPDATE ${table} SET updated = ? WHERE id = ?`, [nowString(), current.id]);
      return { isNew: false, isFirst: false };
    }
    const origin = new Record(c);
    origin.set("collectionRef", cid);
    origin.set("recordRef", authRecord.id);
    origin.set("fingerprint", fingerprint);
    tx.save(origin);
    for (const old of origins.slice(MAX_AUTH_ORIGINS - 1)) tx.delete(old);
    return { isNew: true, isFirst: origins.length === 0 };
  });
}

/**
 * The "login from a new location" step after a successful sign-in: remembers the origin and,
 * when `authAlert.enabled`, mails the record about a new place (never for its first sign-in).
 * The mail is sent in the background; failures are logged.
 */
export function handleAuthAlert(app: App, authRecord: Record, ip: string, userAgent: string): void {
  const fingerprint = authOriginFingerprint(ip, userAgent);
  const { isNew, isFirst } = upsertAuthOrigin(app, authRecord, fingerprint);
  if (!isNew || isFirst || !authRecord.collection().authAlert?.enabled || !authRecord.email()) return;
  const when = new Date().toISOString().replace("T", " ").replace(/\.\d+Z$/, " UTC");
  const info = escapeHtml(`${when} - ${ip} ${userAgent.slice(0, 300)}`.trim());
  sendRecordAuthAlert(app, authRecord, info).catch((err) => {
    console.error(`Failed to send the login alert to ${authRecord.email()}:`, err instanceof Error ? err.message : err);
  });
}
