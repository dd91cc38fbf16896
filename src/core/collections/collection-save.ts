import type { App } from "../app.ts";
import { Collection, collectionToRow, defaultCollectionId } from "./collection.ts";
import type { FieldConfig } from "./collection-types.ts";
import type { CollectionEvent } from "../events.ts";
import { newEvent } from "../events.ts";
import { validateCollection } from "./collection-validate.ts";
import { createCollectionTable, dropCollectionTable, syncCollectionTable } from "./schema-sync.ts";
import { authSystemFields, idField, newTokenSecret } from "./auth-defaults.ts";
import { inferViewFields, ViewQueryError } from "./view-schema.ts";
import { parseIndex, buildIndexSql } from "./index-parse.ts";
import { normalizeFieldConfig } from "../fields/field-defaults.ts";
import { ApiError, ValidationError, fieldError } from "../api-error.ts";
import { nowString } from "../../tools/dates.ts";
import { crc32 } from "../../tools/security.ts";

/** Options of a collection save. */
export interface CollectionSaveOptions {
  validate?: boolean;
}

/**
 * Saves a collection through PocketBase's model pipeline (`onCollectionCreate|Update` →
 * `onCollectionValidate` → `onCollectionCreate|UpdateExecute`), writing the `_collections` row and
 * syncing the table in one transaction.
 */
export function saveCollection(app: App, c: Collection, opts: CollectionSaveOptions = {}): void {
  const old = c.id ? app.findCachedCollectionByNameOrId(c.id) : null;
  const stored = old && old.id === c.id ? old.clone() : null;
  const isNew = !stored;
  const h = app.hooks;
  const tags = [c.id, c.name];
  const event = newEvent<CollectionEvent>({ app, collection: c });
  try {
    app.runInTransaction((tx) => {
      event.app = tx;
      tx.noteSchemaChange();
      (isNew ? h.collectionCreate : h.collectionUpdate).trigger(event, (e) => {
        prepareCollection(e.app, e.collection, stored);
        if (opts.validate !== false) {
          h.collectionValidate.trigger(e, (ev) => validateCollection(ev.app, ev.collection, stored), tags);
        }
        (isNew ? h.collectionCreateExecute : h.collectionUpdateExecute).trigger(e, (ev) => writeCollection(ev.app, ev.collection, stored), tags);
      }, tags);
      tx.afterCommit(() => {
        event.app = app;
        (isNew ? h.collectionAfterCreateSuccess : h.collectionAfterUpdateSuccess).trigger(event, () => {}, tags);
      });
    });
  } catch (err) {
    (isNew ? h.collectionAfterCreateError : h.collectionAfterUpdateError).trigger(newEvent<CollectionEvent>({ app, collection: c, error: err }), () => {}, tags);
    throw err;
  }
}

/** Fills defaults: id, timestamps, system fields, field ids, auth indexes, view fields. */
function prepareCollection(app: App, c: Collection, old: Collection | null): void {
  if (!c.id) {
    let id = defaultCollectionId(c.type, c.name);
    for (let i = 2; app.findCachedCollectionByNameOrId(id) && i < 1000; i++) id = defaultCollectionId(c.type, c.name) + i;
    c.id = id;
  }
  const now = nowString();
  if (!old) c.created = c.created || now;
  else c.created = old.created;
  c.updated = now;

  if (c.isView()) {
    try {
      c.fields = inferViewFields(app, c.viewQuery ?? "", old?.fields ?? []);
    } catch (err) {
      if (err instanceof ViewQueryError) throw new ValidationError({ viewQuery: fieldError("validation_invalid_view_query", `Invalid query - ${err.message}`) });
      throw err;
    }
  } else {
    ensureSystemFields(c, old);
  }
  c.fields = c.fields.map((f) => normalizeFieldConfig(f));
  for (const f of c.fields) {
    if (f.type === "relation" && typeof f.collectionId === "string" && f.collectionId) {
      const target = app.findCachedCollectionByNameOrId(f.collectionId) ?? (f.collectionId === c.name ? c : null);
      if (target) f.collectionId = target.id;
    }
  }
  c.touchFields();

  if (c.isAuth()) {
    if (!c.indexes.some((ix) => parseIndex(ix)?.columns.length === 1 && parseIndex(ix)?.unique && parseIndex(ix)?.columns[0]!.name === "tokenKey")) {
      c.addIndex(`idx_tokenKey_${c.id}`, true, "`tokenKey`");
    }
    if (!c.indexes.some((ix) => parseIndex(ix)?.columns.length === 1 && parseIndex(ix)?.unique && parseIndex(ix)?.columns[0]!.name === "email")) {
      c.addIndex(`idx_email_${c.id}`, true, "`email`", "`email` != ''");
    }
    if (c.name === "_superusers") {
      if (c.oauth2) c.oauth2.enabled = false;
      if (c.passwordAuth) c.passwordAuth.enabled = true;
      if (c.otp?.enabled && c.mfa) c.mfa.enabled = true;
    }
    if (old && old.authRule !== c.authRule && c.authToken) c.authToken.secret = newTokenSecret();
  }
  c.indexes = c.indexes.map((sql) => {
    const ix = typeof sql === "string" ? parseIndex(sql) : null;
    return ix ? buildIndexSql(ix, c.name) : sql;
  });
}

