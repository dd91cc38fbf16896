import type { App } from "../app.ts";
import type { Collection } from "../collections/collection.ts";
import type { RequestInfo } from "../request-event.ts";
import type { SchemaLookup } from "../rules/schema.ts";
import type { RequestInfo as RuleRequestInfo } from "../rules/request-info.ts";
import { compileCreateRuleCheck, compileRuleCheck, compileRuleFilterIds, type CompiledQuery } from "../rules/rule-check.ts";
import type { Record } from "./record.ts";

/** The app's collection cache as the rule compiler's schema lookup. */
export function schemaOf(app: App): SchemaLookup {
  return { findCollection: (x) => app.findCachedCollectionByNameOrId(x) };
}

/** A record's stored values (hidden ones and the password hash included) for `@request.auth.*`. */
export function rawValues(record: Record): { [k: string]: unknown } {
  const out: { [k: string]: unknown } = {};
  for (const f of record.collection().fields) out[f.name] = f.type === "password" ? record.get(`${f.name}:hash`) : record.getRaw(f.name);
  return out;
}

/** Converts the request data to the compiler's form. */
export function toRuleRequest(info: RequestInfo | null | undefined): RuleRequestInfo | null {
  if (!info) return null;
  return {
    auth: info.auth ? { collection: info.auth.collection(), record: rawValues(info.auth) } : null,
    body: info.body,
    query: info.query,
    headers: info.headers,
    method: info.method,
    context: info.context,
  };
}

/** `SELECT 1 … WHERE id = ? AND (rule)` for a stored record. */
export function compileRecordRuleCheck(app: App, c: Collection, id: string, rule: string, info: RequestInfo | null): CompiledQuery {
  return compileRuleCheck({ schema: schemaOf(app), collection: c, rule, request: toRuleRequest(info), recordId: id });
}

/** The create-rule check against a would-be record. */
export function compileRecordCreateCheck(app: App, record: Record, rule: string, info: RequestInfo | null): CompiledQuery {
  const values: { [k: string]: unknown } = {};
  for (const f of record.collection().fields) {
    if (f.type === "password") continue;
    values[f.name] = record.getRaw(f.name);
  }
  return compileCreateRuleCheck({ schema: schemaOf(app), collection: record.collection(), rule, request: toRuleRequest(info), values });
}

/** The ids among `ids` whose records pass the rule (one query). */
export function compileRecordRuleFilterIds(app: App, c: Collection, ids: readonly string[], rule: string, info: RequestInfo | null): CompiledQuery {
  return compileRuleFilterIds({ schema: schemaOf(app), collection: c, rule, request: toRuleRequest(info), ids });
}
