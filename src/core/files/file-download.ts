import type { App } from "../app.ts";
import type { Collection } from "../collections/collection.ts";
import type { FieldConfig } from "../collections/collection-types.ts";
import type { RequestInfo } from "../request-event.ts";
import type { Record } from "../records/record.ts";
import { findRecordById, rowsToRecords } from "../records/record-query.ts";
import { canAccessRecord } from "../records/record-access.ts";
import { findAuthRecordByToken, newRecordToken } from "../auth/tokens.ts";
import { quoteIdent } from "../../store/sqlite/database.ts";
import { fileNames } from "./file-value.ts";
import { recordFileKey } from "./file-storage.ts";

/** A file a download request names, found in a record's file field. */
export interface RequestedFile {
  collection: Collection;
  record: Record;
  field: FieldConfig;
  filename: string;
}

/** The file field of a record whose value holds `filename` (PocketBase's `FindFileFieldByFile`). */
export function findFileFieldByFile(record: Record, filename: string): FieldConfig | null {
  for (const f of record.collection().fields) {
    if (f.type === "file" && fileNames(record.getRaw(f.name)).includes(filename)) return f;
  }
  return null;
}

/** The collection, record and field of `/api/files/{collection}/{recordId}/{filename}`, or null (404). */
export function findRequestedFile(app: App, collectionIdOrName: string, recordId: string, filename: string): RequestedFile | null {
  const collection = app.findCachedCollectionByNameOrId(collectionIdOrName);
  if (!collection || !recordId || !filename) return null;
  const record = findRecordById(app, collection, recordId);
  if (!record) return null;
  const field = findFileFieldByFile(record, filename);
  return field ? { collection, record, field, filename } : null;
}

/**
 * PocketBase parity: a protected file is readable when the record passes the collection's view
 * rule with the file token's record as `@request.auth` and `@request.context = "protectedFile"`
 * (superuser tokens pass everything; without a valid token the rule is checked as a guest).
 */
export function canReadProtectedFile(app: App, record: Record, info: RequestInfo, token: string): boolean {
  const found = token.trim() ? findAuthRecordByToken(app, token.trim(), "file") : null;
  const ruleInfo: RequestInfo = { ...info, auth: found?.record ?? null, context: "protectedFile" };
  return canAccessRecord(app, record, ruleInfo, record.collection().viewRule);
}

/** A short-lived `file` token for an auth record (`POST /api/files/token`). */
export function newFileAccessToken(record: Record): string {
  return newRecordToken(record, "file");
}

/**
 * The storage key of a requested file. Files of view collections live with the source record
 * they were selected from: the record of a non-view collection whose file field holds the name.
 */
export function storageKeyOf(app: App, file: RequestedFile): string | null {
  if (!file.collection.isView()) return recordFileKey(file.collection.id, file.record.id, file.filename);
  const source = findViewFileSource(app, file.filename);
  return source ? recordFileKey(source.collection().id, source.id, file.filename) : null;
}

/** The (non-view) record whose file field holds `filename`; names are random, so they are unique in practice. */
export function findViewFileSource(app: App, filename: string): Record | null {
  for (const c of app.findAllCollections()) {
    if (c.isView()) continue;
    for (const f of c.fields) {
      if (f.type !== "file") continue;
      const t = quoteIdent(c.name);
      const col = `${t}.${quoteIdent(f.name)}`;
      const rows = app.db().all(
        `SELECT * FROM ${t} WHERE ${col} = ? OR EXISTS (SELECT 1 FROM json_each(CASE WHEN json_valid(${col}) THEN ${col} ELSE '[]' END) je WHERE je.value = ?) LIMIT 1`,
        [filename, filename],
      );
      const found = rowsToRecords(c, rows)[0];
      if (found) return found;
    }
  }
  return null;
}
