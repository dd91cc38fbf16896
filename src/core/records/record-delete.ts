import type { App } from "../app.ts";
import type { Record } from "./record.ts";
import type { RecordEvent } from "../events.ts";
import { newEvent } from "../events.ts";
import { ApiError } from "../api-error.ts";
import { quoteIdent } from "../../store/sqlite/database.ts";
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
          ev.app.db().run(`DELETE FROM ${quoteIdent(c.name)} WHERE id = ?`, [ev.record.id]);
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

function cascadeRelations(app: App, record: Record): void {
  const c = record.collection();
  for (const other of app.findAllCollections()) {
    if (other.isView()) continue;
    for (const f of other.fields) {
      if (f.type !== "relation" || f.collectionId !== c.id) continue;
      const multi = Number(f.maxSelect ?? 0) > 1;
      const table = quoteIdent(other.name);
      const col = quoteIdent(f.name);
      const sql = multi
        ? `SELECT ${table}.* FROM ${table} WHERE EXISTS (SELECT 1 FROM json_each(CASE WHEN json_valid(${table}.${col}) THEN ${table}.${col} ELSE json_array(${table}.${col}) END) je WHERE je.value = ?)`
        : `SELECT * FROM ${table} WHERE ${col} = ?`;
      const refs = rowsToRecords(other, app.db().all(sql, [record.id]));
      for (const ref of refs) {
        if (other.id === c.id && ref.id === record.id) continue;
        const ids = ref.getStringSlice(f.name).filter((id) => id !== record.id);
        if (ids.length === 0 && f.cascadeDelete) {
          app.delete(ref);
          continue;
        }
        if (ids.length === 0 && f.required) {
          throw new ApiError(400, "Failed to delete record. Make sure that the record is not part of a required relation reference.");
        }
        ref.set(f.name, multi ? ids : (ids[0] ?? ""));
        app.saveNoValidate(ref);
      }
    }
  }
}
