import type { App } from "../app.ts";
import type { Record } from "../records/record.ts";
import type { Collection } from "../collections/collection.ts";
import { findRecordById } from "../records/record-query.ts";
import type { RealtimeBus } from "./bus.ts";
import { RealtimeBroker } from "./broker.ts";
import { CLIENT_AUTH_KEY, type RealtimeClient } from "./realtime-client.ts";
import type { PreparedDelivery } from "./record-delivery.ts";

const brokers = new WeakMap<App, RealtimeBroker>();

/** Handler ids (binding twice replaces, never duplicates). */
const ID = "__satchelRealtime";
/** The delete pre-check runs after user handlers, right before the row goes. */
const LATE = 10_000;

/**
 * The realtime broker of an app, or null before `registerRealtime`. Transaction-scoped apps
 * resolve to their root app's broker. Use it to send custom messages
 * (`realtimeBroker(app)?.broadcast("chat", {text})`, `sendToClient(id, "@oauth2", data)`).
 */
export function realtimeBroker(app: App): RealtimeBroker | null {
  for (let a: object | null = app; a; a = Object.getPrototypeOf(a) as object | null) {
    const b = brokers.get(a as App);
    if (b) return b;
  }
  return null;
}

/**
 * Creates the app's broker (once) and subscribes it to the record hooks: committed
 * creates/updates are delivered after the commit; a delete is checked against the rules while
 * its row still exists (in `onRecordDelete`) and delivered only once it has committed. Auth
 * changes update or drop the clients' auth state. Returns the broker.
 */
export function registerRealtime(app: App, opts: { bus?: RealtimeBus } = {}): RealtimeBroker {
  const existing = realtimeBroker(app);
  if (existing) return existing;
  const broker = new RealtimeBroker(app, opts.bus ?? null);
  brokers.set(app, broker);
  const pendingDeletes = new WeakMap<Record, PreparedDelivery[]>();

  app.onRecordAfterCreateSuccess().bind({ id: `${ID}Create`, func: (e) => {
    safely(app, () => broker.recordSaved("create", e.record));
    return e.next();
  } });
  app.onRecordAfterUpdateSuccess().bind({ id: `${ID}Update`, func: (e) => {
    safely(app, () => {
      if (e.record.collection().isAuth()) refreshClientsAuth(broker, e.record);
      broker.recordSaved("update", e.record);
    });
    return e.next();
  } });
  app.onRecordDelete().bind({ id: `${ID}DeleteCheck`, priority: LATE, func: (e) => {
    safely(app, () => {
      const plan = broker.plan("delete", e.record);
      if (plan.length > 0) pendingDeletes.set(e.record, plan);
    });
    try {
      return e.next();
    } catch (err) {
      pendingDeletes.delete(e.record);
      throw err;
    }
  } });
  app.onRecordAfterDeleteSuccess().bind({ id: `${ID}Delete`, func: (e) => {
    const plan = pendingDeletes.get(e.record) ?? [];
    pendingDeletes.delete(e.record);
    safely(app, () => {
      broker.recordDeleted(e.record, plan);
      if (e.record.collection().isAuth()) dropClientsAuth(broker, (a) => sameRecord(a, e.record));
    });
    return e.next();
  } });
  app.onRecordAfterDeleteError().bind({ id: `${ID}DeleteError`, func: (e) => {
    pendingDeletes.delete(e.record);
    return e.next();
  } });
  app.onCollectionAfterUpdateSuccess().bind({ id: `${ID}CollectionUpdate`, func: (e) => {
    if (e.collection.isAuth()) refreshCollectionAuths(broker, e.collection);
    return e.next();
  } });
  app.onCollectionAfterDeleteSuccess().bind({ id: `${ID}CollectionDelete`, func: (e) => {
    dropClientsAuth(broker, (a) => a.collection().id === e.collection.id);
    return e.next();
  } });
  // `serve --workers=N`: auth records changed in another process update this process's clients too
  opts.bus?.subscribe((ev) => {
    if (ev.kind !== "record" || ev.origin === broker.origin || ev.action === "create") return;
    const c = app.findCachedCollectionByNameOrId(ev.collectionId);
    if (!c?.isAuth()) return;
    safely(app, () => {
      const fresh = ev.action === "update" ? findRecordById(app, c, ev.recordId) : null;
      if (fresh) refreshClientsAuth(broker, fresh);
      else dropClientsAuth(broker, (a) => a.id === ev.recordId && a.collection().id === c.id);
    });
  });
  app.onTerminate().bind({ id: `${ID}Terminate`, func: (e) => {
    broker.shutdown();
    brokers.delete(app);
    return e.next();
  } });
  return broker;
}

/** NB: realtime must never fail a write: delivery errors are logged, not thrown. */
function safely(app: App, fn: () => void): void {
  try {
    fn();
  } catch (err) {
    console.error("[satchel] realtime delivery failed:", app.isDev() ? err : err instanceof Error ? err.message : String(err));
  }
}

function sameRecord(a: Record, b: Record): boolean {
  return a.id === b.id && a.collection().id === b.collection().id;
}

function clientsWithAuth(broker: RealtimeBroker, match: (auth: Record) => boolean): RealtimeClient[] {
  return broker.clients().filter((c) => {
    const a = c.auth();
    return a !== null && match(a);
  });
}

function dropClientsAuth(broker: RealtimeBroker, match: (auth: Record) => boolean): void {
  for (const c of clientsWithAuth(broker, match)) c.unset(CLIENT_AUTH_KEY);
}

/**
 * PocketBase parity: an updated auth record replaces the clients' copy (so rules see its new
 * values), unless its tokenKey changed (password/email change, logout everywhere): then the
 * clients lose their auth.
 */
function refreshClientsAuth(broker: RealtimeBroker, record: Record): void {
  for (const c of clientsWithAuth(broker, (a) => sameRecord(a, record))) {
    if (c.auth()!.tokenKey() !== record.tokenKey()) c.unset(CLIENT_AUTH_KEY);
    else c.set(CLIENT_AUTH_KEY, record.clone());
  }
}

/**
 * After the collections were reloaded because another process changed them: every client's auth
 * is checked against its collection as it is now (a rotated token secret or a deleted collection
 * ends the auth; otherwise the record is reloaded).
 */
export function revalidateClientsAuth(app: App): void {
  const broker = realtimeBroker(app);
  if (!broker) return;
  const ids = new Set(clientsWithAuth(broker, () => true).map((c) => c.auth()!.collection().id));
  for (const id of ids) {
    const now = app.findCachedCollectionByNameOrId(id);
    if (now) refreshCollectionAuths(broker, now);
    else dropClientsAuth(broker, (a) => a.collection().id === id);
  }
}

/** A changed auth collection: drop the auth when its token secret changed, else reload it. */
function refreshCollectionAuths(broker: RealtimeBroker, collection: Collection): void {
  for (const c of clientsWithAuth(broker, (a) => a.collection().id === collection.id)) {
    const old = c.auth()!;
    const fresh = old.collection().authToken?.secret === collection.authToken?.secret ? findRecordById(broker.app, collection, old.id) : null;
    if (fresh && fresh.tokenKey() === old.tokenKey()) c.set(CLIENT_AUTH_KEY, fresh);
    else c.unset(CLIENT_AUTH_KEY);
  }
}
