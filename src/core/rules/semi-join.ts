/**
 * Multi-valued conditions as one `EXISTS` semi-join instead of fanned-out LEFT JOINs + DISTINCT.
 *
 * A list query `SELECT DISTINCT t.* FROM t LEFT JOIN … WHERE c1 AND … AND cn` keeps a row when
 * some combination of its joined rows satisfies every `ci`. Because every join is a LEFT JOIN (a
 * row never loses its last joined row: at worst it gets one NULL row), that is exactly
 * `[the ci that touch no fan-out join] AND EXISTS (SELECT 1 FROM (SELECT 1) LEFT JOIN <the joins
 * of the other ci> WHERE <the other ci>)`: the first group only sees functional joins (≤ 1 row
 * each), so it does not depend on which combination is picked. The conditions inside the EXISTS
 * still share their joins, so two conditions on the same path see the same joined row
 * (PocketBase parity: `@collection.m.user ?= x && @collection.m.group ?= y` is one membership).
 *
 * NB: measured on posts100k, `author.permissions.active ?= true` counted in 930 → 180 ms: with
 * the joins SQLite built an automatic index per query and then de-duplicated the fan-out. The
 * rewrite applies only when every fan-out join is reached through the row's own values (a
 * multiple relation, `:each`, a body list): a back-relation or an `@collection` join searches
 * another table, and there the joined form lets SQLite start from that table (e.g. my few
 * memberships, then the posts of their groups by an index) where the EXISTS must visit every row.
 */
import type { GroupNode } from "./ast.ts";
import type { CompileContext } from "./compile-context.ts";
import { parseChecked } from "./compile-filter.ts";
import { ANCHOR, type JoinDef } from "./sql-text.ts";

/** One top-level `&&` member of an expression, with the joins it uses. */
export interface Conjunct {
  readonly sql: string;
  readonly joins: readonly JoinDef[];
}

/**
 * A compiled rule or filter split into its top-level conjuncts. An expression with a top-level
 * `||` is one conjunct (the flat `a AND b OR c` cannot be split).
 */
export interface CompiledExpression {
  readonly items: readonly Conjunct[];
  /** True when the one item holds a top-level OR (parenthesise it before ANDing). */
  readonly or: boolean;
}

/** Parses and compiles `expr` into `ctx`, conjunct by conjunct (same SQL text and parameters). */
export function compileConjunctsInto(ctx: CompileContext, expr: string, limits: boolean): CompiledExpression {
  const root = parseChecked(ctx, expr, limits).root;
  const compile = (group: GroupNode): Conjunct => {
    const { value, used } = ctx.main.track(() => ctx.compileGroup(group));
    return { sql: value, joins: used };
  };
  if (root.items.some((i) => i.join === "||")) return { items: [compile(root)], or: true };
  // one item at a time renders exactly what the whole `&&` list renders between its " AND "s
  return { items: root.items.map((item) => compile({ kind: "group", items: [{ join: null, node: item.node }] })), or: false };
}

/** The expression as one condition: `(c1 AND … AND cn)`. */
export function expressionSql(e: CompiledExpression): string {
  return `(${e.items.map((c) => c.sql).join(" AND ")})`;
}

/** True when any of the joins can repeat the main row. */
export function anyFanOut(joins: readonly JoinDef[]): boolean {
  return joins.some((j) => j.fansOut);
}

/** The WHERE parts and the joins the outer query keeps after the rewrite. */
export interface SemiJoinWhere {
  /** The conditions to AND (each already parenthesised or atomic). */
  wheres: string[];
  /** The joins the conditions outside the EXISTS use, in registration order. */
  joins: JoinDef[];
}

/**
 * Moves every conjunct that touches a fan-out join into one `EXISTS` with the joins it uses.
 * `all` is the scope's join list (for the registration order: parents before children).
 */
export function semiJoinWhere(exprs: readonly CompiledExpression[], all: readonly JoinDef[]): SemiJoinWhere {
  const wheres: string[] = [];
  const inner: string[] = [];
  const outerJoins = new Set<JoinDef>();
  const innerJoins = new Set<JoinDef>();
  for (const e of exprs) {
    const outer: Conjunct[] = [];
    for (const c of e.items) {
      if (anyFanOut(c.joins)) {
        inner.push(e.or ? `(${c.sql})` : c.sql);
        for (const j of c.joins) innerJoins.add(j);
      } else {
        outer.push(c);
        for (const j of c.joins) outerJoins.add(j);
      }
    }
    if (outer.length > 0) wheres.push(expressionSql({ items: outer, or: e.or }));
  }
  if (inner.length > 0) {
    const joins = all.filter((j) => innerJoins.has(j)).map((j) => " " + j.sql).join("");
    wheres.push(`EXISTS (SELECT 1 FROM ${ANCHOR}${joins} WHERE ${inner.join(" AND ")})`);
  }
  return { wheres, joins: all.filter((j) => outerJoins.has(j)) };
}
