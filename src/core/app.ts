import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { SqliteDatabase, type Bindable, type Row } from "../store/sqlite/database.ts";
import { AppHooks } from "./app-hooks.ts";
import { Collection, collectionFromRow, type CollectionRow } from "./collections/collection.ts";
import { Record } from "./records/record.ts";
import { ApiError } from "./api-error.ts";
import { isThenable } from "./hooks/hook.ts";
import { newEvent } from "./events.ts";
import { type Settings } from "./settings/settings-defaults.ts";
import { loadSettings, saveSettings } from "./settings/settings-store.ts";
import { runSystemMigrations } from "./migrations/system-migrations.ts";
import { saveCollection, deleteCollection } from "./collections/collection-save.ts";
import { saveRecord, type SaveOptions } from "./records/record-save.ts";
import { deleteRecord } from "./records/record-delete.ts";
import * as q from "./records/record-query.ts";
import { registerSystemHooks } from "./system-hooks.ts";
import { AsyncRWLock } from "../tools/async-rw-lock.ts";
import { countRecordsByFilter, findRecordsByFilter, type FilterParams } from "./records/record-filter-query.ts";
import type { ProcessCoordination } from "./coordination.ts";

/** Thrown by `runInOpenTransaction` when its time limit is reached. */
export class OpenTransactionTimeout extends Error {
  constructor() {
    super("batch transaction timeout");
  }
}

/** How an App is configured (the `serve` flags that concern the core). */
export interface AppConfig {
  /** The pb_data directory. */
  dataDir: string;
  /** `--dev`: print SQL statements and internal errors. */
  isDev?: boolean;
  /** The name of the environment variable holding the 32-char settings encryption key. */
  encryptionEnv?: string;
  /** SELECT timeout in seconds (`--queryTimeout`). */
  queryTimeout?: number;
}

interface TxState {
  afterCommit: (() => void)[];
  schemaChanged: boolean;
  /** Set when an open (batch) transaction ended; late writes through its app are refused. */
  closed?: boolean;
}

/**
 * The Satchel app: databases, settings, collections and the hook chains, with PocketBase's method
 * names. The data core is synchronous: `save`, `delete`, queries and `runInTransaction` never yield,
 * so one request's statements can never fall into another's transaction.
 */
export class App extends AppHooks {
  readonly config: Required<AppConfig>;
  private dataDb: SqliteDatabase | null = null;
  private auxiliaryDb: SqliteDatabase | null = null;
  private currentSettings: Settings | null = null;
  private byName = new Map<string, Collection>();
  private byId = new Map<string, Collection>();
  private txState: TxState | null = null;
  private bootstrapped = false;
  /** Per-process key/value store (PocketBase's `$app.store()`). */
  storeMap: Map<string, unknown> = new Map();
  /**
   * Every HTTP request holds this lock shared; the batch API takes it exclusively so that its
   * transaction, which spans awaits, never sees another request's statements.
   */
  readonly requestLock = new AsyncRWLock();
  /**
   * Set by `serve --workers=N`: write turns and cache invalidation shared with the other
   * processes of the cluster. Null in one process.
   */
  coordination: ProcessCoordination | null = null;

  constructor(config: AppConfig) {
    super();
    registerSystemHooks(this);
    this.config = {
      dataDir: config.dataDir,
      isDev: config.isDev ?? false,
      encryptionEnv: config.encryptionEnv ?? "",
      queryTimeout: config.queryTimeout ?? 30,
    };
  }

  /** Opens the databases, applies the system migrations, loads settings and collections. */
  bootstrap(): void {
    if (this.bootstrapped) return;
    mkdirSync(this.config.dataDir, { recursive: true });
    this.dataDb = new SqliteDatabase(join(this.config.dataDir, "data.db"));
    this.auxiliaryDb = new SqliteDatabase(join(this.config.dataDir, "auxiliary.db"));
    this.dataDb.logStatements = this.config.isDev && process.env.SATCHEL_LOG_SQL === "1";
    runSystemMigrations(this);
    this.reloadCollections();
    this.reloadSettings();
    this.bootstrapped = true;
    this.hooks.bootstrap.trigger(newEvent({ app: this }));
  }

  /** True once `bootstrap` has run. */
  isBootstrapped(): boolean {
    return this.bootstrapped;
  }

  /** The pb_data directory. */
  dataDir(): string {
    return this.config.dataDir;
  }

  /** True with `--dev`. */
  isDev(): boolean {
    return this.config.isDev;
  }

  /** The main database (`data.db`). */
  db(): SqliteDatabase {
    if (!this.dataDb) throw new Error("The app is not bootstrapped yet.");
    return this.dataDb;
  }

  /** The auxiliary database (`auxiliary.db`, request logs). */
  auxDb(): SqliteDatabase {
    if (!this.auxiliaryDb) throw new Error("The app is not bootstrapped yet.");
    return this.auxiliaryDb;
  }

