/**
 * The records list query: rules + client filter + sort → one SELECT with LIMIT/OFFSET and,
 * unless skipped, a cheap COUNT over the same conditions (conditions through multi-valued paths
 * as one EXISTS semi-join, so neither needs DISTINCT: semi-join.ts).
 */
import type { CollectionConfig } from "../collections/collection-types.ts";
import type { SqlValue } from "../fields/field-kind.ts";
import { compileExpressionInto, createCompileContext } from "./compile-filter.ts";
import type { CompileContext } from "./compile-context.ts";
import { INVALID_FILTER_MESSAGE, INVALID_RULE_MESSAGE, INVALID_SORT_MESSAGE, withApiErrors } from "./errors.ts";
import type { RequestInfo } from "./request-info.ts";
import type { SchemaLookup } from "./schema.ts";
import { compileSortInto } from "./sort.ts";
import { anyFanOut, compileConjunctsInto, expressionSql, semiJoinWhere, type CompiledExpression } from "./semi-join.ts";
import { col, JoinScope, q, type JoinDef } from "./sql-text.ts";

/** The default page size (PocketBase: 30). */
export const DEFAULT_PER_PAGE = 30;
/** The largest page size (PocketBase: 1000). */
export const MAX_PER_PAGE = 1000;

/** Options of `buildListQuery`. */
export interface ListQueryOptions {
  schema: SchemaLookup;
  collection: CollectionConfig;
  /** The client's `filter` ("" or absent = none). */
  filter?: string | null;
  /** The client's `sort` (absent = no ORDER BY, natural order). */
  sort?: string | null;
  /** Extra rule expressions ANDed in (e.g. the listRule for non-superusers); "" entries are skipped. */
  rules?: readonly string[];
  request?: RequestInfo | null;
  /** 1-based; ≤0 or non-finite becomes 1. */
  page?: number;
  /** ≤0 becomes 30, >1000 becomes 1000. */
  perPage?: number;
  /** Skip the COUNT query (the API then answers totalItems/totalPages -1). */
  skipTotal?: boolean;
  /**
   * True for a non-superuser's filter/sort: `@request.`/`@collection.` → 403, hidden fields
   * refused, joined collections constrained by their listRule. Rules are never client-mode.
   */
  clientFilter?: boolean;
  /** Overrides the hidden-field policy of the filter/sort (default: `!clientFilter`). */
  allowHiddenFields?: boolean;
  /** The clock of the datetime macros. */
  now?: Date;
  /**
   * Server-side queries (`findRecordsByFilter`): an explicit LIMIT/OFFSET instead of
   * page/perPage (`limit` 0 = no limit).
   */
  limit?: number;
  offset?: number;
  /** Enforce the client filter limits (3500 chars / 200 conditions); default true. */
  filterLimits?: boolean;
  /** The reference form without semi-joins (`CompileOptions.plainJoins`), for the equivalence tests. */
  plainJoins?: boolean;
}

/** The compiled list query. Placeholders are `?N`; bind with `stmt.all(...selectParams)`. */
export interface ListQuery {
  selectSql: string;
  selectParams: SqlValue[];
  /** null when `skipTotal`. Returns one row with one column (the total). */
  countSql: string | null;
  countParams: SqlValue[];
  /** The normalised page and page size (the API echoes them). */
  page: number;
  perPage: number;
}

/** Normalises page/perPage the way the list API does. */
export function normalizePaging(page?: number, perPage?: number): { page: number; perPage: number } {
  const p = page !== undefined && Number.isFinite(page) && page > 0 ? Math.floor(page) : 1;
  let pp = perPage !== undefined && Number.isFinite(perPage) && perPage > 0 ? Math.floor(perPage) : DEFAULT_PER_PAGE;
  if (pp > MAX_PER_PAGE) pp = MAX_PER_PAGE;
  return { page: p, perPage: pp };
}

/** The parameters a statement actually references (placeholders `?N` up to the highest used). */
export function usedParams(sql: string, params: readonly SqlValue[]): SqlValue[] {
  let max = 0;
  for (const m of sql.matchAll(/\?(\d+)/g)) max = Math.max(max, Number(m[1]));
  return params.slice(0, max);
}

