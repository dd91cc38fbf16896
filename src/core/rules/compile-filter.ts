/**
 * The filter/rule compiler's main entry: expression text → `WHERE` SQL, the LEFT JOINs it needs
 * and the bound parameters. Also wires client mode (403 on `@request.`/`@collection.`, listRule
 * of joined collections) and the limits.
 */
import type { CollectionConfig } from "../collections/collection-types.ts";
import { forbidden } from "../api-error.ts";
import type { SqlValue } from "../fields/field-kind.ts";
import type { FilterAst, GroupNode } from "./ast.ts";
import { buildComparison } from "./comparison.ts";
import { CompileContext, type CompileOptions } from "./compile-context.ts";
import { fail, INVALID_FILTER_MESSAGE, withApiErrors } from "./errors.ts";
import { parseCached } from "./parse-cache.ts";
import { resolveOperand } from "./resolver.ts";
import { col, q, type JoinScope } from "./sql-text.ts";

/** The longest accepted filter (PocketBase: 3500 characters). */
export const MAX_FILTER_LENGTH = 3500;
/** The most comparisons one filter may hold (PocketBase: 200). */
export const MAX_FILTER_CONDITIONS = 200;

/** Options of `compileFilter`. */
export interface FilterOptions extends CompileOptions {
  /** The public 400 message (default "Invalid filter parameters."). */
  errorMessage?: string;
  /** Enforce the 3500-character / 200-condition limits (default true; rules pass false). */
  limits?: boolean;
  /** An existing parameter list to append to (placeholder numbering continues after it). */
  params?: SqlValue[];
}

/** A compiled filter. Placeholders are `?N`, bound positionally from `params`. */
export interface CompiledFilter {
  /** The condition, to be ANDed into a WHERE clause (parenthesise when combining). */
  where: string;
  /** `LEFT JOIN …` clauses, in order, to put after `FROM <table> AS <tableAlias>`. */
  joins: string[];
  /** The parameters; `?N` binds `params[N-1]`. */
  params: SqlValue[];
  /** True when a join can repeat the main row (use DISTINCT / COUNT(DISTINCT …)). */
  distinct: boolean;
}

/**
 * Compiles a filter or rule expression against `opts.collection`.
 * Throws `ApiError` 400 for malformed input (reason in `cause`) and 403 for client filters that
 * use `@collection.`/`@request.`.
 */
export function compileFilter(expr: string, opts: FilterOptions): CompiledFilter {
  return withApiErrors(opts.errorMessage ?? INVALID_FILTER_MESSAGE, () => {
    const ctx = createCompileContext(opts, opts.params ?? []);
    const startLen = ctx.params.length;
    const where = compileExpressionInto(ctx, expr, opts.limits ?? true);
    const joins = ctx.main.joins.map((j) => j.sql);
    return { where, joins, params: trimParams([where, ...joins].join(" "), ctx.params, startLen), distinct: ctx.main.fansOut() };
  });
}

/** Drops trailing parameters no placeholder refers to (bun:sqlite refuses surplus values). */
function trimParams(sql: string, params: SqlValue[], keep: number): SqlValue[] {
  let max = 0;
  for (const m of sql.matchAll(/\?(\d+)/g)) max = Math.max(max, Number(m[1]));
  params.length = Math.max(keep, Math.min(max, params.length));
  return params;
}

/** A compile context with the condition compiler and (in client mode) the listRule hook wired. */
export function createCompileContext(opts: CompileOptions, params: SqlValue[] = [], main?: JoinScope): CompileContext {
  const ctx = new CompileContext(opts, params, main);
  ctx.compileGroup = (g) => compileGroup(ctx, g);
  if (opts.client) ctx.visibility = (coll, alias) => listRuleCondition(ctx, coll, alias);
  return ctx;
}

/** PocketBase parity: non-superuser client filters may not mention `@collection.`/`@request.` at all. */
export function assertClientExpression(expr: string): void {
  if (expr.includes("@collection.")) throw forbidden("Only superusers can filter by @collection.");
  if (expr.includes("@request.")) throw forbidden("Only superusers can filter by @request.");
}

/** Parses (cached) and compiles `expr` in `ctx`, registering its joins; returns the condition SQL. */
export function compileExpressionInto(ctx: CompileContext, expr: string, limits: boolean): string {
  return compileGroup(ctx, parseChecked(ctx, expr, limits).root);
}

/** Parses `expr` (cached) after the client and length checks, then checks the condition count. */
export function parseChecked(ctx: CompileContext, expr: string, limits: boolean): FilterAst {
  if (ctx.opts.client) assertClientExpression(expr);
  if (limits && expr.length > MAX_FILTER_LENGTH) fail(`filter longer than ${MAX_FILTER_LENGTH} characters`);
  const ast = parseCached(expr);
  if (limits && ast.conditions > MAX_FILTER_CONDITIONS) fail(`more than ${MAX_FILTER_CONDITIONS} conditions`);
  return ast;
}

/** PocketBase parity: a flat `a AND b OR c` list; sub-groups are parenthesised. */
function compileGroup(ctx: CompileContext, group: GroupNode): string {
  let sql = "";
  for (const item of group.items) {
    if (item.join) sql += item.join === "&&" ? " AND " : " OR ";
    if (item.node.kind === "group") {
      sql += `(${compileGroup(ctx, item.node)})`;
    } else {
      const l = resolveOperand(ctx, item.node.left);
      const r = resolveOperand(ctx, item.node.right);
      sql += buildComparison(ctx, l, item.node.op, r);
    }
  }
  return sql;
}

/**
 * The constraint that keeps a client's joins inside what it may list: an EXISTS over the joined
 * collection's listRule (compiled as a rule: hidden fields allowed, no further injection).
 * `""` for an empty rule; an error for a superusers-only (null) rule.
 */
function listRuleCondition(ctx: CompileContext, coll: CollectionConfig, alias: string): string {
  const rule = coll.listRule;
  if (rule === null || rule === undefined) fail(`collection ${coll.name} can only be listed by superusers`);
  if (rule.trim() === "") return "";
  const lr = ctx.nextListRuleAlias();
  const sub = createCompileContext(
    { ...ctx.opts, collection: coll, tableAlias: lr, tableName: coll.name, client: false, allowHiddenFields: true, now: ctx.now },
    ctx.params,
  );
  const where = compileExpressionInto(sub, rule, false);
  const joins = sub.main.joins.map((j) => " " + j.sql).join("");
  return `EXISTS (SELECT 1 FROM ${q(coll.name)} ${q(lr)}${joins} WHERE ${col(lr, "id")} = ${col(alias, "id")} AND (${where}))`;
}
