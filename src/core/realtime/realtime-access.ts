import type { App } from "../app.ts";
import type { Collection } from "../collections/collection.ts";
import type { Record } from "../records/record.ts";
import type { RequestInfo } from "../request-event.ts";
import type { Bindable } from "../../store/sqlite/database.ts";
import { buildListQuery, bindPlaceholders, assertClientExpression } from "../rules/index.ts";
import { schemaOf, toRuleRequest, compileRecordCreateCheck } from "../records/rule-bridge.ts";
import type { SubscriptionOptions } from "./subscription.ts";

/** Which collection rule guards a topic: `listRule` for `coll/*` and `coll`, `viewRule` for `coll/ID`. */
export type TopicRule = "list" | "view";

/** The request data a subscription is evaluated with: the client's auth plus its options. */
export function realtimeRequestInfo(auth: Record | null, options: SubscriptionOptions): RequestInfo {
  return { auth, body: {}, query: options.query, headers: options.headers, method: "GET", context: "realtime" };
}

/** True when the auth record is a superuser. */
export function isSuperuser(auth: Record | null): boolean {
  return auth?.collection().name === "_superusers";
}

/**
 * May a subscriber with this auth and options see the stored record? PocketBase parity: the
 * topic's rule (superusers pass, `null` is superusers-only, `""` is everyone) AND the
 * subscription's own `filter` option, which applies to superusers too and is a client filter
 * for everyone else (no `@request.`/`@collection.`, no hidden fields, joined collections
 * restricted by their listRule). Any error means "not delivered".
 *
 * One query at most: the rule and the filter are compiled together with `id = <record id>`,
 * exactly as the records list applies them.
 */
export function canSeeStoredRecord(app: App, c: Collection, recordId: string, which: TopicRule, info: RequestInfo): boolean {
  const superuser = isSuperuser(info.auth);
  const rule = which === "list" ? c.listRule : c.viewRule;
  if (!superuser && rule === null) return false;
  const filter = info.query.filter ?? "";
  const ruleExpr = superuser ? "" : (rule ?? "");
  if (ruleExpr.trim() === "" && filter.trim() === "") return true;
  try {
    const q = buildListQuery({
      schema: schemaOf(app),
      collection: c,
      rules: [ruleExpr, bindPlaceholders("id = {:id}", { id: recordId })],
      filter,
      clientFilter: !superuser,
      allowHiddenFields: superuser,
      request: toRuleRequest(info),
      page: 1,
      perPage: 1,
      skipTotal: true,
    });
    return app.db().get(q.selectSql, q.selectParams as Bindable[]) !== null;
  } catch {
    return false;
  }
}

/**
 * The same decision for a record whose row is gone (a delete published by another process):
 * the rule and the filter are evaluated against a one-row snapshot of its values. NB: unlike
 * the local pre-delete check, back-relations to the record no longer resolve.
 */
export function canSeeRecordSnapshot(app: App, record: Record, which: TopicRule, info: RequestInfo): boolean {
  const c = record.collection();
  const superuser = isSuperuser(info.auth);
  const rule = which === "list" ? c.listRule : c.viewRule;
  if (!superuser && rule === null) return false;
  const filter = info.query.filter ?? "";
  try {
    for (const expr of [superuser ? "" : (rule ?? ""), filter]) {
      if (expr.trim() === "") continue;
      if (!superuser && expr === filter) assertClientExpression(filter);
      const q = compileRecordCreateCheck(app, record, expr, info);
      if (app.db().get(q.sql, q.params as Bindable[]) === null) return false;
    }
    return true;
  } catch {
    return false;
  }
}