/** Builds the list SELECT (and COUNT) for a collection. Throws `ApiError` 400/403. */
export function buildListQuery(opts: ListQueryOptions): ListQuery {
  const { page, perPage } = normalizePaging(opts.page, opts.perPage);
  const coll = opts.collection;
  const alias = coll.name;
  const params: SqlValue[] = [];
  const main = new JoinScope(false);
  const base = { schema: opts.schema, collection: coll, request: opts.request ?? null, now: opts.now ?? new Date(), plainJoins: opts.plainJoins ?? false };
  const client = opts.clientFilter ?? false;
  const filterCtx = createCompileContext({ ...base, client, allowHiddenFields: opts.allowHiddenFields ?? !client }, params, main);
  const ruleCtx = createCompileContext({ ...base, client: false, allowHiddenFields: true }, params, main);

  // the reference form compiles each expression whole, as the compiler did before semi-joins
  const compile = (ctx: CompileContext, expr: string, limits: boolean): CompiledExpression =>
    opts.plainJoins ? { items: [{ sql: compileExpressionInto(ctx, expr, limits), joins: [] }], or: true } : compileConjunctsInto(ctx, expr, limits);
  const exprs: CompiledExpression[] = [];
  for (const rule of opts.rules ?? []) {
    if (rule.trim() === "") continue;
    exprs.push(withApiErrors(INVALID_RULE_MESSAGE, () => compile(ruleCtx, rule, false)));
  }
  const filter = opts.filter ?? "";
  if (filter.trim() !== "") {
    exprs.push(withApiErrors(INVALID_FILTER_MESSAGE, () => compile(filterCtx, filter, opts.filterLimits ?? true)));
  }
  const condJoins = main.joins.slice();
  const sort = opts.sort ?? "";
  const sorted = main.track(() => (sort.trim() === "" ? "" : withApiErrors(INVALID_SORT_MESSAGE, () => compileSortInto(filterCtx, sort))));
  const orderBy = sorted.value;

  // Conditions through multi-valued paths become one EXISTS (semi-join.ts), unless the sort
  // itself fans out (it needs the joined rows in the outer query) or a join searches another
  // table (a back-relation or `@collection`: the joined form lets SQLite start from it).
  const semi = !opts.plainJoins && anyFanOut(condJoins) && !anyFanOut(sorted.used) && !condJoins.some((j) => j.fansOut && j.searches);
  let wheres: string[];
  let countJoins: JoinDef[];
  let selectJoins: JoinDef[];
  if (semi) {
    const s = semiJoinWhere(exprs, main.joins);
    wheres = s.wheres;
    countJoins = s.joins;
    selectJoins = main.joins.filter((j) => s.joins.includes(j) || sorted.used.includes(j));
  } else {
    wheres = exprs.map(expressionSql);
    countJoins = condJoins;
    selectJoins = main.joins;
  }
  // NB: rows of a view may repeat (no primary key): it keeps DISTINCT whenever the filter fans
  // out, as PocketBase does; a table's rows are distinct by their id.
  const fanOut = semi ? coll.type === "view" : anyFanOut(countJoins);

  const where = wheres.length === 0 ? "" : ` WHERE ${wheres.join(" AND ")}`;
  const from = `FROM ${q(coll.name)}`;
  const joinSql = (js: readonly JoinDef[]): string => js.map((j) => " " + j.sql).join("");
  const distinct = fanOut || anyFanOut(selectJoins) ? "DISTINCT " : "";
  const limitSql =
    opts.limit !== undefined
      ? ` LIMIT ${opts.limit > 0 ? Math.floor(opts.limit) : -1} OFFSET ${Math.max(0, Math.floor(opts.offset ?? 0))}`
      : ` LIMIT ${perPage} OFFSET ${(page - 1) * perPage}`;
  const selectSql =
    `SELECT ${distinct}${q(alias)}.* ${from}${joinSql(selectJoins)}${where}` +
    `${orderBy ? ` ORDER BY ${orderBy}` : ""}${limitSql}`;

  let countSql: string | null = null;
  if (!opts.skipTotal) {
    const what = !fanOut ? "COUNT(*)" : coll.type === "view" ? `COUNT(DISTINCT ${col(alias, "id")})` : `COUNT(DISTINCT ${q(alias)}.rowid)`;
    countSql = `SELECT ${what} ${from}${joinSql(countJoins)}${where}`;
  }
  return {
    selectSql,
    selectParams: usedParams(selectSql, params),
    countSql,
    countParams: countSql ? usedParams(countSql, params) : [],
    page,
    perPage,
  };
}
