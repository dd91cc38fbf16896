import type { Record } from "../records/record.ts";
import type { RequestEvent } from "../request-event.ts";
import { randomString } from "../../tools/security.ts";
import { parseSubscription, type Subscription } from "./subscription.ts";
import { assembleFrame, encodeFramePrefix, encodePayload, type Payload } from "./sse-frame.ts";

/** PocketBase's default idle timeout of a realtime connection: 5 minutes without a message. */
export const DEFAULT_IDLE_TIMEOUT_MS = 5 * 60 * 1000;
/** PocketBase's absolute lifetime of a realtime connection: 30 minutes. */
export const DEFAULT_MAX_TIMEOUT_MS = 30 * 60 * 1000;
/** The client store key of the auth record that set the subscriptions (PocketBase's name). */
export const CLIENT_AUTH_KEY = "auth";

/** Where a client's frames go (the HTTP layer's SSE stream; a test buffer; a WebSocket later). */
export interface ClientSink {
  /** Writes one frame. */
  write(frame: Uint8Array): void;
  /** Ends the stream (idempotent). */
  close(): void;
}

/** A realtime message: the SSE event name and its data. */
export interface RealtimeMessage {
  name: string;
  data: string;
}

/** A subscription together with its client (what the broker's topic index holds). */
export interface SubscriptionEntry {
  readonly client: RealtimeClient;
  readonly sub: Subscription;
}

/** What a client reports to its broker. */
export interface ClientOwner {
  /** A subscription was added. */
  indexAdd(entry: SubscriptionEntry): void;
  /** A subscription was removed. */
  indexRemove(entry: SubscriptionEntry): void;
  /** The client was discarded. */
  forget(client: RealtimeClient): void;
  /** Sends a message through `onRealtimeMessageSend`. */
  dispatch(client: RealtimeClient, message: RealtimeMessage): void;
}

/**
 * One realtime connection (PocketBase's `subscriptions.Client`): a 40-character id, the
 * subscriptions, a small key/value store (the `auth` key holds the auth state) and the sink its
 * frames are written to. Method names follow PocketBase's JS API (`id()`, `subscribe()`, …).
 */
export class RealtimeClient {
  private readonly clientId: string;
  private readonly subs = new Map<string, SubscriptionEntry>();
  private readonly store = new Map<string, unknown>();
  private discarded = false;
  private idleTimer: ReturnType<typeof setTimeout> | null = null;
  private maxTimer: ReturnType<typeof setTimeout> | null = null;
  private resolveClosed: () => void = () => {};
  private cachedAuthKey: string | null = null;
  /** The broker the client is registered with. */
  owner: ClientOwner | null = null;
  /** The connect request (`onRealtimeMessageSend` events are built on it), null for in-process clients. */
  requestEvent: RequestEvent | null = null;
  /** The IP the client connected from (a subscribe request must come from the same IP). */
  remoteIP = "";
  /** When the last frame was written (ms, performance clock). */
  lastWrite = performance.now();
  /** Resolves once the client is discarded (disconnect, timeout or shutdown). */
  readonly closed: Promise<void>;

  constructor(
    private sink: ClientSink | null = null,
    id: string = randomString(40),
  ) {
    this.clientId = id;
    this.closed = new Promise<void>((r) => {
      this.resolveClosed = r;
    });
  }

  /** The client id (40 random alphanumeric characters). */
  id(): string {
    return this.clientId;
  }

  /** Attaches the sink (once the stream exists). */
  setSink(sink: ClientSink): void {
    this.sink = sink;
  }

  /** The subscription strings, optionally only those whose topic starts with one of `prefixes`. */
  subscriptions(...prefixes: string[]): string[] {
    const all = [...this.subs.keys()];
    return prefixes.length === 0 ? all : all.filter((s) => prefixes.some((p) => (s + "?").startsWith(p)));
  }

  /** The parsed subscriptions. */
  subscriptionEntries(): SubscriptionEntry[] {
    return [...this.subs.values()];
  }

  /** True when the client holds exactly this subscription string. */
  hasSubscription(sub: string): boolean {
    return this.subs.has(sub);
  }

  /** Adds subscriptions (empty strings are skipped; an existing one is replaced). */
  subscribe(...subs: string[]): void {
    for (const raw of subs) {
      if (raw === "") continue;
      this.unsubscribe(raw);
      const entry: SubscriptionEntry = { client: this, sub: parseSubscription(raw) };
      this.subs.set(raw, entry);
      if (!this.discarded) this.owner?.indexAdd(entry);
    }
  }

