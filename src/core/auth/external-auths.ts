import type { App } from "../app.ts";
import type { Collection } from "../collections/collection.ts";
import { Record } from "../records/record.ts";
import { quoteIdent } from "../../store/sqlite/database.ts";

/** The system collection linking auth records to OAuth2 identities. */
export const EXTERNAL_AUTHS_COLLECTION = "_externalAuths";

/** The `_externalAuths` link of a provider identity in an auth collection, or null. */
export function findExternalAuthByProvider(app: App, collection: Collection, provider: string, providerId: string): Record | null {
  const c = app.findCachedCollectionByNameOrId(EXTERNAL_AUTHS_COLLECTION);
  if (!c || !providerId) return null;
  const row = app.db().get(
    `SELECT * FROM ${quoteIdent(c.name)} WHERE collectionRef = ? AND provider = ? AND providerId = ? LIMIT 1`,
    [collection.id, provider, providerId],
  );
  return row ? Record.fromRow(c, row) : null;
}

/** Every `_externalAuths` link of an auth record. */
export function findExternalAuthsByRecord(app: App, authRecord: Record): Record[] {
  const c = app.findCachedCollectionByNameOrId(EXTERNAL_AUTHS_COLLECTION);
  if (!c) return [];
  return app.db()
    .all(`SELECT * FROM ${quoteIdent(c.name)} WHERE collectionRef = ? AND recordRef = ? ORDER BY created, rowid`, [authRecord.collection().id, authRecord.id])
    .map((row) => Record.fromRow(c, row));
}

/**
 * Links a provider identity to an auth record, unless the record already has a link for that
 * provider with the same id. Returns the link.
 */
export function linkExternalAuth(app: App, authRecord: Record, provider: string, providerId: string): Record {
  const existing = findExternalAuthsByRecord(app, authRecord).find((r) => r.getString("provider") === provider);
  if (existing && existing.getString("providerId") === providerId) return existing;
  const c = app.findCollectionByNameOrId(EXTERNAL_AUTHS_COLLECTION);
  const link = existing ?? new Record(c);
  link.set("collectionRef", authRecord.collection().id);
  link.set("recordRef", authRecord.id);
  link.set("provider", provider);
  link.set("providerId", providerId);
  app.save(link);
  return link;
}
