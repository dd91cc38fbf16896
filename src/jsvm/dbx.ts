import { quoteIdent, type Bindable } from "../store/sqlite/database.ts";
import { DateTime } from "../tools/date-time.ts";

/** `{:name}` values of a query or expression. */
export type DbxParams = { [name: string]: unknown };

/**
 * A SQL expression of PocketBase's `$dbx` (the Go `dbx.Expression`): it renders to SQL text with
 * `?` placeholders and appends the bound values. Values are always bound, never spliced.
 */
export interface DbxExpression {
  /** Renders the expression; `params` are the enclosing query's `{:name}` values. */
  build(out: Bindable[], params: DbxParams): string;
}

/** True for `$dbx` expressions. */
export function isExpression(v: unknown): v is DbxExpression {
  return typeof v === "object" && v !== null && typeof (v as DbxExpression).build === "function";
}

/** A value as bun:sqlite binds it (dates as PocketBase's text form, objects as JSON). */
export function toBindable(v: unknown): Bindable {
  if (v === undefined || v === null) return null;
  if (typeof v === "string" || typeof v === "number" || typeof v === "bigint" || v instanceof Uint8Array) return v;
  if (typeof v === "boolean") return v ? 1 : 0;
  if (v instanceof Date) return v.toISOString().replace("T", " ");
  if (v instanceof DateTime) return v.string();
  return JSON.stringify(v);
}

/** Quotes `name` or `table.name` (each part), leaving `*` alone. */
export function quoteColumn(name: string): string {
  return name
    .split(".")
    .map((p) => (p === "*" ? p : quoteIdent(p)))
    .join(".");
}

/**
 * Renders raw SQL: `{:name}` becomes `?` bound to the value (from `own`, then the query's
 * params; a missing one is an error), `{{table}}` and `[[column]]` become quoted identifiers.
 * NB: the quote characters inside SQL string literals are not special-cased, as in dbx.
 */
export function renderSql(sql: string, own: DbxParams | undefined, params: DbxParams, out: Bindable[]): string {
  return sql.replace(/\{:(\w+)\}|\{\{([^}]+)\}\}|\[\[([^\]]+)\]\]/g, (_m, name: string | undefined, table: string | undefined, col: string | undefined) => {
    if (table !== undefined) return quoteColumn(table.trim());
    if (col !== undefined) return quoteColumn(col.trim());
    const key = name!;
    const has = own && Object.prototype.hasOwnProperty.call(own, key);
    if (!has && !Object.prototype.hasOwnProperty.call(params, key)) throw new Error(`Missing parameter "${key}" for the SQL expression.`);
    out.push(toBindable(has ? own![key] : params[key]));
    return "?";
  });
}

/** Raw SQL with optional `{:name}` params (`$dbx.exp`). */
export function exp(sql: string, params?: DbxParams): DbxExpression {
  const text = String(sql);
  return { build: (out, qp) => renderSql(text, params, qp, out) };
}

/** Column = value pairs ANDed; arrays become `IN`, null `IS NULL` (`$dbx.hashExp`). */
export function hashExp(map: { [column: string]: unknown }): DbxExpression {
  return {
    build(out, qp) {
      const parts: string[] = [];
      for (const [k, v] of Object.entries(map ?? {})) {
        if (isExpression(v)) parts.push(`(${v.build(out, qp)})`);
        else if (v === null || v === undefined) parts.push(`${quoteColumn(k)} IS NULL`);
        else if (Array.isArray(v)) parts.push(inSql(k, v, false, out));
        else {
          out.push(toBindable(v));
          parts.push(`${quoteColumn(k)}=?`);
        }
      }
      return parts.join(" AND ");
    },
  };
}

function inSql(col: string, values: unknown[], not: boolean, out: Bindable[]): string {
  if (values.length === 0) return not ? "1=1" : "0=1";
  for (const v of values) out.push(toBindable(v));
  return `${quoteColumn(col)} ${not ? "NOT IN" : "IN"} (${values.map(() => "?").join(", ")})`;
}

