/**
 * A resolved operand: what a side of a comparison turned into, with the facts the comparison
 * builder needs (emptiness for the null-safe `=`, JSON-ness for `IS`, multi-valued sources).
 */
import type { CompileContext } from "./compile-context.ts";

/**
 * The per-row sub-query of a multi-valued operand: `SELECT <value> AS v <from>` yields every
 * value one main row has (all categories of a post, every comment pointing at it, …).
 */
export interface MultiSource {
  readonly value: string;
  readonly from: string;
}

/** A lazily built `MultiSource` (the sub-query is only compiled when a plain operator needs it). */
export interface MultiRef {
  get(): MultiSource;
}

/** Wraps a builder as a memoised `MultiRef`. */
export function lazyMulti(build: () => MultiSource): MultiRef {
  let m: MultiSource | null = null;
  return { get: () => (m ??= build()) };
}

interface OperandBase {
  /** Set when the operand has many values per row (plain operators then mean "all"). */
  readonly multi: MultiRef | null;
  /** JSON paths, json fields and geoDistance(): `=`/`!=` become `IS`/`IS NOT`. */
  readonly json: boolean;
  /** Extra conditions ANDed to the whole comparison (e.g. `emailVisibility = TRUE`). */
  readonly checks: readonly string[];
}

/** A SQL expression over columns (fields, joined fields, function results). */
export interface ColumnOperand extends OperandBase {
  readonly kind: "column";
  readonly sql: string;
}

/** A value bound as a parameter (literals, `@request.*`, macros); `raw: null` renders `NULL`. */
export interface ValueOperand extends OperandBase {
  readonly kind: "value";
  readonly raw: string | number | null;
  /** Wrap in `LOWER()` (the `:lower` modifier on a request value). */
  readonly lower: boolean;
}

/** A SQL constant: the `null`/`true`/`false` identifiers and `:isset` results. */
export interface ConstOperand extends OperandBase {
  readonly kind: "const";
  readonly sql: string;
  /** True for NULL. */
  readonly empty: boolean;
}

/** Any resolved operand. */
export type Operand = ColumnOperand | ValueOperand | ConstOperand;

const NO_CHECKS: readonly string[] = Object.freeze([]);

/** A column operand. */
export function column(sql: string, extra: Partial<Pick<ColumnOperand, "multi" | "json" | "checks">> = {}): ColumnOperand {
  return { kind: "column", sql, multi: extra.multi ?? null, json: extra.json ?? false, checks: extra.checks ?? NO_CHECKS };
}

/** A bound value operand. */
export function value(raw: string | number | null, lower = false): ValueOperand {
  return { kind: "value", raw, lower, multi: null, json: false, checks: NO_CHECKS };
}

/** A constant operand. */
export function constant(sql: "NULL" | "TRUE" | "FALSE" | "1" | "0"): ConstOperand {
  return { kind: "const", sql, empty: sql === "NULL", multi: null, json: false, checks: NO_CHECKS };
}

/** True when the operand is known to be NULL or `''`. */
export function isEmptyOperand(o: Operand): boolean {
  if (o.kind === "const") return o.empty;
  if (o.kind === "value") return o.raw === null || o.raw === "";
  return false;
}

/** True when the operand is a known non-empty value (a literal, a request value, true/false). */
export function isKnownOperand(o: Operand): boolean {
  return (o.kind === "value" || o.kind === "const") && !isEmptyOperand(o);
}

/** Renders an operand's SQL, binding its value when it has one. */
export function operandSql(ctx: CompileContext, o: Operand): string {
  if (o.kind !== "value") return o.sql;
  if (o.raw === null) return "NULL";
  const p = ctx.bind(o.raw);
  return o.lower ? `LOWER(${p})` : p;
}
