import type { App } from "../app.ts";
import type { Record } from "./record.ts";
import type { RequestInfo } from "../request-event.ts";
import { canAccessRecord } from "./record-access.ts";
import { newEvent } from "../events.ts";
import type { RecordEnrichEvent } from "../events.ts";

/**
 * Prepares records for a response to this requester (PocketBase's enrich step): superusers see
 * hidden fields and every email; an auth record's owner, and requesters passing `manageRule`, see
 * its email; then `onRecordEnrich` runs for each record (and each expanded one).
 */
export function enrichRecords(app: App, records: Record[], info: RequestInfo): void {
  const superuser = info.auth?.collection().name === "_superusers";
  const managerCache = new Map<string, boolean>();
  const visit = (r: Record) => {
    const c = r.collection();
    if (superuser) r.unhideAll().ignoreEmailVisibility(true);
    else if (c.isAuth()) {
      if (info.auth && info.auth.id === r.id && info.auth.collection().id === c.id) r.ignoreEmailVisibility(true);
      else if (c.manageRule) {
        const key = `${c.id}/${r.id}`;
        if (!managerCache.has(key)) managerCache.set(key, canAccessRecord(app, r, info, c.manageRule));
        if (managerCache.get(key)) r.ignoreEmailVisibility(true);
      }
    }
    if (app.hooks.recordEnrich.length > 0) {
      app.hooks.recordEnrich.trigger(newEvent<RecordEnrichEvent>({ app, record: r, auth: info.auth }), () => {}, [c.id, c.name]);
    }
    const expand = r.expand;
    for (const k in expand) {
      const v = expand[k]!;
      if (Array.isArray(v)) v.forEach(visit);
      else visit(v);
    }
  };
  records.forEach(visit);
}
