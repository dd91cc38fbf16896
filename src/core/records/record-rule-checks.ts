import type { App } from "../app.ts";
import type { Collection } from "../collections/collection.ts";
import type { RequestInfo } from "../request-event.ts";
import { Record } from "./record.ts";
import { compileRecordCreateCheck, compileRecordRuleCheck } from "./rule-bridge.ts";
import { findRecordById } from "./record-query.ts";

/** The record with that id if it exists and passes the rule (view/update/delete), else null. */
export function findRecordWithRule(app: App, c: Collection, id: string, rule: string, info: RequestInfo): Record | null {
  if (!id) return null;
  const q = compileRecordRuleCheck(app, c, id, rule, info);
  if (!app.db().get(q.sql, q.params)) return null;
  return findRecordById(app, c, id);
}

/** True when the would-be record passes the create rule (evaluated on a one-row CTE). */
export function passesCreateRule(app: App, record: Record, rule: string, info: RequestInfo): boolean {
  if (rule === "") return true;
  const q = compileRecordCreateCheck(app, record, rule, info);
  return app.db().get(q.sql, q.params) !== null;
}
