/**
 * One comparison `left op right` → SQL, with PocketBase's null-safe `=`/`!=`, the LIKE
 * conventions of `~`/`!~`, and the multi-value semantics (plain operator = all, `?op` = any).
 */
import type { CompareOp, SignOp } from "./ast.ts";
import type { CompileContext } from "./compile-context.ts";
import { matchAll } from "./multi-match.ts";
import { isEmptyOperand, isKnownOperand, operandSql, type Operand } from "./operand.ts";
import { LIKE_ESCAPE, likeContainsColumn, likePattern } from "./sql-text.ts";

/** Renders a side on demand (values are bound only when their SQL is actually used). */
export type SideSql = () => string;

function memo(f: () => string): SideSql {
  let v: string | null = null;
  return () => (v ??= f());
}

/** The SQL of `l op r`; `lSql`/`rSql` render the sides (the right one already LIKE-shaped). */
export function compareSql(op: CompareOp, l: Operand, lSql: SideSql, r: Operand, rSql: SideSql): string {
  switch (op) {
    case "=":
    case "!=":
      return equality(op === "=", l, lSql, r, rSql);
    case "~":
      return `${lSql()} LIKE ${rSql()} ${LIKE_ESCAPE}`;
    case "!~":
      return `${lSql()} NOT LIKE ${rSql()} ${LIKE_ESCAPE}`;
    default:
      return `${lSql()} ${op} ${rSql()}`;
  }
}

/**
 * PocketBase parity: `=`/`!=` are null-safe and treat NULL and `''` alike:
 * - a JSON side (json field/path, geoDistance): `a IS b` / `a IS NOT b`;
 * - both sides empty: `'' = ''` / `'' IS NOT ''`;
 * - a known non-empty value on one side: `a = b` / `a IS NOT b`, an empty side written as `''`;
 * - one side empty: `(a = '' OR a IS NULL)` / `(a IS NOT '' AND a IS NOT NULL)`;
 * - otherwise: `COALESCE(a, '') = COALESCE(b, '')` / `… IS NOT …`.
 */
function equality(eq: boolean, l: Operand, lSql: SideSql, r: Operand, rSql: SideSql): string {
  if (l.json || r.json) return `${lSql()} ${eq ? "IS" : "IS NOT"} ${rSql()}`;
  const lEmpty = isEmptyOperand(l);
  const rEmpty = isEmptyOperand(r);
  if (lEmpty && rEmpty) return eq ? "'' = ''" : "'' IS NOT ''";
  if (isKnownOperand(l) || isKnownOperand(r)) {
    const a = lEmpty ? "''" : lSql();
    const b = rEmpty ? "''" : rSql();
    return `${a} ${eq ? "=" : "IS NOT"} ${b}`;
  }
  if (lEmpty || rEmpty) {
    const x = lEmpty ? rSql() : lSql();
    return eq ? `(${x} = '' OR ${x} IS NULL)` : `(${x} IS NOT '' AND ${x} IS NOT NULL)`;
  }
  return `COALESCE(${lSql()}, '') ${eq ? "=" : "IS NOT"} COALESCE(${rSql()}, '')`;
}

/** Renders the right side of a LIKE: a bound pattern, or `('%' || col || '%')`. */
function likeRight(ctx: CompileContext, r: Operand): string {
  if (r.kind === "value") {
    if (r.raw === null) return "NULL";
    const p = ctx.bind(likePattern(String(r.raw)));
    return r.lower ? `LOWER(${p})` : p;
  }
  return likeContainsColumn(r.sql);
}

/** Compiles one condition, including the "match all" check of multi-valued operands. */
export function buildComparison(ctx: CompileContext, l: Operand, sign: SignOp, r: Operand): string {
  const anyOf = sign.startsWith("?");
  const op = (anyOf ? sign.slice(1) : sign) as CompareOp;
  const isLike = op === "~" || op === "!~";
  const lSql = memo(() => operandSql(ctx, l));
  const rSql = memo(() => (isLike ? likeRight(ctx, r) : operandSql(ctx, r)));
  let sql = compareSql(op, l, lSql, r, rSql);
  if (!anyOf && (l.multi || r.multi)) {
    sql = matchAll(sql, op, l, lSql, r, rSql);
  }
  const checks = [...l.checks, ...r.checks];
  if (checks.length > 0) sql = `(${sql} AND ${checks.join(" AND ")})`;
  return sql;
}
