import type { App } from "../core/app.ts";
import type { Collection } from "../core/collections/collection.ts";
import type { Record } from "../core/records/record.ts";
import type { FilterParams } from "../core/records/record-filter-query.ts";
import { unwrapApp } from "./app-ref.ts";
import { jsApp } from "./app-view.ts";

type CollectionRef = string | Collection;

/**
 * The pre-v0.23 `Dao` (`$app.dao()`, `new Dao(db)` in old migrations), mapped onto the App API.
 * PocketBase removed it in v0.23; Satchel keeps these names working so that older pb_hooks and
 * pb_migrations (and the seed's hooks file) run unchanged.
 */
export class Dao {
  /** The app the calls go to. */
  readonly app: App;

  constructor(app?: unknown) {
    this.app = unwrapApp(app);
  }

  private get js(): any {
    return jsApp(this.app);
  }

  /** The dbx builder (`dao.db().newQuery(...)`). */
  db(): unknown {
    return this.js.db();
  }
  /** A record select query of a collection. */
  recordQuery(c: CollectionRef): unknown {
    return this.js.recordQuery(c);
  }
  /** Runs `fn(txDao)` in a transaction. */
  runInTransaction(fn: (tx: Dao) => unknown): unknown {
    return this.app.runInTransaction((tx) => fn(new Dao(tx)));
  }

  /** A collection by name or id (throws when missing). */
  findCollectionByNameOrId(nameOrId: string): Collection {
    return this.js.findCollectionByNameOrId(nameOrId);
  }
  /** The collections of the given types (all without types). */
  findCollectionsByType(type: string): Collection[] {
    return this.js.findAllCollections(type);
  }
  /** Saves a collection. */
  saveCollection(c: Collection): void {
    this.app.save(c);
  }
  /** Deletes a collection. */
  deleteCollection(c: Collection): void {
    this.app.delete(c);
  }
  /** Imports collections (`deleteMissing` removes the others). */
  importCollections(items: unknown[], deleteMissing = false): void {
    this.js.importCollections(items, deleteMissing);
  }

  /** A record by id (throws when missing). */
  findRecordById(c: CollectionRef, id: string, ...fns: unknown[]): Record {
    return this.js.findRecordById(c, id, ...fns);
  }
  /** Records by ids. */
  findRecordsByIds(c: CollectionRef, ids: string[], ...fns: unknown[]): Record[] {
    return this.js.findRecordsByIds(c, ids, ...fns);
  }
  /** Records matching `$dbx` expressions. */
  findRecordsByExpr(c: CollectionRef, ...exprs: unknown[]): Record[] {
    return this.js.findAllRecords(c, ...exprs);
  }
  /** The first record whose field equals the value (throws when none). */
  findFirstRecordByData(c: CollectionRef, key: string, value: unknown): Record {
    return this.app.findFirstRecordByData(c, key, value);
  }
  /** Records matching a filter. */
  findRecordsByFilter(c: CollectionRef, filter: string, sort = "", limit = 0, offset = 0, params?: FilterParams): Record[] {
    return this.app.findRecordsByFilter(c, filter, sort, limit, offset, params);
  }
  /** The first record matching a filter (throws when none). */
  findFirstRecordByFilter(c: CollectionRef, filter: string, params?: FilterParams): Record {
    return this.app.findFirstRecordByFilter(c, filter, params);
  }
  /** An auth record by email (throws when none). */
  findAuthRecordByEmail(c: CollectionRef, email: string): Record {
    return this.app.findAuthRecordByEmail(c, email);
  }
  /** An auth record by username (the `username` field of older auth collections). */
  findAuthRecordByUsername(c: CollectionRef, username: string): Record {
    return this.app.findFirstRecordByData(c, "username", username);
  }
  /** The auth record of a token. */
  findAuthRecordByToken(token: string, ...types: string[]): Record {
    return this.js.findAuthRecordByToken(token, ...types);
  }
  /** Saves a record (validated, hooks fire). */
  saveRecord(r: Record): void {
    this.app.save(r);
  }
  /** Deletes a record. */
  deleteRecord(r: Record): void {
    this.app.delete(r);
  }
  /**
   * Deletes every record matching the filter (found through the filter compiler, then deleted
   * one by one so that hooks, cascades and file cleanup run), in one transaction. Returns how
   * many were deleted. NB: not a PocketBase Dao method; the seed's hooks file uses it.
   */
  deleteRecordsByFilter(c: CollectionRef, filter: string, params?: FilterParams): number {
    return this.app.runInTransaction((tx) => {
      const found = tx.findRecordsByFilter(c, filter, "", 0, 0, params);
      for (const r of found) tx.delete(r);
      return found.length;
    });
  }
  /** How many records match the `$dbx` expressions. */
  totalRecords(c: CollectionRef, ...exprs: unknown[]): number {
    return this.js.countRecords(c, ...exprs);
  }
  /** True when no other record has that value in the field. */
  isRecordValueUnique(c: CollectionRef, key: string, value: unknown, ...excludeIds: string[]): boolean {
    const params: FilterParams = { v: value as string };
    const found = this.app.findRecordsByFilter(c, `${key.replace(/[^\w.]/g, "")} = {:v}`, "", 0, 0, params);
    return found.every((r) => excludeIds.includes(r.id));
  }
  /** Expands relations of a record. */
  expandRecord(r: Record, expands: string[], fetch?: unknown): unknown {
    return this.js.expandRecord(r, expands, fetch);
  }
  /** Expands relations of records. */
  expandRecords(rs: Record[], expands: string[], fetch?: unknown): unknown {
    return this.js.expandRecords(rs, expands, fetch);
  }
  /** Saves the settings. */
  saveSettings(s: unknown): void {
    this.js.save(s);
  }
}
