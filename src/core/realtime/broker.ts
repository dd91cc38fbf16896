import type { App } from "../app.ts";
import { Record, kindOf } from "../records/record.ts";
import { RequestEvent } from "../request-event.ts";
import { findRecordById } from "../records/record-query.ts";
import { randomString } from "../../tools/security.ts";
import type { BusEvent, RealtimeBus } from "./bus.ts";
import type { RealtimeMessageEvent } from "./realtime-events.ts";
import { RealtimeClient, type ClientOwner, type RealtimeMessage, type SubscriptionEntry } from "./realtime-client.ts";
import { planRecordDelivery, type PreparedDelivery, type RecordAction } from "./record-delivery.ts";
import { encodePayload, type Payload } from "./sse-frame.ts";

/**
 * The realtime broker of an app (PocketBase's `SubscriptionsBroker` plus its delivery logic):
 * the connected clients, an index of their subscriptions by topic, rule-checked delivery of
 * record changes and custom messages. It knows nothing of HTTP: a client writes to a
 * `ClientSink` that the transport provides.
 */
export class RealtimeBroker implements ClientOwner {
  private readonly byId = new Map<string, RealtimeClient>();
  private readonly index = new Map<string, Set<SubscriptionEntry>>();
  private readonly queues = new WeakMap<RealtimeClient, Promise<void>>();
  private readonly unsubscribeBus: (() => void) | null = null;
  /** Identifies this broker on the bus. */
  readonly origin = randomString(12);
  /**
   * Ends every client id this broker hands out (`serve --workers=N`: the worker's slot, so that
   * any worker can tell which one holds a client's stream). Empty in one process.
   */
  clientIdSuffix = "";

  constructor(
    readonly app: App,
    private readonly bus: RealtimeBus | null = null,
  ) {
    if (bus) this.unsubscribeBus = bus.subscribe((ev) => this.onBusEvent(ev));
  }

  // --- clients ---------------------------------------------------------------------------------

  /** A new client id: 40 characters, the last ones being `clientIdSuffix`. */
  newClientId(): string {
    return randomString(40 - this.clientIdSuffix.length) + this.clientIdSuffix;
  }

  /** Registers a client (its current subscriptions are indexed). */
  register(client: RealtimeClient): void {
    if (client.isDiscarded()) return;
    client.owner = this;
    this.byId.set(client.id(), client);
    for (const entry of client.subscriptionEntries()) this.indexAdd(entry);
  }

  /** Discards and forgets a client. */
  unregister(clientId: string): void {
    this.byId.get(clientId)?.discard();
  }

  /** The client with that id, or null. */
  clientById(clientId: string): RealtimeClient | null {
    return this.byId.get(clientId) ?? null;
  }

  /** Every connected client. */
  clients(): RealtimeClient[] {
    return [...this.byId.values()];
  }

  /** The number of connected clients. */
  totalClients(): number {
    return this.byId.size;
  }

  /** The subscriptions held under a topic (the part of a subscription before `?`). */
  subscribersOf(topic: string): SubscriptionEntry[] {
    return [...(this.index.get(topic) ?? [])];
  }

  /** Ends every connection (server shutdown). */
  closeAll(): void {
    for (const c of [...this.byId.values()]) c.discard();
  }

  /** Stops listening on the bus and ends every connection. */
  shutdown(): void {
    this.unsubscribeBus?.();
    this.closeAll();
  }

  /** @internal ClientOwner: a subscription was added. */
  indexAdd(entry: SubscriptionEntry): void {
    let set = this.index.get(entry.sub.topic);
    if (!set) this.index.set(entry.sub.topic, (set = new Set()));
    set.add(entry);
  }

  /** @internal ClientOwner: a subscription was removed. */
  indexRemove(entry: SubscriptionEntry): void {
    const set = this.index.get(entry.sub.topic);
    if (!set) return;
    set.delete(entry);
    if (set.size === 0) this.index.delete(entry.sub.topic);
  }

  /** @internal ClientOwner: the client was discarded. */
  forget(client: RealtimeClient): void {
    if (this.byId.get(client.id()) === client) this.byId.delete(client.id());
  }

  // --- messages --------------------------------------------------------------------------------

