import type { App } from "../core/app.ts";
import type { Collection } from "../core/collections/collection.ts";
import { collectionFromRow, type CollectionRow } from "../core/collections/collection.ts";
import { Record } from "../core/records/record.ts";
import { ApiError } from "../core/api-error.ts";
import { quoteIdent, type Bindable, type Row } from "../store/sqlite/database.ts";
import { asExpression, quoteColumn, renderSql, type DbxExpression, type DbxParams } from "./dbx.ts";
import { fillModel, modelOf } from "./models.ts";

/** What the rows of a query become when no destination says otherwise. */
type RowKind = { kind: "record"; collection: Collection } | { kind: "collection" } | { kind: "row" };

/** Thrown by `one()` when there is no row (PocketBase: `sql.ErrNoRows`, a 404 in routes). */
export function noRows(): ApiError {
  return new ApiError(404, "The requested resource wasn't found.");
}

const SIMPLE_COLUMN = /^\s*([A-Za-z_][\w]*(?:\.(?:[A-Za-z_][\w]*|\*))?|\*)(?:\s+(?:as\s+)?([A-Za-z_]\w*))?\s*$/i;
const ORDER_ITEM = /^\s*([A-Za-z_][\w]*(?:\.[A-Za-z_][\w]*)?)(?:\s+(asc|desc))?\s*$/i;

function columnSql(c: string): string {
  const m = SIMPLE_COLUMN.exec(c);
  if (!m) return c; // an SQL expression (`count(*) as total`), as dbx passes it through
  return quoteColumn(m[1]!) + (m[2] ? ` AS ${quoteIdent(m[2])}` : "");
}

function tableSql(t: string): string {
  const m = /^\s*([A-Za-z_][\w]*)(?:\s+(?:as\s+)?([A-Za-z_]\w*))?\s*$/i.exec(t);
  if (!m) throw new Error(`Invalid table name "${t}".`);
  return quoteIdent(m[1]!) + (m[2] ? ` ${quoteIdent(m[2])}` : "");
}

/**
 * PocketBase's dbx select query as the JS API exposes it (`$app.recordQuery("posts")`,
 * `$app.db().select(...)`): chainable `select/andSelect/distinct/from/join/where/andWhere/orWhere/
 * groupBy/having/orderBy/andOrderBy/limit/offset/bind`, finished with `all(dst)` or `one(dst)`.
 * Column and table names are quoted; every value is bound, never spliced into the SQL.
 */
export class SelectQuery {
  private columns: string[] = [];
  private isDistinct = false;
  private tables: string[] = [];
  private joins: { type: string; table: string; on: DbxExpression | null }[] = [];
  private whereExpr: DbxExpression | null = null;
  private groups: string[] = [];
  private havingExpr: DbxExpression | null = null;
  private orders: string[] = [];
  private limitN = -1;
  private offsetN = 0;
  private params: DbxParams = {};

  constructor(
    private readonly app: App,
    private readonly rowKind: RowKind = { kind: "row" },
  ) {}

  /** Sets the selected columns (default `table.*`). */
  select(...cols: string[]): this {
    this.columns = cols.flat().map(String);
    return this;
  }
  /** Adds selected columns. */
  andSelect(...cols: string[]): this {
    this.columns.push(...cols.flat().map(String));
    return this;
  }
  /** `SELECT DISTINCT`. */
  distinct(on = true): this {
    this.isDistinct = !!on;
    return this;
  }
  /** Sets the tables (`"posts"`, `"posts p"`). */
  from(...tables: string[]): this {
    this.tables = tables.flat().map(String);
    return this;
  }
  /** Adds a join of the given type. */
  join(type: string, table: string, on?: unknown): this {
    this.joins.push({ type: type.toUpperCase(), table, on: on === undefined || on === null ? null : asExpression(on) });
    return this;
  }
  /** `INNER JOIN`. */
  innerJoin(table: string, on?: unknown): this {
    return this.join("INNER JOIN", table, on);
  }
  /** `LEFT JOIN`. */
  leftJoin(table: string, on?: unknown): this {
    return this.join("LEFT JOIN", table, on);
  }
  /** `RIGHT JOIN`. */
  rightJoin(table: string, on?: unknown): this {
    return this.join("RIGHT JOIN", table, on);
  }
  /** Replaces the WHERE condition (a `$dbx` expression or raw SQL with `{:name}` placeholders). */
  where(e: unknown): this {
    this.whereExpr = e === null || e === undefined ? null : asExpression(e);
    return this;
  }
  /** ANDs a condition to the WHERE clause. */
  andWhere(e: unknown): this {
    return this.combine("AND", e);
  }
  /** ORs a condition to the WHERE clause. */
  orWhere(e: unknown): this {
    return this.combine("OR", e);
  }
  private combine(op: "AND" | "OR", e: unknown): this {
    if (e === null || e === undefined) return this;
    const next = asExpression(e);
    const prev = this.whereExpr;
    this.whereExpr = prev
      ? {
          build(out, qp) {
            const a = prev.build(out, qp);
            const b = next.build(out, qp);
            if (!a) return b;
            if (!b) return a;
            return `(${a}) ${op} (${b})`;
          },
        }
      : next;
    return this;
  }
  /** `GROUP BY`. */
  groupBy(...cols: string[]): this {
    this.groups = cols.flat().map(String);
    return this;
  }
  /** Adds `GROUP BY` columns. */
  andGroupBy(...cols: string[]): this {
    this.groups.push(...cols.flat().map(String));
    return this;
  }
  /** `HAVING`. */
  having(e: unknown): this {
    this.havingExpr = e === null || e === undefined ? null : asExpression(e);
    return this;
  }
  /** Sets the order (`"created DESC"`, `"title"`; other text is taken as an SQL expression). */
  orderBy(...cols: string[]): this {
    this.orders = cols.flat().map(String);
    return this;
  }
  /** Adds order columns. */
  andOrderBy(...cols: string[]): this {
    this.orders.push(...cols.flat().map(String));
    return this;
  }
  /** `LIMIT` (negative: none). */
  limit(n: number): this {
    this.limitN = Math.trunc(Number(n));
    return this;
  }
  /** `OFFSET`. */
  offset(n: number): this {
    this.offsetN = Math.max(0, Math.trunc(Number(n)) || 0);
    return this;
  }
  /** Values for `{:name}` placeholders in raw SQL parts. */
  bind(params: DbxParams): this {
    this.params = { ...this.params, ...(params ?? {}) };
    return this;
  }

