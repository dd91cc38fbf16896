/**
 * The filter/rule language (PocketBase's fexpr semantics) compiled to SQLite: the public API.
 *
 * - `compileFilter(expr, opts)` → `{where, joins, params, distinct}`
 * - `compileSort(sort, opts)` → `{orderBy, joins, params, distinct}`
 * - `buildListQuery(opts)` → the list SELECT and COUNT with their params
 * - `compileRuleCheck` / `compileRuleFilterIds` / `compileCreateRuleCheck` → rule queries
 * - `bindPlaceholders(expr, params)` → `{:name}` substitution for `findRecordsByFilter` & co.
 *
 * Placeholders in every emitted statement are numbered (`?1`, `?2`, …) and bind positionally:
 * `db.query(sql).all(...params)`. Every malformed input is an `ApiError` 400 (reason in `cause`);
 * client filters that mention `@request.`/`@collection.` are 403.
 */
export { compileFilter, assertClientExpression, MAX_FILTER_CONDITIONS, MAX_FILTER_LENGTH } from "./compile-filter.ts";
export type { CompiledFilter, FilterOptions } from "./compile-filter.ts";
export type { CompileOptions } from "./compile-context.ts";
export { compileSort, MAX_SORT_FIELDS, MAX_SORT_FIELD_LENGTH } from "./sort.ts";
export type { CompiledSort, SortOptions } from "./sort.ts";
export { buildListQuery, normalizePaging, usedParams, DEFAULT_PER_PAGE, MAX_PER_PAGE } from "./list-query.ts";
export type { ListQuery, ListQueryOptions } from "./list-query.ts";
export { compileCreateRuleCheck, compileRuleCheck, compileRuleFilterIds } from "./rule-check.ts";
export type { CompiledQuery, RuleCheckOptions } from "./rule-check.ts";
export { bindPlaceholders } from "./placeholders.ts";
export type { PlaceholderValue } from "./placeholders.ts";
export { createSchemaLookup, findField, hasSingleColumnUniqueIndex, isMultipleField, parseIndex } from "./schema.ts";
export type { ParsedIndex, SchemaLookup } from "./schema.ts";
export { emptyRequestInfo, snakeCaseHeaderName } from "./request-info.ts";
export type { AuthInfo, RequestInfo } from "./request-info.ts";
export { parseCached } from "./parse-cache.ts";
export { RuleSyntaxError, INVALID_FILTER_MESSAGE, INVALID_RULE_MESSAGE, INVALID_SORT_MESSAGE } from "./errors.ts";
