/**
 * The SQLite text the compiler emits, in one place: quoting, JSON helpers, LIKE patterns and
 * the join scopes. A PostgreSQL dialect would replace this file's functions.
 *
 * Parameters are numbered SQLite placeholders `?1`, `?2`, …: the compiled `params` array binds
 * positionally (`stmt.all(...params)`), and one placeholder may appear several times (e.g. in a
 * join and again inside a multi-match sub-query).
 */
import type { SqlValue } from "../fields/field-kind.ts";

/** Quotes an identifier for SQLite (`"name"`, inner quotes doubled). */
export function q(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

/** `"alias"."column"`. */
export function col(alias: string, column: string): string {
  return `${q(alias)}.${q(column)}`;
}

/**
 * A multiple field's column normalised to a JSON array text: ''/NULL → `[]`, a JSON array as is,
 * any other value (a scalar or invalid JSON) wrapped in a one-element array.
 * NB: `json_each`/`json_type` raise on malformed JSON, hence the guarded CASE.
 */
export function jsonArrayExpr(x: string): string {
  return `(CASE WHEN ${x} IS NULL OR ${x} = '' THEN '[]' WHEN json_valid(${x}) THEN (CASE WHEN json_type(${x}) = 'array' THEN ${x} ELSE json_array(${x}) END) ELSE json_array(${x}) END)`;
}

/** `json_each(<normalised array>)`. */
export function jsonEach(x: string): string {
  return `json_each(${jsonArrayExpr(x)})`;
}

/** The element count of a multiple field (''/NULL → 0, a scalar → 1). */
export function jsonLength(x: string): string {
  return `json_array_length(${jsonArrayExpr(x)})`;
}

/** Builds a JSON path (`$.a.b[0]`) from identifier segments (already restricted to `\w`). */
export function jsonPath(prefix: string, segments: readonly string[]): string {
  let p = prefix;
  for (const s of segments) {
    if (!/^\w+$/.test(s)) throw new Error(`invalid json path segment ${JSON.stringify(s)}`);
    p += /^\d+$/.test(s) ? `[${s}]` : `.${s}`;
  }
  return p;
}

/**
 * Extracts a JSON path from a json/geoPoint column. A column that is not valid JSON is treated
 * as a JSON string (wrapped in an object) so the extraction never raises.
 */
export function jsonExtract(x: string, segments: readonly string[]): string {
  return `(CASE WHEN json_valid(${x}) THEN JSON_EXTRACT(${x}, '${jsonPath("$", segments)}') ELSE JSON_EXTRACT(json_object('pb', ${x}), '${jsonPath("$.pb", segments)}') END)`;
}

/** The `ESCAPE` clause of every LIKE we emit. */
export const LIKE_ESCAPE = "ESCAPE '\\'";

/**
 * The LIKE pattern for a bound right-hand value: used verbatim when it contains an unescaped
 * `%`, otherwise `\`, `%`, `_` are escaped and the value is wrapped as `%value%` (contains).
 */
export function likePattern(value: string): string {
  if (/(^|[^\\])%/.test(value)) return value;
  return `%${value.replace(/[\\%_]/g, (c) => "\\" + c)}%`;
}

/** `('%' || x || '%')`: LIKE against another column. */
export function likeContainsColumn(x: string): string {
  return `('%' || ${x} || '%')`;
}

/**
 * A one-row FROM source to hang LEFT JOINs off a correlated outer row: the joins then keep their
 * NULL row when nothing matches, exactly as they do in the main query.
 */
export const ANCHOR = "(SELECT 1)";

/** One registered join. */
export interface JoinDef {
  readonly alias: string;
  /** What the join is (used for deduplication), independent of its alias and parameters. */
  readonly key: string;
  readonly sql: string;
  /** True when the join can produce several rows per main row (forces DISTINCT/COUNT DISTINCT). */
  readonly fansOut: boolean;
  /**
   * True when its rows are not found through the row's own values (a back-relation, an
   * `@collection` cross join) but by searching another table: a plan may do better starting
   * from that table, so conditions through it keep the joined form (semi-join.ts).
   */
  readonly searches: boolean;
}

/**
 * The joins of one SQL scope: the main query, or one multi-match sub-query (`sub`), whose root
 * table and correlation are set by the resolver. Joins are deduplicated by their SQL, so the same
 * path used twice shares one join (PocketBase parity: conditions on the same path see the same
 * joined row).
 */
export class JoinScope {
  readonly joins: JoinDef[] = [];
  private root: { from: string; where: string | null } | null = null;
  private readonly tracking: Set<JoinDef>[] = [];
  constructor(readonly sub: boolean) {}

  /** Runs `fn` and reports the joins it registered or reused, in registration order. */
  track<T>(fn: () => T): { value: T; used: JoinDef[] } {
    const used = new Set<JoinDef>();
    this.tracking.push(used);
    try {
      const value = fn();
      return { value, used: this.joins.filter((j) => used.has(j)) };
    } finally {
      this.tracking.pop();
    }
  }

  /**
   * Registers a join identified by `key` (or finds the one registered under the same key) and
   * returns its alias; `build` is called once, with the final (unique) alias.
   */
  add(wantedAlias: string, key: string, build: (alias: string) => string, fansOut: boolean, searches = false): string {
    let def = this.joins.find((j) => j.key === key);
    if (!def) {
      let alias = wantedAlias;
      for (let n = 2; this.joins.some((j) => j.alias === alias); n++) alias = `${wantedAlias}_${n}`;
      def = { alias, key, sql: build(alias), fansOut, searches };
      this.joins.push(def);
    }
    for (const t of this.tracking) t.add(def);
    return def.alias;
  }

  /** Sets the FROM source of a sub-query scope (once). */
  setRoot(from: string, where: string | null): void {
    if (!this.root) this.root = { from, where };
  }

  /** `FROM … [joins] [WHERE …]` of a sub-query scope. */
  fromClause(): string {
    if (!this.root) throw new Error("sub-query scope without a root");
    const parts = [`FROM ${this.root.from}`, ...this.joins.map((j) => j.sql)];
    if (this.root.where) parts.push(`WHERE ${this.root.where}`);
    return parts.join(" ");
  }

  /** True when any join fans out. */
  fansOut(): boolean {
    return this.joins.some((j) => j.fansOut);
  }
}

/** Normalises a JS value for binding: booleans → 1/0, Dates → PocketBase text, objects → JSON. */
export function toSqlValue(v: unknown): SqlValue {
  if (v === null || v === undefined) return null;
  if (typeof v === "boolean") return v ? 1 : 0;
  if (typeof v === "string" || typeof v === "number" || typeof v === "bigint") return v;
  if (v instanceof Uint8Array) return v;
  if (v instanceof Date) return v.toISOString().replace("T", " ");
  return JSON.stringify(v) ?? null;
}