  /** Removes the given subscriptions, or all of them when none is given. */
  unsubscribe(...subs: string[]): void {
    const list = subs.length === 0 ? [...this.subs.keys()] : subs;
    for (const raw of list) {
      const entry = this.subs.get(raw);
      if (!entry) continue;
      this.subs.delete(raw);
      this.owner?.indexRemove(entry);
    }
  }

  /** A value of the client store. */
  get(key: string): unknown {
    return this.store.get(key);
  }
  /** Sets a value of the client store. */
  set(key: string, value: unknown): void {
    this.store.set(key, value);
    if (key === CLIENT_AUTH_KEY) this.cachedAuthKey = null;
  }
  /** Removes a value of the client store. */
  unset(key: string): void {
    this.store.delete(key);
    if (key === CLIENT_AUTH_KEY) this.cachedAuthKey = null;
  }

  /** The auth record that set the subscriptions, null for guests. */
  auth(): Record | null {
    return (this.store.get(CLIENT_AUTH_KEY) as Record | null | undefined) ?? null;
  }

  /** `collectionId/recordId` of the auth record, `""` for guests (clients are grouped by it). */
  authKey(): string {
    if (this.cachedAuthKey === null) {
      const a = this.auth();
      this.cachedAuthKey = a ? `${a.collection().id}/${a.id}` : "";
    }
    return this.cachedAuthKey;
  }

  /** Sends a message (through the `onRealtimeMessageSend` hooks). */
  send(message: RealtimeMessage): void {
    if (this.discarded) return;
    if (this.owner) this.owner.dispatch(this, message);
    else this.writeMessage(message.name, message.data);
  }

  /** Writes a frame for `name` with `data`, bypassing the hooks. */
  writeMessage(name: string, data: string | Payload): void {
    if (this.discarded || !this.sink) return;
    const payload = typeof data === "string" ? encodePayload(data) : data;
    const entry = this.subs.get(name);
    if (entry) this.writePayload(entry, payload);
    else this.writeFrame(assembleFrame(encodeFramePrefix(this.clientId, name), payload));
  }

  /** Writes a prepared payload under one of the client's subscriptions, bypassing the hooks. */
  writePayload(entry: SubscriptionEntry, payload: Payload): void {
    if (this.discarded || !this.sink) return;
    const sub = entry.sub;
    sub.framePrefix ??= encodeFramePrefix(this.clientId, sub.raw);
    this.writeFrame(assembleFrame(sub.framePrefix, payload));
  }

  private writeFrame(frame: Uint8Array): void {
    try {
      this.sink!.write(frame);
      this.lastWrite = performance.now();
    } catch {
      // the stream is gone (closed by the peer): the disconnect handler cleans up
      this.discard();
    }
  }

  /**
   * Starts PocketBase's timers: the connection ends after `idleMs` without a written frame and
   * in any case after `maxMs`. NB: one timer per client, re-armed only when it fires, so a
   * broadcast costs no timer work.
   */
  startTimers(idleMs: number, maxMs: number): void {
    this.stopTimers();
    if (this.discarded) return;
    if (idleMs > 0) {
      const check = () => {
        const idleFor = performance.now() - this.lastWrite;
        if (idleFor >= idleMs) this.discard();
        else this.idleTimer = unref(setTimeout(check, idleMs - idleFor + 1));
      };
      this.idleTimer = unref(setTimeout(check, idleMs));
    }
    if (maxMs > 0) this.maxTimer = unref(setTimeout(() => this.discard(), maxMs));
  }

  private stopTimers(): void {
    if (this.idleTimer) clearTimeout(this.idleTimer);
    if (this.maxTimer) clearTimeout(this.maxTimer);
    this.idleTimer = this.maxTimer = null;
  }

  /** True once the client was discarded. */
  isDiscarded(): boolean {
    return this.discarded;
  }

  /** Ends the client: timers stopped, subscriptions dropped, stream closed, broker told. */
  discard(): void {
    if (this.discarded) return;
    this.discarded = true;
    this.stopTimers();
    for (const entry of this.subs.values()) this.owner?.indexRemove(entry);
    this.owner?.forget(this);
    try {
      this.sink?.close();
    } catch {
      // already closed
    }
    this.resolveClosed();
  }
}

function unref<T>(t: T): T {
  (t as { unref?: () => void }).unref?.();
  return t;
}