  /** Closes the databases. */
  terminate(): void {
    this.hooks.terminate.trigger(newEvent({ app: this, isRestart: false }));
    this.dataDb?.close();
    this.auxiliaryDb?.close();
    this.dataDb = null;
    this.auxiliaryDb = null;
    this.bootstrapped = false;
  }

  // --- settings -------------------------------------------------------------------------------

  /** The current settings (secrets included; mask them before sending). */
  settings(): Settings {
    if (!this.currentSettings) throw new Error("The app is not bootstrapped yet.");
    return this.currentSettings;
  }

  /** Re-reads the settings from `_params`. */
  reloadSettings(): void {
    this.currentSettings = loadSettings(this);
    this.hooks.settingsReload.trigger(newEvent({ app: this }));
  }

  /** Validates and stores new settings (a full settings object). */
  saveSettings(next: Settings): void {
    saveSettings(this, next);
    this.currentSettings = next;
    this.coordination?.cachesChanged();
    this.hooks.settingsReload.trigger(newEvent({ app: this }));
  }

  // --- collections -----------------------------------------------------------------------------

  /** Re-reads every collection from `_collections` into the cache. */
  reloadCollections(): void {
    const rows = this.db().all<CollectionRow>("SELECT * FROM _collections ORDER BY created, rowid");
    this.byName.clear();
    this.byId.clear();
    for (const row of rows) {
      const c = collectionFromRow(row);
      this.byName.set(c.name.toLowerCase(), c);
      this.byId.set(c.id, c);
    }
  }

  /** Every collection, in creation order. */
  findAllCollections(...types: string[]): Collection[] {
    const all = [...this.byId.values()];
    return types.length ? all.filter((c) => types.includes(c.type)) : all;
  }

  /** The collection by id or (case-insensitive) name, or null. */
  findCachedCollectionByNameOrId(nameOrId: string): Collection | null {
    return this.byId.get(nameOrId) ?? this.byName.get(nameOrId.toLowerCase()) ?? null;
  }

  /** The collection by id or name; throws a 404 ApiError when there is none. */
  findCollectionByNameOrId(nameOrId: string): Collection {
    const c = this.findCachedCollectionByNameOrId(nameOrId);
    if (!c) throw new ApiError(404, "Missing collection context.");
    return c;
  }

  // --- records ---------------------------------------------------------------------------------

  /** A record by id; throws a 404 ApiError when missing. */
  findRecordById(collection: string | Collection, id: string): Record {
    const r = q.findRecordById(this, this.resolveCollection(collection), id);
    if (!r) throw new ApiError(404, "The requested resource wasn't found.");
    return r;
  }

  /** Records by ids (missing ids are skipped). */
  findRecordsByIds(collection: string | Collection, ids: string[]): Record[] {
    return q.findRecordsByIds(this, this.resolveCollection(collection), ids);
  }

  /** Every record of a collection. */
  findAllRecords(collection: string | Collection): Record[] {
    return q.findAllRecords(this, this.resolveCollection(collection));
  }

  /** The first record whose field equals the value; throws a 404 ApiError when none. */
  findFirstRecordByData(collection: string | Collection, key: string, value: unknown): Record {
    const r = q.findFirstRecordByData(this, this.resolveCollection(collection), key, value);
    if (!r) throw new ApiError(404, "The requested resource wasn't found.");
    return r;
  }

  /** An auth record by email (case-insensitive when the index says so); 404 when none. */
  findAuthRecordByEmail(collection: string | Collection, email: string): Record {
    const r = q.findAuthRecordByEmail(this, this.resolveCollection(collection), email);
    if (!r) throw new ApiError(404, "The requested resource wasn't found.");
    return r;
  }

  /**
   * Records matching a filter (no API rules apply; `{:name}` placeholders come from `params`).
   * `limit` 0 means no limit.
   */
  findRecordsByFilter(collection: string | Collection, filter: string, sort = "", limit = 0, offset = 0, params?: FilterParams): Record[] {
    return findRecordsByFilter(this, this.resolveCollection(collection), filter, sort, limit, offset, params);
  }

  /** The first record matching a filter; throws a 404 ApiError when none. */
  findFirstRecordByFilter(collection: string | Collection, filter: string, params?: FilterParams): Record {
    const r = findRecordsByFilter(this, this.resolveCollection(collection), filter, "", 1, 0, params)[0];
    if (!r) throw new ApiError(404, "The requested resource wasn't found.");
    return r;
  }

  /** How many records match the filter (all records without one). */
  countRecords(collection: string | Collection, filter = "", params?: FilterParams): number {
    return countRecordsByFilter(this, this.resolveCollection(collection), filter, params);
  }

  /** The number of rows of a collection's table. */
  countAllRecords(collection: string | Collection): number {
    return q.countAllRecords(this, this.resolveCollection(collection));
  }