/** Re-adds missing system fields and gives every field an id (by name match, else a default). */
function ensureSystemFields(c: Collection, old: Collection | null): void {
  const required = c.isAuth() ? [idField(), ...authSystemFields()] : [idField()];
  for (const sys of required) {
    if (!c.fields.some((f) => f.name === sys.name)) c.fields.splice(sys.name === "id" ? 0 : c.fields.length, 0, sys);
  }
  const used = new Set<string>();
  for (const f of c.fields) {
    if (f.id && !used.has(f.id)) {
      used.add(f.id);
      continue;
    }
    const byName = old?.fields.find((o) => o.name === f.name && !used.has(o.id));
    let id = byName?.id ?? `${f.type}${crc32(f.name)}`;
    for (let i = 2; used.has(id); i++) id = `${f.type}${crc32(f.name)}${i}`;
    f.id = id;
    used.add(id);
  }
  // system fields keep their system flag
  for (const f of c.fields) {
    const sys = required.find((s) => s.name === f.name);
    if (sys) f.system = true;
  }
}

function writeCollection(app: App, c: Collection, old: Collection | null): void {
  const row = collectionToRow(c);
  const db = app.db();
  if (!old) {
    db.run(
      "INSERT INTO _collections (id, system, type, name, fields, indexes, listRule, viewRule, createRule, updateRule, deleteRule, options, created, updated) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
      [row.id, row.system ? 1 : 0, row.type, row.name, row.fields, row.indexes, row.listRule, row.viewRule, row.createRule, row.updateRule, row.deleteRule, row.options, row.created, row.updated],
    );
    createCollectionTable(db, c);
  } else {
    db.run(
      "UPDATE _collections SET system = ?, type = ?, name = ?, fields = ?, indexes = ?, listRule = ?, viewRule = ?, createRule = ?, updateRule = ?, deleteRule = ?, options = ?, updated = ? WHERE id = ?",
      [row.system ? 1 : 0, row.type, row.name, row.fields, row.indexes, row.listRule, row.viewRule, row.createRule, row.updateRule, row.deleteRule, row.options, row.updated, row.id],
    );
    syncCollectionTable(db, old, c);
  }
  app.reloadCollections();
}

/**
 * Deletes a collection and its table. System collections cannot be deleted, nor collections
 * still referenced by relation fields of other collections.
 */
export function deleteCollection(app: App, c: Collection): void {
  if (c.system) throw new ApiError(400, "System collections cannot be deleted.");
  for (const other of app.findAllCollections()) {
    if (other.id === c.id) continue;
    const refs = other.fields.some((f: FieldConfig) => f.type === "relation" && f.collectionId === c.id);
    const viewRef = other.isView() && new RegExp(`\\b${c.name}\\b`, "i").test(other.viewQuery ?? "");
    if (refs || viewRef) throw new ApiError(400, `Failed to delete collection probably due to existing reference in ${other.name}.`);
  }
  const h = app.hooks;
  const tags = [c.id, c.name];
  const event = newEvent<CollectionEvent>({ app, collection: c });
  try {
    app.runInTransaction((tx) => {
      event.app = tx;
      tx.noteSchemaChange();
      h.collectionDelete.trigger(event, (e) => {
        h.collectionDeleteExecute.trigger(e, (ev) => {
          ev.app.db().run("DELETE FROM _collections WHERE id = ?", [c.id]);
          dropCollectionTable(ev.app.db(), c);
          ev.app.reloadCollections();
        }, tags);
      }, tags);
      tx.afterCommit(() => {
        event.app = app;
        h.collectionAfterDeleteSuccess.trigger(event, () => {}, tags);
      });
    });
  } catch (err) {
    h.collectionAfterDeleteError.trigger(newEvent<CollectionEvent>({ app, collection: c, error: err }), () => {}, tags);
    throw err;
  }
}
