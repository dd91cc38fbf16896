import { basename } from "node:path";
import type { App } from "../core/app.ts";
import { isThenable } from "../core/hooks/hook.ts";
import { SYSTEM_MIGRATIONS } from "../core/migrations/system-migrations.ts";
import { jsApp } from "./app-view.ts";
import { withApp } from "./current-app.ts";
import { importFresh, listFiles } from "./file-import.ts";
import type { JsFunction } from "./handlers.ts";

/** A migration file: its `migrate(up, down)` functions. */
export interface JsMigration {
  /** The file's base name, the key in `_migrations`. */
  file: string;
  up: JsFunction;
  down: JsFunction | null;
}

/** PocketBase parity: `pb_migrations/*.js` (and `.ts`), top level only. */
export const MIGRATION_FILE = /^(?!.*\.d\.ts$).*\.(js|ts)$/;

let collecting: { file: string; found: JsMigration[] } | null = null;

/**
 * The `migrate(up, down?)` global. Satchel calls `up(app)` / `down(app)` with the transactional
 * app, like PocketBase v0.23+; the legacy `migrate((db) => { const dao = new Dao(db) … })` form
 * works too, because `Dao` accepts that app.
 */
export function migrate(up: unknown, down?: unknown): void {
  if (!collecting) throw new Error("migrate() can only be called at the top level of a pb_migrations file.");
  if (typeof up !== "function") throw new TypeError("migrate: the first argument must be the up function (app) => {...}.");
  collecting.found.push({ file: collecting.file, up: up as JsFunction, down: typeof down === "function" ? (down as JsFunction) : null });
}

/** Loads every migration file of `dir` in name order (files that call no `migrate` are skipped). */
export async function loadMigrations(dir: string): Promise<JsMigration[]> {
  const out: JsMigration[] = [];
  for (const path of listFiles(dir, MIGRATION_FILE)) {
    collecting = { file: basename(path), found: [] };
    try {
      await importFresh(path);
      // PocketBase parity: one migration per file (the last `migrate` call wins)
      const m = collecting.found[collecting.found.length - 1];
      if (m) out.push(m);
    } finally {
      collecting = null;
    }
  }
  return out;
}

let lastMicros = 0;

/** Unix microseconds, strictly increasing within the process (`_migrations.applied`). */
function nowMicros(): number {
  const t = Math.floor((performance.timeOrigin + performance.now()) * 1000);
  lastMicros = Math.max(t, lastMicros + 1);
  return lastMicros;
}

function appliedFiles(app: App): Set<string> {
  return new Set(app.db().all<{ file: string }>("SELECT file FROM _migrations").map((r) => r.file));
}

function runStep(app: App, m: JsMigration, fn: JsFunction | null, record: (tx: App) => void): void {
  app.runInTransaction((tx) => {
    if (fn) {
      const r = withApp(tx, () => fn(jsApp(tx)));
      if (isThenable(r)) {
        (r as Promise<unknown>).then(undefined, () => undefined);
        throw new Error(`${m.file}: a migration function returned a Promise; migrations run synchronously inside a transaction.`);
      }
    }
    record(tx);
  });
}

/**
 * Applies the pending migrations in file name order, each in its own transaction together with
 * its `_migrations` row. Stops at the first failure (that migration is rolled back) and throws
 * an error naming the file. Returns the applied file names.
 */
export function migrateUp(app: App, list: JsMigration[]): string[] {
  const done = appliedFiles(app);
  const applied: string[] = [];
  try {
    for (const m of [...list].sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : 0))) {
      if (done.has(m.file)) continue;
      try {
        runStep(app, m, m.up, (tx) => tx.db().run("INSERT INTO _migrations (file, applied) VALUES (?, ?)", [m.file, nowMicros()]));
      } catch (err) {
        throw new Error(`failed to apply migration ${m.file}: ${err instanceof Error ? err.message : String(err)}`, { cause: err });
      }
      applied.push(m.file);
    }
  } finally {
    // raw SQL in a migration may have changed collections behind the cache
    if (applied.length > 0) app.reloadCollections();
  }
  return applied;
}

/**
 * The last `n` applied migrations that still have a file (newest first: `applied` desc, then
 * file name desc); a negative `n` means all of them.
 */
export function lastApplied(app: App, list: JsMigration[], n: number): string[] {
  const known = new Set(list.map((m) => m.file));
  const rows = app.db().all<{ file: string }>("SELECT file FROM _migrations ORDER BY applied DESC, file DESC");
  const files = rows.map((r) => r.file).filter((f) => known.has(f));
  return n < 0 ? files : files.slice(0, n);
}

/** Reverts the last `n` applied migrations (their `down`, then the row is deleted). Returns the reverted files. */
export function migrateDown(app: App, list: JsMigration[], n: number): string[] {
  const byFile = new Map(list.map((m) => [m.file, m]));
  const reverted: string[] = [];
  try {
    for (const file of lastApplied(app, list, n)) {
      const m = byFile.get(file)!;
      try {
        runStep(app, m, m.down, (tx) => tx.db().run("DELETE FROM _migrations WHERE file = ?", [file]));
      } catch (err) {
        throw new Error(`failed to revert migration ${file}: ${err instanceof Error ? err.message : String(err)}`, { cause: err });
      }
      reverted.push(file);
    }
  } finally {
    if (reverted.length > 0) app.reloadCollections();
  }
  return reverted;
}

/**
 * Deletes the `_migrations` rows of files that no longer exist. NB: rows of Go migrations
 * (`*.go`, PocketBase's own) are always kept.
 */
export function historySync(app: App, list: JsMigration[]): number {
  const keep = new Set([...list.map((m) => m.file), ...SYSTEM_MIGRATIONS]);
  let removed = 0;
  for (const file of appliedFiles(app)) {
    if (keep.has(file) || file.endsWith(".go")) continue;
    removed += app.db().run("DELETE FROM _migrations WHERE file = ?", [file]);
  }
  return removed;
}
