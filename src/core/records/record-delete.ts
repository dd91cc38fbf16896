import type { App } from "../app.ts";
import type { Collection } from "../collections/collection.ts";
import type { FieldConfig } from "../collections/collection-types.ts";
import type { Record } from "./record.ts";
import type { RecordEvent } from "../events.ts";
import { newEvent } from "../events.ts";
import { ApiError } from "../api-error.ts";
import { quoteIdent, type Row, type SqliteDatabase } from "../../store/sqlite/database.ts";
import { rowsToRecords } from "./record-query.ts";

/**
 * Deletes a record through PocketBase's pipeline: `onRecordDelete` → `onRecordDeleteExecute` →
 * relation cascades + DELETE, all in one transaction; then `onRecordAfterDeleteSuccess` after the
 * commit, or `onRecordAfterDeleteError`.
 *
 * For every relation that points at the record, the id is removed from the referencing record;
 * if that leaves the relation empty and it has `cascadeDelete`, the referencing record is deleted
 * too; if it leaves a required relation empty, the whole delete fails.
 */
export function deleteRecord(app: App, record: Record): void {
  const c = record.collection();
  if (c.isView()) throw new Error(`The collection "${c.name}" is a view and is read-only.`);
  const h = app.hooks;
  const tags = [c.id, c.name];
  const event = newEvent<RecordEvent>({ app, record });
  try {
    app.runInTransaction((tx) => {
      event.app = tx;
      h.recordDelete.trigger(event, (e) => {
        h.recordDeleteExecute.trigger(e, (ev) => {
          cascadeRelations(ev.app, ev.record);
          const db = ev.app.db();
          const n = db.run(`DELETE FROM ${quoteIdent(c.name)} WHERE id = ?`, [ev.record.id]);
          prefetches.get(db)?.recordDelete(c.name, ev.record.id, n);
        }, tags);
      }, tags);
      tx.afterCommit(() => {
        event.app = app;
        h.recordAfterDeleteSuccess.trigger(event, () => {}, tags);
      });
    });
  } catch (err) {
    h.recordAfterDeleteError.trigger(newEvent<RecordEvent>({ app, record, error: err }), () => {}, tags);
    throw err;
  }
}

/** A relation field of `collection` that points at the collection being deleted from. */
interface Reference {
  readonly collection: Collection;
  readonly field: FieldConfig;
  readonly multi: boolean;
}

/** The relation fields of (non-view) collections that point at `target`. */
function referencesTo(app: App, target: Collection): Reference[] {
  const out: Reference[] = [];
  for (const other of app.findAllCollections()) {
    if (other.isView()) continue;
    for (const f of other.fields) {
      if (f.type === "relation" && f.collectionId === target.id) out.push({ collection: other, field: f, multi: Number(f.maxSelect ?? 0) > 1 });
    }
  }
  return out;
}

function cascadeRelations(app: App, record: Record): void {
  const c = record.collection();
  for (const ref of referencesTo(app, c)) {
    const { collection: other, field: f, multi } = ref;
    const refs = rowsToRecords(other, referencingRows(app, ref, record.id));
    // the records this pass will delete: their own references are read in one scan per relation
    const doomed = f.cascadeDelete ? refs.filter((r) => !(other.id === c.id && r.id === record.id) && r.getStringSlice(f.name).every((id) => id === record.id)) : [];
    const release = doomed.length > 1 ? prefetchReferences(app, other, doomed.map((r) => r.id)) : null;
    try {
      for (const r of refs) {
        if (other.id === c.id && r.id === record.id) continue;
        const ids = r.getStringSlice(f.name).filter((id) => id !== record.id);
        if (ids.length === 0 && f.cascadeDelete) {
          app.delete(r);
          continue;
        }
        if (ids.length === 0 && f.required) {
          throw new ApiError(400, "Failed to delete record. Make sure that the record is not part of a required relation reference.");
        }
        r.set(f.name, multi ? ids : (ids[0] ?? ""));
        app.saveNoValidate(r);
      }
    } finally {
      release?.();
    }
  }
}

/** The rows of `ref.collection` whose relation `ref.field` holds `id` (from a prefetch when one is still exact). */
function referencingRows(app: App, ref: Reference, id: string): Row[] {
  const db = app.db();
  const hit = prefetches.get(db)?.take(app, ref, id);
  if (hit) return hit;
  const table = quoteIdent(ref.collection.name);
  const col = quoteIdent(ref.field.name);
  const sql = ref.multi
    ? `SELECT ${table}.* FROM ${table} WHERE EXISTS (SELECT 1 FROM json_each(CASE WHEN json_valid(${table}.${col}) THEN ${table}.${col} ELSE json_array(${table}.${col}) END) je WHERE je.value = ?)`
    : `SELECT * FROM ${table} WHERE ${col} = ?`;
  return db.all(sql, [id]);
}