  /**
   * Sends a message to a client through `onRealtimeMessageSend` (handlers run in order per
   * client; without handlers the frame is written at once). A handler error ends the
   * connection, as in PocketBase. Resolves once the message was written or dropped.
   */
  dispatch(client: RealtimeClient, message: RealtimeMessage, payload?: Payload): Promise<void> {
    const hook = this.app.hooks.realtimeMessageSend;
    if (hook.length === 0) {
      client.writeMessage(message.name, payload && payload.text === message.data ? payload : message.data);
      return Promise.resolve();
    }
    const run = async () => {
      if (client.isDiscarded()) return;
      const base = client.requestEvent ?? new RequestEvent(this.app, new Request("http://127.0.0.1/api/realtime"));
      const ev = Object.assign(Object.create(base) as RequestEvent, { client, message }) as RealtimeMessageEvent;
      await hook.triggerAsync(ev, (e) => {
        e.client.writeMessage(e.message.name, payload && payload.text === e.message.data ? payload : e.message.data);
      });
    };
    const next = (this.queues.get(client) ?? Promise.resolve()).then(run).catch((err) => {
      console.error("[satchel] onRealtimeMessageSend failed; closing the realtime client:", err);
      client.discard();
    });
    this.queues.set(client, next);
    return next;
  }

  /** Writes prepared deliveries (one frame per subscription). */
  sendPlan(plan: readonly PreparedDelivery[]): void {
    const hooked = this.app.hooks.realtimeMessageSend.length > 0;
    for (const { payload, targets } of plan) {
      for (const entry of targets) {
        if (hooked) void this.dispatch(entry.client, { name: entry.sub.raw, data: payload.text }, payload);
        else entry.client.writePayload(entry, payload);
      }
    }
  }

  /**
   * Sends `data` to one client under its subscription `topic` (e.g. `@oauth2`), with the
   * subscription string as event name. Returns false when the client is unknown or does not
   * hold that exact subscription.
   */
  sendToClient(clientId: string, topic: string, data: string | object): boolean {
    const client = this.byId.get(clientId);
    if (!client || client.isDiscarded() || !client.hasSubscription(topic)) return false;
    void this.dispatch(client, { name: topic, data: typeof data === "string" ? data : JSON.stringify(data) });
    return true;
  }

  /**
   * Sends `data` to every client subscribed to `topic` (each under its own subscription string),
   * here and, through the bus, in other processes. Returns the number of local messages.
   */
  broadcast(topic: string, data: string | object): number {
    const text = typeof data === "string" ? data : JSON.stringify(data);
    this.bus?.publish({ kind: "topic", topic, data: text, origin: this.origin });
    return this.broadcastLocal(topic, text);
  }

  private broadcastLocal(topic: string, text: string): number {
    const entries = this.subscribersOf(topic);
    if (entries.length === 0) return 0;
    this.sendPlan([{ payload: encodePayload(text), targets: entries }]);
    return entries.length;
  }

  // --- record changes --------------------------------------------------------------------------

  /** Who gets a change of this (stored) record, with the prepared payloads. */
  plan(action: RecordAction, record: Record): PreparedDelivery[] {
    if (this.index.size === 0) return [];
    return planRecordDelivery(this.app, action, record, (t) => this.index.get(t));
  }

  /** Delivers a committed create/update of this process and publishes it on the bus. */
  recordSaved(action: "create" | "update", record: Record): void {
    this.sendPlan(this.plan(action, record));
    this.bus?.publish({ kind: "record", action, collectionId: record.collection().id, recordId: record.id, origin: this.origin });
  }

  /** Delivers a committed delete of this process (planned before the row went) and publishes it. */
  recordDeleted(record: Record, plan: readonly PreparedDelivery[]): void {
    this.sendPlan(plan);
    if (this.bus) {
      const row: { [k: string]: unknown } = {};
      for (const f of record.collection().fields) row[f.name] = kindOf(f).toDb(f, record.getRaw(f.name));
      this.bus.publish({ kind: "record", action: "delete", collectionId: record.collection().id, recordId: record.id, row, origin: this.origin });
    }
  }

  private onBusEvent(ev: BusEvent): void {
    if (ev.origin === this.origin) return;
    if (ev.kind === "topic") {
      this.broadcastLocal(ev.topic, ev.data);
      return;
    }
    if (this.index.size === 0) return;
    const c = this.app.findCachedCollectionByNameOrId(ev.collectionId);
    if (!c) return;
    if (ev.action === "delete") {
      if (!ev.row) return;
      const record = Record.fromRow(c, ev.row);
      this.sendPlan(planRecordDelivery(this.app, "delete", record, (t) => this.index.get(t), false));
      return;
    }
    const record = findRecordById(this.app, c, ev.recordId);
    if (record) this.sendPlan(this.plan(ev.action, record));
  }
}