  private resolveCollection(c: string | Collection): Collection {
    return typeof c === "string" ? this.findCollectionByNameOrId(c) : c;
  }

  // --- writes ----------------------------------------------------------------------------------

  /** Validates and saves a record or a collection (create or update), firing the model hooks. */
  save(model: Record | Collection): void {
    if (model instanceof Collection) saveCollection(this, model);
    else saveRecord(this, model, {});
  }

  /** Saves without running validation (hooks still fire). */
  saveNoValidate(model: Record | Collection): void {
    if (model instanceof Collection) saveCollection(this, model, { validate: false });
    else saveRecord(this, model, { validate: false });
  }

  /** Saves a record with explicit options (used by the API layer). */
  saveRecordWith(record: Record, opts: SaveOptions): void {
    saveRecord(this, record, opts);
  }

  /** Deletes a record (with relation cascades) or a collection (with its table). */
  delete(model: Record | Collection): void {
    if (model instanceof Collection) deleteCollection(this, model);
    else deleteRecord(this, model);
  }

  /** True when this app is the transaction-scoped app of a `runInTransaction` callback. */
  isTransactional(): boolean {
    return this.txState !== null;
  }

  /**
   * Runs `fn` in a database transaction and hands it a transaction-scoped app. Commits when `fn`
   * returns, rolls back when it throws. NB: `fn` must be synchronous: a callback that returns a
   * Promise is rolled back and refused, because awaiting inside a transaction would let other
   * requests' statements fall into it.
   */
  runInTransaction<T>(fn: (txApp: App) => T): T {
    if (this.txState) {
      if (this.txState.closed) throw new Error("The transaction of this app has already ended (e.g. a batch that timed out).");
      return this.checkSync(fn(this));
    }
    const state: TxState = { afterCommit: [], schemaChanged: false };
    const txApp = Object.create(this) as App;
    txApp.txState = state;
    let result: T;
    try {
      result = this.db().transaction(() => this.checkSync(fn(txApp)));
    } catch (err) {
      // the rolled-back schema must not linger in the collections cache
      if (state.schemaChanged) this.reloadCollections();
      throw err;
    }
    if (state.schemaChanged) this.coordination?.cachesChanged();
    for (const cb of state.afterCommit) {
      try {
        cb();
      } catch (err) {
        console.error("after-commit hook failed:", err);
      }
    }
    return result;
  }

  private checkSync<T>(result: T): T {
    if (isThenable(result)) {
      // the Promise may still reject later: swallow that, the transaction is already refused
      (result as unknown as Promise<unknown>).then(undefined, () => undefined);
      throw new Error("runInTransaction: the callback returned a Promise. Transactions run synchronously; do the async work before or after the transaction.");
    }
    return result;
  }

  /**
   * Runs an async callback in one open transaction (the batch API). NB: the caller must hold
   * `requestLock` exclusively: the transaction stays open across awaits, so no other request may
   * run meanwhile. On timeout the transaction is rolled back and the callback's app refuses any
   * later write.
   */
  async runInOpenTransaction<T>(fn: (txApp: App) => Promise<T>, timeoutMs: number): Promise<T> {
    const state: TxState = { afterCommit: [], schemaChanged: false };
    const txApp = Object.create(this) as App;
    txApp.txState = state;
    const db = this.db();
    db.beginOpen();
    let timer: ReturnType<typeof setTimeout> | undefined;
    try {
      const work = fn(txApp);
      // after a timeout the callback may still fail later (its writes are refused): not unhandled
      work.catch(() => undefined);
      const result = await Promise.race([
        work,
        new Promise<never>((_, reject) => {
          timer = setTimeout(() => reject(new OpenTransactionTimeout()), timeoutMs);
        }),
      ]);
      state.closed = true;
      db.commitOpen();
      if (state.schemaChanged) this.coordination?.cachesChanged();
      for (const cb of state.afterCommit) {
        try {
          cb();
        } catch (err) {
          console.error("after-commit hook failed:", err);
        }
      }
      return result;
    } catch (err) {
      state.closed = true;
      db.rollbackOpen();
      if (state.schemaChanged) this.reloadCollections();
      throw err;
    } finally {
      if (timer) clearTimeout(timer);
    }
  }

  /** Marks the current transaction as one that changed collections (the cache reloads on rollback). */
  noteSchemaChange(): void {
    if (this.txState) this.txState.schemaChanged = true;
  }

  /** Runs `cb` after the current transaction commits (at once when there is none). */
  afterCommit(cb: () => void): void {
    if (this.txState) this.txState.afterCommit.push(cb);
    else cb();
  }

  /** Runs raw SQL that returns rows (server-side code and migrations). */
  query<T = Row>(sql: string, params: Bindable[] = []): T[] {
    return this.db().all<T>(sql, params);
  }

  /** Per-process key/value store. */
  store(): Map<string, unknown> {
    return this.storeMap;
  }
}