function join(op: "AND" | "OR", exprs: unknown[]): DbxExpression {
  return {
    build(out, qp) {
      const parts = exprs.filter((e) => e !== null && e !== undefined).map((e) => asExpression(e).build(out, qp)).filter((s) => s !== "");
      if (parts.length === 0) return "";
      return parts.length === 1 ? parts[0]! : parts.map((p) => `(${p})`).join(` ${op} `);
    },
  };
}

/** A string is raw SQL; an expression is used as is. */
export function asExpression(v: unknown): DbxExpression {
  if (isExpression(v)) return v;
  if (typeof v === "string") return exp(v);
  if (v && typeof v === "object") return hashExp(v as { [k: string]: unknown });
  throw new Error("Expected a $dbx expression or an SQL string.");
}

/** A `LIKE` expression (`$dbx.like` and friends); values are escaped and wrapped in `%…%`. */
export interface LikeExpression extends DbxExpression {
  /** Sets whether `%` is added on the left and the right. */
  match(left: boolean, right: boolean): LikeExpression;
  /** Sets the escape pairs (default: `\` `%` `_` escaped with `\`). */
  escape(...pairs: string[]): LikeExpression;
}

function like(col: string, values: unknown[], not: boolean, or: boolean): LikeExpression {
  let left = true;
  let right = true;
  let pairs = ["\\", "\\\\", "%", "\\%", "_", "\\_"];
  const e: LikeExpression = {
    match(l, r) {
      left = !!l;
      right = !!r;
      return e;
    },
    escape(...p) {
      pairs = p;
      return e;
    },
    build(out) {
      const parts = values.map((v) => {
        let s = String(v ?? "");
        for (let i = 0; i + 1 < pairs.length; i += 2) s = s.split(pairs[i]!).join(pairs[i + 1]!);
        out.push(`${left ? "%" : ""}${s}${right ? "%" : ""}`);
        return `${quoteColumn(col)} ${not ? "NOT LIKE" : "LIKE"} ? ESCAPE '\\'`;
      });
      return parts.join(or ? " OR " : " AND ");
    },
  };
  return e;
}

/** PocketBase's `$dbx` namespace. */
export const dbx = {
  exp,
  hashExp,
  not: (e: unknown): DbxExpression => ({ build: (out, qp) => `NOT (${asExpression(e).build(out, qp)})` }),
  and: (...exprs: unknown[]) => join("AND", exprs),
  or: (...exprs: unknown[]) => join("OR", exprs),
  in: (col: string, ...values: unknown[]): DbxExpression => ({ build: (out) => inSql(col, values, false, out) }),
  notIn: (col: string, ...values: unknown[]): DbxExpression => ({ build: (out) => inSql(col, values, true, out) }),
  like: (col: string, ...values: unknown[]) => like(col, values, false, false),
  notLike: (col: string, ...values: unknown[]) => like(col, values, true, false),
  orLike: (col: string, ...values: unknown[]) => like(col, values, false, true),
  orNotLike: (col: string, ...values: unknown[]) => like(col, values, true, true),
  exists: (e: unknown): DbxExpression => ({ build: (out, qp) => `EXISTS (${asExpression(e).build(out, qp)})` }),
  notExists: (e: unknown): DbxExpression => ({ build: (out, qp) => `NOT EXISTS (${asExpression(e).build(out, qp)})` }),
  between: (col: string, from: unknown, to: unknown): DbxExpression => ({
    build(out) {
      out.push(toBindable(from), toBindable(to));
      return `${quoteColumn(col)} BETWEEN ? AND ?`;
    },
  }),
  notBetween: (col: string, from: unknown, to: unknown): DbxExpression => ({
    build(out) {
      out.push(toBindable(from), toBindable(to));
      return `${quoteColumn(col)} NOT BETWEEN ? AND ?`;
    },
  }),
};
