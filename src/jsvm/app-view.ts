import { App } from "../core/app.ts";
import type { Collection } from "../core/collections/collection.ts";
import { importCollections } from "../core/collections/collections-import.ts";
import type { Record } from "../core/records/record.ts";
import type { RequestInfo } from "../core/request-event.ts";
import type { Settings } from "../core/settings/settings-defaults.ts";
import { canAccessRecord } from "../core/records/record-access.ts";
import { expandRecords } from "../core/records/record-expand.ts";
import { findAuthRecordByToken, type TokenType } from "../core/auth/tokens.ts";
import { appCron } from "../core/cron/app-cron.ts";
import { realtimeBroker } from "../core/realtime/register-realtime.ts";
import { quoteIdent, type Bindable } from "../store/sqlite/database.ts";
import { currentApp } from "./current-app.ts";
import { rememberView } from "./app-ref.ts";
import { SelectQuery, noRows } from "./select-query.ts";
import { isExpression, renderSql, type DbxParams } from "./dbx.ts";
import { fillOne, fillRows } from "./select-query.ts";
import { forJs } from "./models.ts";
import { JsLogger } from "./logger.ts";
import { mailClient } from "./mails.ts";
import { Dao } from "./dao.ts";

type Extras = { [name: string]: (...args: any[]) => unknown };
type CollectionRef = string | Collection;

const TOKEN_TYPES: TokenType[] = ["auth", "file", "verification", "passwordReset", "emailChange"];
const EMPTY_INFO: RequestInfo = { auth: null, body: {}, query: {}, headers: {}, method: "", context: "default" };

/**
 * `$app.db()` in JS: PocketBase's dbx builder (`newQuery(sql).bind({...}).execute()|one(dm)|all(arr)`,
 * `select(...)`), plus the Satchel database methods (`all`, `get`, `run`, `exec`, `hasTable`).
 */
export function dbBuilder(app: App) {
  const db = app.db();
  return {
    newQuery(sql: string) {
      let params: DbxParams = {};
      const build = () => {
        const out: Bindable[] = [];
        return { sql: renderSql(String(sql), undefined, params, out), params: out };
      };
      const q = {
        bind(p: DbxParams) {
          params = { ...params, ...(p ?? {}) };
          return q;
        },
        execute() {
          const b = build();
          const changes = db.run(b.sql, b.params);
          return { rowsAffected: () => changes };
        },
        all(dst?: unknown) {
          const b = build();
          return fillRows(db.all(b.sql, b.params), dst, { kind: "row" });
        },
        one(dst?: unknown) {
          const b = build();
          const row = db.get(b.sql, b.params);
          if (!row) throw noRows();
          return fillOne(row, dst, { kind: "row" });
        },
        column() {
          const b = build();
          return db.values(b.sql, b.params).map((r) => r[0]);
        },
        build,
      };
      return q;
    },
    select(...cols: string[]) {
      return new SelectQuery(app).select(...cols);
    },
    all: db.all.bind(db),
    get: db.get.bind(db),
    run: db.run.bind(db),
    exec: db.exec.bind(db),
    values: db.values.bind(db),
    hasTable: db.hasTable.bind(db),
  };
}

function applyFilterFns(q: SelectQuery, fns: unknown[]): SelectQuery {
  for (const fn of fns) if (typeof fn === "function") fn(q);
  return q;
}