/** The most rows one prefetch holds; a larger cascade scans per record as before. */
const PREFETCH_MAX_ROWS = 20_000;

/** One relation's referencing rows for a set of ids, read in one scan. */
interface Prefetch {
  readonly ref: Reference;
  readonly rows: Map<string, Row[]>;
  /** `total_changes()` and the ledger's own-delete count when the rows were read. */
  readonly changesAt: number;
  readonly knownAt: number;
}

/**
 * The live prefetches of one connection and the ledger of the cascade's own DELETEs since the
 * first of them was read.
 */
class PrefetchState {
  readonly live = new Set<Prefetch>();
  private known = 0;
  private readonly deleted = new Set<string>();

  constructor(private readonly db: SqliteDatabase) {}

  /** Counts a row deleted by the pipeline itself (a change the prefetches can account for). */
  recordDelete(table: string, id: string, changes: number): void {
    this.known += changes;
    if (changes > 0) this.deleted.add(`${table}\u0000${id}`);
  }

  add(ref: Reference, rows: Map<string, Row[]>): Prefetch {
    const p: Prefetch = { ref, rows, changesAt: totalChanges(this.db), knownAt: this.known };
    this.live.add(p);
    return p;
  }

  /**
   * The rows referencing `id` through `ref`, when a prefetch holds them and is still exact: since
   * it was read, the connection changed no row other than the pipeline's own DELETEs (whose rows
   * are left out once checked gone) and the schema is the same. Anything else (a hook's write, an
   * update of a multiple relation, a trigger) drops the prefetch: the caller scans as before.
   */
  take(app: App, ref: Reference, id: string): Row[] | null {
    for (const p of this.live) {
      if (p.ref.collection.id !== ref.collection.id || p.ref.field.name !== ref.field.name) continue;
      const rows = p.rows.get(id);
      if (!rows) continue;
      const exact = totalChanges(this.db) - p.changesAt === this.known - p.knownAt && app.findCachedCollectionByNameOrId(ref.collection.id) === p.ref.collection;
      const table = quoteIdent(ref.collection.name);
      const gone = rows.filter((r) => this.deleted.has(`${ref.collection.name}\u0000${String(r.id)}`));
      // NB: a savepoint rolled back by a hook may have restored one of them
      if (!exact || gone.some((r) => this.db.get(`SELECT 1 FROM ${table} WHERE id = ? LIMIT 1`, [String(r.id)]) !== null)) {
        this.live.delete(p);
        return null;
      }
      p.rows.delete(id);
      return gone.length === 0 ? rows : rows.filter((r) => !gone.includes(r));
    }
    return null;
  }
}

const prefetches = new WeakMap<SqliteDatabase, PrefetchState>();

function totalChanges(db: SqliteDatabase): number {
  return Number(db.values("SELECT total_changes()")[0]![0]);
}

/**
 * Reads, in one scan per single relation, the rows that reference any of `ids` (records of
 * `target` about to be deleted one by one), instead of one full scan per record. Returns the
 * release callback. PocketBase parity: the records are still deleted one at a time, each with its
 * hooks and its own cascade, in the same order; only where their referencing rows come from
 * changes, and only while that is provably the same as a fresh scan.
 */
function prefetchReferences(app: App, target: Collection, ids: string[]): (() => void) | null {
  // a multiple relation may hold several of the ids: updating such a row voids a prefetch anyway
  const refs = referencesTo(app, target).filter((r) => !r.multi);
  if (refs.length === 0) return null;
  const db = app.db();
  let state = prefetches.get(db);
  if (!state) {
    state = new PrefetchState(db);
    prefetches.set(db, state);
  }
  const owner = state;
  const mine: Prefetch[] = [];
  for (const ref of refs) {
    const table = quoteIdent(ref.collection.name);
    const col = quoteIdent(ref.field.name);
    const rows = db.all(`SELECT * FROM ${table} WHERE ${col} IN (SELECT "value" FROM json_each(?)) LIMIT ${PREFETCH_MAX_ROWS + 1}`, [JSON.stringify(ids)]);
    if (rows.length > PREFETCH_MAX_ROWS) continue;
    const byId = new Map<string, Row[]>(ids.map((id) => [id, []]));
    for (const row of rows) byId.get(String(row[ref.field.name]))?.push(row);
    mine.push(owner.add(ref, byId));
  }
  return () => {
    for (const p of mine) owner.live.delete(p);
    if (owner.live.size === 0) prefetches.delete(db);
  };
}
