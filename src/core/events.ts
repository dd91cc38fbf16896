import type { HookEvent } from "./hooks/hook.ts";
import type { App } from "./app.ts";
import type { Record } from "./records/record.ts";
import type { Collection } from "./collections/collection.ts";

/** A model hook event for records (`onRecordCreate`, `onRecordValidate`, …). */
export interface RecordEvent extends HookEvent {
  /** The app; inside a transaction, the transaction-scoped app. */
  app: App;
  record: Record;
  /** Set on the `…Error` hooks. */
  error?: unknown;
}

/** A model hook event for collections. */
export interface CollectionEvent extends HookEvent {
  app: App;
  collection: Collection;
  error?: unknown;
}

/** `onRecordEnrich`: runs before a record is sent to a client. */
export interface RecordEnrichEvent extends HookEvent {
  app: App;
  record: Record;
  /** The requester's auth record, null for guests. */
  auth: Record | null;
}

/** App lifecycle events (`onBootstrap`, `onTerminate`). */
export interface AppEvent extends HookEvent {
  app: App;
  /** `onTerminate`: true when the app is being restarted. */
  isRestart?: boolean;
}

/** `onSettingsReload`. */
export interface SettingsReloadEvent extends HookEvent {
  app: App;
}

/** Creates a plain event object with a no-op `next` (the hook chain replaces it). */
export function newEvent<T extends HookEvent>(fields: Omit<T, "next">): T {
  return Object.assign({ next: () => undefined }, fields) as T;
}
