import type { App } from "../app.ts";
import type { Collection } from "../collections/collection.ts";
import { Record, kindOf } from "./record.ts";
import { quoteIdent, type Bindable, type Row } from "../../store/sqlite/database.ts";

/** Builds records from table rows. */
export function rowsToRecords(collection: Collection, rows: Row[]): Record[] {
  return rows.map((row) => Record.fromRow(collection, row));
}

/** `SELECT … WHERE id = ?` by table name (built once: every view and auth lookup runs one). */
const byIdSql = new Map<string, string>();

/** A record by id, or null. */
export function findRecordById(app: App, c: Collection, id: string): Record | null {
  if (!id) return null;
  let sql = byIdSql.get(c.name);
  if (sql === undefined) {
    sql = `SELECT * FROM ${quoteIdent(c.name)} WHERE id = ? LIMIT 1`;
    if (byIdSql.size >= 1000) byIdSql.clear();
    byIdSql.set(c.name, sql);
  }
  const row = app.db().get(sql, [id]);
  return row ? Record.fromRow(c, row) : null;
}

/** Records by ids, in the order of the ids given (missing ones skipped). */
export function findRecordsByIds(app: App, c: Collection, ids: string[]): Record[] {
  const unique = [...new Set(ids.filter((x) => typeof x === "string" && x !== ""))];
  if (unique.length === 0) return [];
  const out = new Map<string, Record>();
  for (let i = 0; i < unique.length; i += 500) {
    const chunk = unique.slice(i, i + 500);
    const rows = app.db().all(`SELECT * FROM ${quoteIdent(c.name)} WHERE id IN (${chunk.map(() => "?").join(",")})`, chunk);
    for (const row of rows) out.set(String(row.id), Record.fromRow(c, row));
  }
  return unique.map((id) => out.get(id)).filter((r): r is Record => !!r);
}

/** Every record of the collection. */
export function findAllRecords(app: App, c: Collection): Record[] {
  return rowsToRecords(c, app.db().all(`SELECT * FROM ${quoteIdent(c.name)}`));
}

/** The first record whose field equals the value, or null. */
export function findFirstRecordByData(app: App, c: Collection, key: string, value: unknown): Record | null {
  const f = c.getFieldByName(key);
  if (!f) return null;
  const bound = kindOf(f).toDb(f, kindOf(f).normalize(f, value)) as Bindable;
  const row = app.db().get(`SELECT * FROM ${quoteIdent(c.name)} WHERE ${quoteIdent(key)} = ? LIMIT 1`, [bound]);
  return row ? Record.fromRow(c, row) : null;
}

/**
 * An auth record by email. PocketBase parity: the match is case-insensitive only when the
 * collection's unique email index uses `COLLATE NOCASE`.
 */
export function findAuthRecordByEmail(app: App, c: Collection, email: string): Record | null {
  if (!c.isAuth() || !email) return null;
  const nocase = c.indexes.some((ix) => /\(\s*[`"]?email[`"]?\s+COLLATE\s+NOCASE/i.test(ix));
  const row = app.db().get(`SELECT * FROM ${quoteIdent(c.name)} WHERE email = ?${nocase ? " COLLATE NOCASE" : ""} LIMIT 1`, [email]);
  return row ? Record.fromRow(c, row) : null;
}

/** The number of rows in a collection's table. */
export function countAllRecords(app: App, c: Collection): number {
  const row = app.db().get<{ n: number }>(`SELECT COUNT(*) AS n FROM ${quoteIdent(c.name)}`);
  return row?.n ?? 0;
}
