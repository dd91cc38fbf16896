import type { App } from "../app.ts";
import type { Collection } from "../collections/collection.ts";
import type { Record } from "../records/record.ts";
import type { RequestInfo } from "../request-event.ts";
import { canAccessRecord } from "../records/record-access.ts";
import { enrichRecords } from "../records/record-visibility.ts";
import { expandRecords } from "../records/record-expand.ts";
import { pickFields } from "../../tools/fields-picker.ts";
import type { SubscriptionEntry } from "./realtime-client.ts";
import { recordTopics } from "./subscription.ts";
import { encodePayload, type Payload } from "./sse-frame.ts";
import { canSeeRecordSnapshot, canSeeStoredRecord, isSuperuser, realtimeRequestInfo, type TopicRule } from "./realtime-access.ts";

/** The record actions realtime reports. */
export type RecordAction = "create" | "update" | "delete";

/** One payload and the subscriptions it goes to. */
export interface PreparedDelivery {
  payload: Payload;
  targets: SubscriptionEntry[];
}

/** The subscriptions of a topic (the broker's index). */
export type TopicLookup = (topic: string) => Iterable<SubscriptionEntry> | undefined;

/**
 * Subscribers evaluated together: the same auth (collection + id), the same rule (list or view)
 * and the same options. One access check and one payload serve them all.
 */
interface Group {
  key: string;
  which: TopicRule;
  auth: Record | null;
  info: RequestInfo;
  targets: SubscriptionEntry[];
}

/** Groups the live subscriptions a change of `recordId` concerns. */
function collectGroups(c: Collection, recordId: string, lookup: TopicLookup): Group[] {
  // rule → optionsKey → authKey → group (nested maps: no key string per subscriber)
  const byRule = { list: new Map<string, Map<string, Group>>(), view: new Map<string, Map<string, Group>>() };
  const out: Group[] = [];
  for (const { topic, rule } of recordTopics(c.name, c.id, recordId)) {
    const entries = lookup(topic);
    if (!entries) continue;
    const byOptions = byRule[rule];
    for (const entry of entries) {
      const client = entry.client;
      if (client.isDiscarded()) continue;
      const optionsKey = entry.sub.optionsKey;
      let byAuth = byOptions.get(optionsKey);
      if (!byAuth) byOptions.set(optionsKey, (byAuth = new Map()));
      const authKey = client.authKey();
      let g = byAuth.get(authKey);
      if (!g) {
        const auth = client.auth();
        g = { key: `${rule}\u0000${authKey}\u0000${optionsKey}`, which: rule, auth, info: realtimeRequestInfo(auth, entry.sub.options), targets: [] };
        byAuth.set(authKey, g);
        out.push(g);
      }
      g.targets.push(entry);
    }
  }
  return out;
}

/** A copy of the record without any request's expand or export switches. */
function cleanCopy(record: Record): Record {
  const r = record.clone();
  r.expand = {};
  r.expandRequested = false;
  return r;
}

/**
 * Builds the payloads. PocketBase parity: email visibility and hidden fields follow the REST
 * rules per subscriber (superusers see everything, an auth record's owner and managers see its
 * email), and `expand`/`fields` options shape the record. Plain subscribers share one JSON text
 * per visibility class; a group with expand/fields (or when `onRecordEnrich` handlers exist)
 * gets its own. PocketBase parity: the data is `{"record":…,"action":…}` in that key order.
 */
class PayloadCache {
  private readonly byKey = new Map<string, Payload>();
  constructor(
    private readonly app: App,
    private readonly action: RecordAction,
    private readonly record: Record,
  ) {}

  forGroup(g: Group): Payload {
    const expand = g.info.query.expand ?? "";
    const fields = g.info.query.fields ?? "";
    const custom = expand !== "" || fields !== "" || this.app.hooks.recordEnrich.length > 0;
    const key = custom ? `g:${g.key}` : this.visibilityClass(g);
    let p = this.byKey.get(key);
    if (!p) {
      p = custom ? this.customPayload(g, expand, fields) : this.classPayload(key);
      this.byKey.set(key, p);
    }
    return p;
  }

  private visibilityClass(g: Group): string {
    if (isSuperuser(g.auth)) return "superuser";
    const c = this.record.collection();
    if (!c.isAuth()) return "plain";
    if (g.auth && g.auth.id === this.record.id && g.auth.collection().id === c.id) return "email";
    if (c.manageRule && canAccessRecord(this.app, this.record, g.info, c.manageRule)) return "email";
    return "plain";
  }

  private classPayload(cls: string): Payload {
    const r = cleanCopy(this.record);
    if (cls === "superuser") r.unhideAll().ignoreEmailVisibility(true);
    else if (cls === "email") r.ignoreEmailVisibility(true);
    return encodePayload(JSON.stringify({ record: r, action: this.action }));
  }

  private customPayload(g: Group, expand: string, fields: string): Payload {
    const r = cleanCopy(this.record);
    if (expand) expandRecords(this.app, [r], expand, g.info);
    enrichRecords(this.app, [r], g.info);
    let out: unknown = r.publicExport();
    if (fields) {
      try {
        out = pickFields(JSON.parse(JSON.stringify(out)), fields);
      } catch {
        // PocketBase parity: a bad `fields` option leaves the record whole
      }
    }
    return encodePayload(JSON.stringify({ record: out, action: this.action }));
  }
}

/**
 * What an access decision depends on. Groups whose rule and filter never read `@request.*`
 * share one decision whatever their auth (only superuser or not matters), so e.g. 5,000
 * different users under `published = true` cost one query, not 5,000.
 */
function accessKey(c: Collection, g: Group): string {
  const superuser = isSuperuser(g.auth);
  const rule = superuser ? "" : ((g.which === "list" ? c.listRule : c.viewRule) ?? "\u0000null");
  const filter = g.info.query.filter ?? "";
  if (rule.includes("@request") || filter.includes("@request")) return `g\u0000${g.key}`;
  return `${g.which}\u0000${superuser ? "su" : ""}\u0000${filter}`;
}

/**
 * Decides who gets a record change and prepares the messages: the subscribers are grouped, each
 * group's access is checked once (at most one query) and each distinct payload is serialized
 * once. `stored` says whether the record's row exists (always, except for a delete published
 * by another process: then its values are checked as a snapshot).
 */
export function planRecordDelivery(app: App, action: RecordAction, record: Record, lookup: TopicLookup, stored = true): PreparedDelivery[] {
  const c = app.findCachedCollectionByNameOrId(record.collection().id) ?? record.collection();
  const groups = collectGroups(c, record.id, lookup);
  if (groups.length === 0) return [];
  const payloads = new PayloadCache(app, action, record);
  const byPayload = new Map<Payload, SubscriptionEntry[]>();
  const decisions = new Map<string, boolean>();
  for (const g of groups) {
    const key = accessKey(c, g);
    let ok = decisions.get(key);
    if (ok === undefined) {
      ok = stored ? canSeeStoredRecord(app, c, record.id, g.which, g.info) : canSeeRecordSnapshot(app, record, g.which, g.info);
      decisions.set(key, ok);
    }
    if (!ok) continue;
    let p: Payload;
    try {
      p = payloads.forGroup(g);
    } catch (err) {
      // PocketBase parity: an enrich/expand failure skips that subscriber, never the write
      if (app.isDev()) console.warn("[satchel] realtime payload failed:", err);
      continue;
    }
    const list = byPayload.get(p);
    if (list) for (const t of g.targets) list.push(t);
    else byPayload.set(p, g.targets.slice());
  }
  return [...byPayload].map(([payload, targets]) => ({ payload, targets }));
}
