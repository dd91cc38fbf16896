/**
 * "Does this record pass rule R?" queries: against a stored row (view/update/delete, realtime,
 * expand, canAccessRecord) and against a would-be row for the create rule (a one-row CTE).
 *
 * The caller handles the trivial cases first: superusers pass everything, a `null` rule is
 * superusers-only, and `""` passes everyone (these functions still accept `""`).
 */
import type { CollectionConfig } from "../collections/collection-types.ts";
import type { SqlValue } from "../fields/field-kind.ts";
import { compileExpressionInto, createCompileContext } from "./compile-filter.ts";
import { INVALID_RULE_MESSAGE, withApiErrors } from "./errors.ts";
import { usedParams } from "./list-query.ts";
import type { RequestInfo } from "./request-info.ts";
import type { SchemaLookup } from "./schema.ts";
import { col, q, toSqlValue } from "./sql-text.ts";

/** The common options of the rule checks. */
export interface RuleCheckOptions {
  schema: SchemaLookup;
  collection: CollectionConfig;
  /** The rule expression ("" = no condition). */
  rule: string;
  request?: RequestInfo | null;
  now?: Date;
  /** The reference form (`CompileOptions.plainJoins`), for the equivalence tests. */
  plainJoins?: boolean;
}

/** A statement ready to run: `db.query(sql).get(...params)`. */
export interface CompiledQuery {
  sql: string;
  params: SqlValue[];
}

function compileRule(opts: RuleCheckOptions, tableName: string, params: SqlValue[]): { where: string; joins: string } {
  return withApiErrors(INVALID_RULE_MESSAGE, () => {
    const ctx = createCompileContext(
      { schema: opts.schema, collection: opts.collection, request: opts.request ?? null, now: opts.now, client: false, allowHiddenFields: true, tableName, plainJoins: opts.plainJoins },
      params,
    );
    const where = opts.rule.trim() === "" ? "" : compileExpressionInto(ctx, opts.rule, false);
    return { where, joins: ctx.main.joins.map((j) => " " + j.sql).join("") };
  });
}

/** `SELECT 1 FROM t WHERE t.id = ? AND (rule) LIMIT 1`: a row comes back when the record passes. */
export function compileRuleCheck(opts: RuleCheckOptions & { recordId: string }): CompiledQuery {
  const alias = opts.collection.name;
  const params: SqlValue[] = [opts.recordId];
  const { where, joins } = compileRule(opts, alias, params);
  const sql = `SELECT 1 FROM ${q(alias)}${joins} WHERE ${col(alias, "id")} = ?1${where ? ` AND (${where})` : ""} LIMIT 1`;
  return { sql, params: usedParams(sql, params) };
}

/**
 * The ids among `ids` whose records pass the rule (one query for many records, e.g. realtime
 * delivery to a group of clients with the same auth). Returns rows `{id}`.
 */
export function compileRuleFilterIds(opts: RuleCheckOptions & { ids: readonly string[] }): CompiledQuery {
  const alias = opts.collection.name;
  const params: SqlValue[] = [JSON.stringify(opts.ids)];
  const { where, joins } = compileRule(opts, alias, params);
  const sql =
    `SELECT DISTINCT ${col(alias, "id")} AS "id" FROM ${q(alias)}${joins} WHERE ${col(alias, "id")} IN (SELECT "value" FROM json_each(?1))` +
    (where ? ` AND (${where})` : "");
  return { sql, params: usedParams(sql, params) };
}

/**
 * The create-rule check against a record that does not exist yet: its column values are bound
 * into a one-row CTE named `<collection>__pb_create`, aliased as the collection so the rule's
 * references (and multi-value sub-queries) resolve to it. Every field of the collection becomes a
 * column (missing values are NULL; arrays/objects are JSON text; booleans 1/0).
 */
export function compileCreateRuleCheck(opts: RuleCheckOptions & { values: Record<string, unknown> }): CompiledQuery {
  const alias = opts.collection.name;
  const cte = `${alias}__pb_create`;
  const params: SqlValue[] = [];
  const cols = opts.collection.fields.map((f) => {
    params.push(toSqlValue(Object.hasOwn(opts.values, f.name) ? opts.values[f.name] : null));
    return `?${params.length} AS ${q(f.name)}`;
  });
  if (cols.length === 0) cols.push("NULL AS \"id\"");
  const { where, joins } = compileRule(opts, cte, params);
  const sql = `WITH ${q(cte)} AS (SELECT ${cols.join(", ")}) SELECT 1 FROM ${q(cte)} AS ${q(alias)}${joins}${where ? ` WHERE (${where})` : ""} LIMIT 1`;
  return { sql, params: usedParams(sql, params) };
}
