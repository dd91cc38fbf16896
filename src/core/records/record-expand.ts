import type { App } from "../app.ts";
import type { Collection } from "../collections/collection.ts";
import type { RequestInfo } from "../request-event.ts";
import type { Record } from "./record.ts";
import { findRecordsByIds, rowsToRecords } from "./record-query.ts";
import { compileRecordRuleFilterIds } from "./rule-bridge.ts";
import { hasSingleColumnUniqueIndex } from "../collections/index-parse.ts";
import { quoteIdent, type Bindable } from "../../store/sqlite/database.ts";

/** PocketBase's expand depth limit. */
export const MAX_EXPAND_DEPTH = 6;
/** At most this many back-related records per record. */
export const MAX_BACK_RELATIONS = 1000;

type ExpandTree = Map<string, ExpandTree>;

/** Parses `a,b.c, b.d` into a tree (spaces removed, prefixes merged, depth capped at 6). */
export function parseExpand(param: string): ExpandTree {
  const root: ExpandTree = new Map();
  for (const raw of param.replace(/\s+/g, "").split(",")) {
    if (!raw) continue;
    let node = root;
    for (const part of raw.split(".").slice(0, MAX_EXPAND_DEPTH)) {
      if (!part) break;
      let next = node.get(part);
      if (!next) {
        next = new Map();
        node.set(part, next);
      }
      node = next;
    }
  }
  return root;
}

/**
 * Expands relations (`author`, `tags.owner`, back-relations `comments_via_post`) into
 * `record.expand`. Each related collection's viewRule applies (context `expand`): records the
 * requester may not see are left out silently, and a bad path never fails the request.
 */
export function expandRecords(app: App, records: Record[], param: string, info: RequestInfo): void {
  const tree = parseExpand(param);
  if (tree.size === 0) return;
  const expandInfo: RequestInfo = { ...info, context: "expand" };
  expandLevel(app, records, tree, expandInfo);
}

function expandLevel(app: App, records: Record[], tree: ExpandTree, info: RequestInfo): void {
  if (records.length === 0) return;
  for (const r of records) r.expandRequested = true;
  const c = records[0]!.collection();
  for (const [key, sub] of tree) {
    try {
      const f = c.getFieldByName(key);
      if (f && f.type === "relation") {
        const target = app.findCachedCollectionByNameOrId(String(f.collectionId ?? ""));
        if (!target) continue;
        const multi = Number(f.maxSelect ?? 0) > 1;
        const ids = records.flatMap((r) => r.getStringSlice(key));
        const visible = visibleById(app, target, findRecordsByIds(app, target, ids), info);
        const fetched: Record[] = [];
        for (const r of records) {
          const rel = r.getStringSlice(key).map((id) => visible.get(id)).filter((x): x is Record => !!x);
          if (rel.length === 0) continue;
          r.expand[key] = multi ? rel : rel[rel.length - 1]!;
          fetched.push(...rel);
        }
        if (sub.size > 0) expandLevel(app, dedupe(fetched), sub, info);
        continue;
      }
      const via = /^(\w+)_via_(\w+)$/.exec(key) ?? /^(\w+)\((\w+)\)$/.exec(key);
      if (!via) continue;
      const back = app.findCachedCollectionByNameOrId(via[1]!);
      const bf = back?.getFieldByName(via[2]!);
      if (!back || !bf || bf.type !== "relation" || bf.collectionId !== c.id) continue;
      const single = Number(bf.maxSelect ?? 0) <= 1 && hasSingleColumnUniqueIndex(back.indexes, bf.name);
      const fetched: Record[] = [];
      for (const r of records) {
        const rel = backRelated(app, back, bf.name, Number(bf.maxSelect ?? 0) > 1, r.id);
        const visible = [...visibleById(app, back, rel, info).values()];
        if (visible.length === 0) continue;
        r.expand[key] = single ? visible[0]! : visible;
        fetched.push(...visible);
      }
      if (sub.size > 0) expandLevel(app, dedupe(fetched), sub, info);
    } catch (err) {
      // PocketBase parity: expand problems are logged, never returned
      if (app.isDev()) console.warn(`expand "${key}" failed:`, err);
    }
  }
}

function backRelated(app: App, back: Collection, field: string, multi: boolean, id: string): Record[] {
  const t = quoteIdent(back.name);
  const col = `${t}.${quoteIdent(field)}`;
  const where = multi
    ? `EXISTS (SELECT 1 FROM json_each(CASE WHEN json_valid(${col}) THEN ${col} ELSE json_array(${col}) END) je WHERE je.value = ?)`
    : `${col} = ?`;
  return rowsToRecords(back, app.db().all(`SELECT ${t}.* FROM ${t} WHERE ${where} LIMIT ${MAX_BACK_RELATIONS}`, [id]));
}

/** The records the requester may view (superusers all; null rule none; "" all; else one query). */
function visibleById(app: App, c: Collection, list: Record[], info: RequestInfo): Map<string, Record> {
  const out = new Map<string, Record>();
  const superuser = info.auth?.collection().name === "_superusers";
  if (list.length === 0) return out;
  if (!superuser && c.viewRule === null) return out;
  let allowed: Set<string> | null = null;
  if (!superuser && c.viewRule) {
    const q = compileRecordRuleFilterIds(app, c, list.map((r) => r.id), c.viewRule, info);
    allowed = new Set(app.db().all<{ id: string }>(q.sql, q.params as Bindable[]).map((r) => String(r.id)));
  }
  for (const r of list) if (!allowed || allowed.has(r.id)) out.set(r.id, r);
  return out;
}

function dedupe(list: Record[]): Record[] {
  const seen = new Set<Record>();
  return list.filter((r) => (seen.has(r) ? false : (seen.add(r), true)));
}