  /** The SQL text and its bound values. */
  build(): { sql: string; params: Bindable[] } {
    const out: Bindable[] = [];
    const from = this.tables.map(tableSql);
    const cols = this.columns.length ? this.columns.map(columnSql) : [this.tables.length === 1 ? `${quoteIdent(this.tables[0]!.trim().split(/\s+/).pop()!)}.*` : "*"];
    let sql = `SELECT ${this.isDistinct ? "DISTINCT " : ""}${cols.join(", ")}`;
    if (from.length) sql += ` FROM ${from.join(", ")}`;
    for (const j of this.joins) sql += ` ${j.type} ${tableSql(j.table)}${j.on ? ` ON ${j.on.build(out, this.params)}` : ""}`;
    const where = this.whereExpr?.build(out, this.params);
    if (where) sql += ` WHERE ${where}`;
    if (this.groups.length) sql += ` GROUP BY ${this.groups.map(columnSql).join(", ")}`;
    const having = this.havingExpr?.build(out, this.params);
    if (having) sql += ` HAVING ${having}`;
    if (this.orders.length) {
      const items = this.orders.flatMap((o) => o.split(",")).filter((o) => o.trim() !== "");
      sql += ` ORDER BY ${items.map((o) => {
        const m = ORDER_ITEM.exec(o);
        return m ? `${quoteColumn(m[1]!)}${m[2] ? " " + m[2].toUpperCase() : ""}` : renderSql(o, undefined, this.params, out);
      }).join(", ")}`;
    }
    if (this.limitN >= 0 || this.offsetN > 0) {
      sql += " LIMIT ?";
      out.push(this.limitN >= 0 ? this.limitN : -1);
      if (this.offsetN > 0) {
        sql += " OFFSET ?";
        out.push(this.offsetN);
      }
    }
    return { sql, params: out };
  }

  /** Runs the query; the rows fill `dst` (an `arrayOf(...)` array) when given, and are returned. */
  all(dst?: unknown): unknown[] {
    const { sql, params } = this.build();
    const rows = this.app.db().all(sql, params);
    return fillRows(rows, dst, this.rowKind);
  }

  /** Runs the query for its first row; fills `dst` (a Record, DynamicModel or object). Throws 404 without a row. */
  one(dst?: unknown): unknown {
    const { sql, params } = this.build();
    const wrapped = /\bLIMIT\b/i.test(sql) ? sql : `${sql} LIMIT 1`;
    const row = this.app.db().get(wrapped, params);
    if (!row) throw noRows();
    return fillOne(row, dst, this.rowKind);
  }

  /** The first column of every row. */
  column(): unknown[] {
    const { sql, params } = this.build();
    return this.app.db().values(sql, params).map((r) => r[0]);
  }
}

/** Converts rows into the destination's model (records, collections, dynamic models, plain rows). */
export function fillRows(rows: Row[], dst: unknown, kind: RowKind): unknown[] {
  const model = Array.isArray(dst) ? modelOf(dst) : undefined;
  const items = rows.map((row) => convertRow(row, model, kind));
  if (Array.isArray(dst)) {
    dst.length = 0;
    dst.push(...items);
  }
  return items;
}

/** Converts one row and loads it into `dst` when given. */
export function fillOne(row: Row, dst: unknown, kind: RowKind): unknown {
  const item = convertRow(row, dst, kind);
  if (dst && typeof dst === "object" && dst !== item) {
    if (dst instanceof Record && item instanceof Record) {
      // NB: the JS `new Record()` placeholder takes over the loaded record's state in place
      Object.assign(dst, item);
      return dst;
    }
    Object.assign(dst, item);
    return dst;
  }
  return item;
}

function convertRow(row: Row, model: unknown, kind: RowKind): unknown {
  if (kind.kind === "record" && (model === undefined || model instanceof Record)) return Record.fromRow(kind.collection, row);
  if (kind.kind === "collection") return collectionFromRow(row as unknown as CollectionRow);
  if (model instanceof Record && model.collection().name !== "") return Record.fromRow(model.collection(), row);
  if (model && typeof model === "object" && !(model instanceof Record)) return fillModel(model as { [k: string]: unknown }, row);
  return { ...row };
}
