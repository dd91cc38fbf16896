/**
 * "Match all" for multi-valued operands. PocketBase parity: a plain operator on a multi-valued
 * operand (multiple relation, back-relation, `@collection.*`, `:each`) must hold for every value:
 * `(<joined condition> AND NOT EXISTS (SELECT 1 FROM (<values>) WHERE NOT (<condition>)))`.
 * The any-of operators (`?=`, …) keep only the joined condition.
 */
import type { CompareOp } from "./ast.ts";
import { compareSql, type SideSql } from "./comparison.ts";
import type { Operand } from "./operand.ts";
import { likeContainsColumn } from "./sql-text.ts";

/**
 * Wraps the joined condition `joined` with the NOT EXISTS check. Each multi-valued side becomes
 * a sub-query of its values; when both are, the check runs over their cross join.
 */
export function matchAll(joined: string, op: CompareOp, l: Operand, lSql: SideSql, r: Operand, rSql: SideSql): string {
  const sources: string[] = [];
  let lv = lSql;
  let rv = rSql;
  if (l.multi) {
    const m = l.multi.get();
    sources.push(`(SELECT ${m.value} AS "v" ${m.from}) "__ml"`);
    lv = () => `"__ml"."v"`;
  }
  if (r.multi) {
    const m = r.multi.get();
    sources.push(`(SELECT ${m.value} AS "v" ${m.from}) "__mr"`);
    rv = () => (op === "~" || op === "!~" ? likeContainsColumn(`"__mr"."v"`) : `"__mr"."v"`);
  }
  const inner = compareSql(op, l, lv, r, rv);
  return `(${joined} AND NOT EXISTS (SELECT 1 FROM ${sources.join(", ")} WHERE NOT (${inner})))`;
}
