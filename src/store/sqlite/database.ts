import { Database } from "bun:sqlite";
import { PRAGMAS } from "./pragmas.ts";

/** A value bun:sqlite binds. */
export type Bindable = string | number | bigint | boolean | null | Uint8Array;

/** One row as read from SQLite. */
export type Row = { [column: string]: unknown };

/**
 * A synchronous SQLite database: one connection, prepared statements cached by SQL text
 * (bun:sqlite's `query` cache), and nested transactions through savepoints. Every call runs start
 * to finish without yielding, so no other request's statements can interleave with a transaction.
 */
export class SqliteDatabase {
  /** The underlying bun:sqlite handle. */
  readonly raw: Database;
  /** The file path (":memory:" for in-memory databases). */
  readonly path: string;
  private txDepth = 0;
  /** When set, every statement is printed (`serve --dev`). */
  logStatements = false;

  constructor(path: string, opts: { readonly?: boolean } = {}) {
    this.path = path;
    this.raw = opts.readonly ? new Database(path, { readonly: true }) : new Database(path, { create: true });
    for (const p of PRAGMAS) this.raw.run(p);
  }

  /** All rows of a SELECT. */
  all<T = Row>(sql: string, params: readonly Bindable[] = []): T[] {
    if (this.logStatements) console.log("[sql]", sql, params);
    return this.raw.query(sql).all(...(params as Bindable[])) as T[];
  }

  /** The first row of a SELECT, or null. */
  get<T = Row>(sql: string, params: readonly Bindable[] = []): T | null {
    if (this.logStatements) console.log("[sql]", sql, params);
    return (this.raw.query(sql).get(...(params as Bindable[])) as T | undefined) ?? null;
  }

  /** Runs a statement; returns the number of changed rows. */
  run(sql: string, params: readonly Bindable[] = []): number {
    if (this.logStatements) console.log("[sql]", sql, params);
    return this.raw.query(sql).run(...(params as Bindable[])).changes;
  }

  /** Runs one or more statements without parameters or caching (DDL). */
  exec(sql: string): void {
    if (this.logStatements) console.log("[sql]", sql);
    this.raw.run(sql);
  }

  /** True while a transaction is open. */
  get inTransaction(): boolean {
    return this.txDepth > 0;
  }

  /**
   * Runs `fn` inside a transaction (a savepoint when one is already open). Commits when it
   * returns, rolls back when it throws. `fn` must be synchronous.
   */
  transaction<T>(fn: () => T): T {
    const depth = this.txDepth;
    const sp = `sp_${depth}`;
    // NB: through `run` (bun:sqlite's statement cache): preparing BEGIN/COMMIT anew for every
    // transaction cost 2–14 µs of a ~150 µs record create (bench/RESULTS.md)
    this.run(depth === 0 ? "BEGIN IMMEDIATE" : `SAVEPOINT ${sp}`);
    this.txDepth++;
    try {
      const result = fn();
      this.txDepth--;
      this.run(depth === 0 ? "COMMIT" : `RELEASE ${sp}`);
      return result;
    } catch (err) {
      this.txDepth--;
      try {
        this.exec(depth === 0 ? "ROLLBACK" : `ROLLBACK TO ${sp}; RELEASE ${sp}`);
      } catch {
        // the connection already rolled back (e.g. after SQLITE_FULL); nothing left to undo
      }
      throw err;
    }
  }

  /** True when a table or view with that name exists (case-insensitive). */
  hasTable(name: string): boolean {
    return this.get("SELECT 1 FROM sqlite_master WHERE type IN ('table','view') AND name = ? COLLATE NOCASE", [name]) !== null;
  }

  /** Closes the connection after a WAL checkpoint. */
  close(): void {
    try {
      this.raw.run("PRAGMA wal_checkpoint(TRUNCATE)");
    } catch {
      // a read-only or busy database keeps its WAL; closing is still safe
    }
    this.raw.close();
  }
}

/** Quotes an identifier for SQLite (`name` → "name" with inner quotes doubled). */
export function quoteIdent(name: string): string {
  return '"' + name.replace(/"/g, '""') + '"';
}