/** The PocketBase JS methods of `$app` that the core App does not have (or has with another shape). */
function extrasFor(app: App): Extras {
  const coll = (c: CollectionRef): Collection => (typeof c === "string" ? app.findCollectionByNameOrId(c) : c);
  const recordQuery = (c: CollectionRef) => {
    const collection = coll(c);
    return new SelectQuery(app, { kind: "record", collection }).from(collection.name);
  };
  return {
    dao: () => new Dao(app),
    db: () => dbBuilder(app),
    newQuery: (sql: string) => dbBuilder(app).newQuery(sql),
    recordQuery,
    collectionQuery: () => new SelectQuery(app, { kind: "collection" }).from("_collections"),
    logger: () => new JsLogger([], "", app.isDev()),
    newMailClient: () => mailClient(app),
    cron: () => appCron(app),
    subscriptionsBroker: () => realtimeBroker(app),
    store: () => storeView(app.store()),
    findCollectionByNameOrId: (nameOrId: string) => forJs(app.findCollectionByNameOrId(nameOrId).clone()),
    findCachedCollectionByNameOrId: (nameOrId: string) => forJs(app.findCollectionByNameOrId(nameOrId)),
    findAllCollections: (...types: string[]) => forJs(app.findAllCollections(...types).map((c) => c.clone())),
    findRecordById: (c: CollectionRef, id: string, ...fns: unknown[]) => {
      if (fns.length === 0) return app.findRecordById(c, id);
      return applyFilterFns(recordQuery(c).andWhere({ build: (out: Bindable[]) => (out.push(String(id)), `${quoteIdent(coll(c).name)}."id"=?`) }), fns).one();
    },
    findRecordsByIds: (c: CollectionRef, ids: string[], ...fns: unknown[]) => {
      if (fns.length === 0) return app.findRecordsByIds(c, ids);
      const list = Array.isArray(ids) ? ids.map(String) : [];
      if (list.length === 0) return [];
      return applyFilterFns(recordQuery(c).andWhere({ build: (out: Bindable[]) => (out.push(...list), `${quoteIdent(coll(c).name)}."id" IN (${list.map(() => "?").join(", ")})`) }), fns).all();
    },
    findAllRecords: (c: CollectionRef, ...exprs: unknown[]) => {
      const q = recordQuery(c);
      for (const e of exprs) q.andWhere(e);
      return q.all();
    },
    countRecords: (c: CollectionRef, ...rest: unknown[]) => {
      if (rest.length === 0 || typeof rest[0] === "string") return app.countRecords(c, (rest[0] as string) ?? "", rest[1] as never);
      const q = recordQuery(c).select("count(*)");
      for (const e of rest) if (isExpression(e) || (e && typeof e === "object")) q.andWhere(e);
      return Number(q.column()[0] ?? 0);
    },
    findAuthRecordByToken: (token: string, ...types: string[]) => {
      for (const t of (types.length ? types : TOKEN_TYPES) as TokenType[]) {
        const found = findAuthRecordByToken(app, String(token ?? ""), t);
        if (found) return found.record;
      }
      throw noRows();
    },
    canAccessRecord: (record: Record, info: RequestInfo | null, rule: string | null) => canAccessRecord(app, record, info ?? EMPTY_INFO, rule ?? null),
    expandRecord: (record: Record, expands: string[], _fetch?: unknown) => {
      expandRecords(app, [record], (expands ?? []).join(","), EMPTY_INFO);
      return {};
    },
    expandRecords: (records: Record[], expands: string[], _fetch?: unknown) => {
      expandRecords(app, records, (expands ?? []).join(","), EMPTY_INFO);
      return {};
    },
    importCollections: (items: unknown, deleteMissing = false) => importCollections(app, (Array.isArray(items) ? items : []) as { [k: string]: unknown }[], !!deleteMissing),
    importCollectionsByMarshaledJSON: (json: unknown, deleteMissing = false) => {
      const text = json instanceof Uint8Array ? new TextDecoder().decode(json) : String(json);
      importCollections(app, JSON.parse(text), !!deleteMissing);
    },
    save: (model: unknown) => {
      if (isSettings(model)) app.saveSettings(model);
      else app.save(model as Record | Collection);
    },
    runInTransaction: (fn: (tx: unknown) => unknown) => app.runInTransaction((tx) => fn(jsApp(tx))),
    hasTable: (name: string) => app.db().hasTable(name),
    tableColumns: (name: string) => app.db().all<{ name: string }>(`PRAGMA table_info(${quoteIdent(name)})`).map((r) => r.name),
    truncateCollection: (c: CollectionRef) => {
      const collection = coll(c);
      app.runInTransaction((tx) => {
        for (const r of tx.findAllRecords(collection)) tx.delete(r);
      });
    },
  };
}

/** `$app.rootCmd`: custom console commands are not supported yet; registering one only warns. */
const rootCmd = {
  addCommand(cmd: { use?: string }) {
    console.warn(`[jsvm] custom console commands are not supported yet; "${cmd?.use ?? "?"}" was not registered.`);
  },
};

function isSettings(v: unknown): v is Settings {
  return typeof v === "object" && v !== null && "meta" in v && "smtp" in v && "logs" in v;
}

/** PocketBase's `$app.store()` API over the app's Map. */
function storeView(m: Map<string, unknown>) {
  return {
    get: (k: string) => m.get(k),
    set: (k: string, v: unknown) => void m.set(k, v),
    has: (k: string) => m.has(k),
    remove: (k: string) => void m.delete(k),
    removeAll: () => m.clear(),
    getAll: () => Object.fromEntries(m),
    length: () => m.size,
    getOrSet: (k: string, fn: () => unknown) => {
      if (!m.has(k)) m.set(k, fn());
      return m.get(k);
    },
    setIfLessThanLimit: (k: string, v: unknown, limit: number) => {
      if (m.size >= limit && !m.has(k)) return false;
      m.set(k, v);
      return true;
    },
  };
}

const views = new WeakMap<App, { view: unknown; extras: Extras }>();

function trapsFor(resolve: () => App, extrasOf: () => Extras): ProxyHandler<object> {
  return {
    get(_t, prop) {
      const app = resolve();
      if (typeof prop === "string") {
        if (prop === "rootCmd") return rootCmd;
        const extra = extrasOf()[prop];
        if (extra) return extra;
      }
      const v = Reflect.get(app, prop, app);
      if (typeof v === "function") {
        const bound = (...args: unknown[]) => forJs((v as (...a: unknown[]) => unknown).apply(app, args));
        return bound;
      }
      return v;
    },
    set(_t, prop, value) {
      return Reflect.set(resolve(), prop, value);
    },
    has(_t, prop) {
      return typeof prop === "string" && prop in extrasOf() ? true : Reflect.has(resolve(), prop);
    },
    getPrototypeOf() {
      return App.prototype;
    },
  };
}

/**
 * The JS view of an app: every App method under PocketBase's JS name, plus the ones the core has
 * in another shape (`dao()`, `recordQuery()`, `db().newQuery()`, `logger()`, `newMailClient()`,
 * `cron()`, `store()`, finders taking `$dbx` expressions, …). Collections come back as fresh copies
 * with PocketBase's FieldsList methods.
 */
export function jsApp(app: App | unknown): any {
  if (!(app instanceof App)) return app;
  let entry = views.get(app);
  if (!entry) {
    const extras = extrasFor(app);
    const view = new Proxy({}, trapsFor(() => app, () => extras));
    rememberView(view, app);
    entry = { view, extras };
    views.set(app, entry);
  }
  return entry.view;
}

/** The `$app` global: the view of whatever app is current (the event's app inside handlers). */
export function dynamicAppView(): any {
  const view = new Proxy({}, trapsFor(currentApp, () => {
    const app = currentApp();
    jsApp(app);
    return views.get(app)!.extras;
  }));
  rememberView(view, currentApp);
  return view;
}
