import type { SqliteDatabase } from "../../store/sqlite/database.ts";
import { quoteIdent } from "../../store/sqlite/database.ts";
import type { Collection } from "./collection.ts";
import type { FieldConfig } from "./collection-types.ts";
import { getFieldKind } from "../fields/registry.ts";
import { parseIndex, buildIndexSql } from "./index-parse.ts";
import { ValidationError, fieldError } from "../api-error.ts";
import { randomString } from "../../tools/security.ts";

function columnDef(f: FieldConfig): string {
  const kind = getFieldKind(f.type);
  return `${quoteIdent(f.name)} ${kind ? kind.columnType(f) : "JSON DEFAULT NULL"}`;
}

function isMulti(f: FieldConfig): boolean {
  return getFieldKind(f.type)?.isMultiple(f) ?? false;
}

/** Creates the table (or view) of a new collection, with its indexes. */
export function createCollectionTable(db: SqliteDatabase, c: Collection): void {
  if (c.isView()) {
    db.exec(`CREATE VIEW ${quoteIdent(c.name)} AS SELECT * FROM (${c.viewQuery})`);
    return;
  }
  db.exec(`CREATE TABLE ${quoteIdent(c.name)} (${c.fields.map(columnDef).join(", ")})`);
  createIndexes(db, c);
}

/**
 * Brings an existing table in line with the new collection definition. Fields are diffed by id:
 * new ids are added, renamed fields renamed, missing ids dropped, and a field switching between
 * single and multiple has its values converted. Indexes are dropped first and re-created last.
 */
export function syncCollectionTable(db: SqliteDatabase, oldC: Collection, newC: Collection): void {
  if (newC.isView()) {
    db.exec(`DROP VIEW IF EXISTS ${quoteIdent(oldC.name)}`);
    db.exec(`CREATE VIEW ${quoteIdent(newC.name)} AS SELECT * FROM (${newC.viewQuery})`);
    return;
  }
  dropIndexes(db, oldC);
  let table = oldC.name;
  if (oldC.name !== newC.name) {
    // a case-only rename needs a temporary name in SQLite
    const tmp = `_tmp_${randomString(8)}`;
    db.exec(`ALTER TABLE ${quoteIdent(table)} RENAME TO ${quoteIdent(tmp)}`);
    db.exec(`ALTER TABLE ${quoteIdent(tmp)} RENAME TO ${quoteIdent(newC.name)}`);
    table = newC.name;
  }
  const t = quoteIdent(table);
  for (const old of oldC.fields) {
    if (!newC.getFieldById(old.id)) db.exec(`ALTER TABLE ${t} DROP COLUMN ${quoteIdent(old.name)}`);
  }
  // renames go through temporary names so that swapped names do not clash
  const renames: { tmp: string; to: string }[] = [];
  for (const f of newC.fields) {
    const old = oldC.getFieldById(f.id);
    if (old && old.name !== f.name) {
      const tmp = `_tmp_${randomString(8)}`;
      db.exec(`ALTER TABLE ${t} RENAME COLUMN ${quoteIdent(old.name)} TO ${quoteIdent(tmp)}`);
      renames.push({ tmp, to: f.name });
    }
  }
  for (const r of renames) db.exec(`ALTER TABLE ${t} RENAME COLUMN ${quoteIdent(r.tmp)} TO ${quoteIdent(r.to)}`);
  for (const f of newC.fields) {
    const old = oldC.getFieldById(f.id);
    if (!old) {
      db.exec(`ALTER TABLE ${t} ADD COLUMN ${columnDef(f)}`);
      continue;
    }
    if (isMulti(old) !== isMulti(f)) convertMultiplicity(db, table, f, isMulti(f));
  }
  createIndexes(db, newC);
}

/**
 * PocketBase parity: single → multiple turns `''` into `[]` and `v` into `["v"]`; multiple →
 * single keeps the last element. The column is rebuilt with the new definition.
 */
function convertMultiplicity(db: SqliteDatabase, table: string, f: FieldConfig, toMulti: boolean): void {
  const t = quoteIdent(table);
  const col = quoteIdent(f.name);
  const tmp = quoteIdent(`_tmp_${randomString(8)}`);
  db.exec(`ALTER TABLE ${t} ADD COLUMN ${tmp} ${getFieldKind(f.type)!.columnType(f)}`);
  if (toMulti) {
    db.exec(`UPDATE ${t} SET ${tmp} = CASE WHEN COALESCE(${col}, '') = '' THEN '[]' WHEN json_valid(${col}) AND json_type(${col}) = 'array' THEN ${col} ELSE json_array(${col}) END`);
  } else {
    db.exec(`UPDATE ${t} SET ${tmp} = CASE WHEN json_valid(${col}) AND json_type(${col}) = 'array' THEN COALESCE(json_extract(${col}, '$[#-1]'), '') ELSE COALESCE(${col}, '') END`);
  }
  db.exec(`ALTER TABLE ${t} DROP COLUMN ${col}`);
  db.exec(`ALTER TABLE ${t} RENAME COLUMN ${tmp} TO ${col}`);
}

/** Drops the table or view of a collection. */
export function dropCollectionTable(db: SqliteDatabase, c: Collection): void {
  db.exec(c.isView() ? `DROP VIEW IF EXISTS ${quoteIdent(c.name)}` : `DROP TABLE IF EXISTS ${quoteIdent(c.name)}`);
}

function dropIndexes(db: SqliteDatabase, c: Collection): void {
  for (const sql of c.indexes) {
    const ix = parseIndex(sql);
    if (ix) db.exec(`DROP INDEX IF EXISTS ${quoteIdent(ix.indexName)}`);
  }
}

/** Creates the collection's indexes; a failing one is reported as `indexes.N` validation error. */
function createIndexes(db: SqliteDatabase, c: Collection): void {
  c.indexes.forEach((sql, i) => {
    const ix = parseIndex(sql);
    if (!ix) return;
    try {
      db.exec(buildIndexSql(ix, c.name));
    } catch (err) {
      const reason = err instanceof Error ? err.message : String(err);
      throw new ValidationError({ indexes: { [String(i)]: fieldError("validation_invalid_index_expression", `Failed to create index ${ix.indexName} - ${reason}.`) } });
    }
  });
}
