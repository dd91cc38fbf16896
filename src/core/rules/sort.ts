/**
 * The `sort` parameter: `-created,title,+name`, `@random`, `@rowid`, and any field path the
 * filter language resolves (relations, JSON paths, `:lower`).
 */
import type { SqlValue } from "../fields/field-kind.ts";
import type { CompileContext, CompileOptions } from "./compile-context.ts";
import { assertClientExpression, createCompileContext } from "./compile-filter.ts";
import { fail, INVALID_SORT_MESSAGE, withApiErrors } from "./errors.ts";
import { tokenize } from "./lexer.ts";
import { resolveIdentifier } from "./resolver.ts";
import { q } from "./sql-text.ts";

/** The most sort expressions (PocketBase: 8). */
export const MAX_SORT_FIELDS = 8;
/** The longest sort expression (PocketBase: 255 characters). */
export const MAX_SORT_FIELD_LENGTH = 255;

/** Options of `compileSort`. */
export interface SortOptions extends CompileOptions {
  /** The public 400 message (default "Invalid sort parameters."). */
  errorMessage?: string;
  /** An existing parameter list to append to. */
  params?: SqlValue[];
}

/** A compiled sort. */
export interface CompiledSort {
  /** The ORDER BY list without the keywords (`"posts"."created" DESC, …`); "" when empty. */
  orderBy: string;
  /** LEFT JOINs the sort needs. */
  joins: string[];
  /** The parameters (`?N` binds `params[N-1]`). */
  params: SqlValue[];
  /** True when a sort join can repeat the main row. */
  distinct: boolean;
}

/** Compiles a `sort` parameter. Throws `ApiError` 400 on an invalid or unsortable item. */
export function compileSort(sort: string, opts: SortOptions): CompiledSort {
  return withApiErrors(opts.errorMessage ?? INVALID_SORT_MESSAGE, () => {
    const ctx = createCompileContext(opts, opts.params ?? []);
    const orderBy = compileSortInto(ctx, sort);
    return { orderBy, joins: ctx.main.joins.map((j) => j.sql), params: ctx.params, distinct: ctx.main.fansOut() };
  });
}

/** Compiles `sort` in `ctx` (registering its joins) and returns the ORDER BY list. */
export function compileSortInto(ctx: CompileContext, sort: string): string {
  if (ctx.opts.client) assertClientExpression(sort);
  const items = sort
    .split(",")
    .map((s) => s.trim())
    .filter((s) => s !== "");
  if (items.length > MAX_SORT_FIELDS) fail(`more than ${MAX_SORT_FIELDS} sort fields`);
  const out: string[] = [];
  for (const item of items) {
    if (item.length > MAX_SORT_FIELD_LENGTH) fail(`sort field longer than ${MAX_SORT_FIELD_LENGTH} characters`);
    let name = item;
    let dir = "ASC";
    if (name[0] === "-" || name[0] === "+") {
      dir = name[0] === "-" ? "DESC" : "ASC";
      name = name.slice(1).trim();
    }
    out.push(`${sortExpression(ctx, name)} ${dir}`);
  }
  return out.join(", ");
}

function sortExpression(ctx: CompileContext, name: string): string {
  if (name === "@random") return "RANDOM()";
  if (name === "@rowid") return `${q(ctx.tableAlias)}._rowid_`;
  const tokens = tokenize(name);
  const t = tokens[0];
  if (tokens.length !== 1 || t?.type !== "ident" || t.value !== name) fail(`invalid sort field ${JSON.stringify(name)}`);
  const op = resolveIdentifier(ctx, name, ctx.main);
  // a sort that resolves to a bound value or constant orders nothing
  if (op.kind !== "column") fail(`cannot sort by ${JSON.stringify(name)}`);
  return op.sql;
}
