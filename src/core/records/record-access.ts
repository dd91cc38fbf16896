import type { App } from "../app.ts";
import type { Record } from "./record.ts";
import type { RequestInfo } from "../request-event.ts";
import { compileRecordRuleCheck } from "./rule-bridge.ts";

/**
 * PocketBase's `canAccessRecord`: true for superusers and for `""`, false for `null`, otherwise
 * `SELECT 1 FROM table WHERE id = ? AND (rule)` must return a row.
 */
export function canAccessRecord(app: App, record: Record, info: RequestInfo, rule: string | null): boolean {
  if (info.auth?.collection().name === "_superusers") return true;
  if (rule === null) return false;
  if (rule === "") return true;
  const q = compileRecordRuleCheck(app, record.collection(), record.id, rule, info);
  return app.db().get(q.sql, q.params) !== null;
}
