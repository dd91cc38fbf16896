import { Database, type Statement } from "bun:sqlite";
import { PRAGMAS } from "./pragmas.ts";

/**
 * How many prepared statements a connection keeps. NB: bun:sqlite's own `query()` cache holds
 * only 20; Satchel builds many more SQL texts (per collection, per page, per rule), and once
 * they rotated statements were prepared again: paging through a list cost 12 % more
 * (bench/RESULTS.md).
 */
export const STATEMENT_CACHE_SIZE = 500;

/** A value bun:sqlite binds. */
export type Bindable = string | number | bigint | boolean | null | Uint8Array;

/** One row as read from SQLite. */
export type Row = { [column: string]: unknown };

/**
 * A synchronous SQLite database: one connection, prepared statements cached by SQL text (up to
 * `STATEMENT_CACHE_SIZE`, oldest finalized first), and nested transactions through savepoints.
 * Every call runs start to finish without yielding, so no other request's statements can
 * interleave with a transaction.
 */
export class SqliteDatabase {
  /** The underlying bun:sqlite handle. */
  readonly raw: Database;
  /** The file path (":memory:" for in-memory databases). */
  readonly path: string;
  private txDepth = 0;
  private statements = new Map<string, Statement>();
  /** When set, every statement is printed (`serve --dev`). */
  logStatements = false;

  constructor(path: string, opts: { readonly?: boolean } = {}) {
    this.path = path;
    this.raw = opts.readonly ? new Database(path, { readonly: true }) : new Database(path, { create: true });
    for (const p of PRAGMAS) this.raw.run(p);
  }

  /** The prepared statement for `sql`, from the cache (prepared and cached on first use). */
  statement(sql: string): Statement {
    let stmt = this.statements.get(sql);
    if (stmt === undefined) {
      stmt = this.raw.prepare(sql);
      if (this.statements.size >= STATEMENT_CACHE_SIZE) {
        const [oldestSql, oldest] = this.statements.entries().next().value!;
        this.statements.delete(oldestSql);
        oldest.finalize();
      }
      this.statements.set(sql, stmt);
    }
    return stmt;
  }

  /** All rows of a SELECT. */
  all<T = Row>(sql: string, params: readonly Bindable[] = []): T[] {
    if (this.logStatements) console.log("[sql]", sql, params);
    return this.statement(sql).all(...(params as Bindable[])) as T[];
  }

  /** The first row of a SELECT, or null. */
  get<T = Row>(sql: string, params: readonly Bindable[] = []): T | null {
    if (this.logStatements) console.log("[sql]", sql, params);
    return (this.statement(sql).get(...(params as Bindable[])) as T | undefined) ?? null;
  }

  /** All rows of a SELECT as arrays of column values (e.g. a COUNT's single value). */
  values(sql: string, params: readonly Bindable[] = []): unknown[][] {
    if (this.logStatements) console.log("[sql]", sql, params);
    return this.statement(sql).values(...(params as Bindable[])) as unknown[][];
  }

  /** Runs a statement; returns the number of changed rows. */
  run(sql: string, params: readonly Bindable[] = []): number {
    if (this.logStatements) console.log("[sql]", sql, params);
    return this.statement(sql).run(...(params as Bindable[])).changes;
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
    // NB: through `run` (the statement cache): preparing BEGIN/COMMIT anew for every
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

  /**
   * Opens a transaction that stays open across awaits (the batch API only). NB: the caller must
   * hold the app's exclusive request lock, or other requests' statements would fall into it.
   */
  beginOpen(): void {
    if (this.txDepth !== 0) throw new Error("beginOpen: a transaction is already open.");
    this.run("BEGIN IMMEDIATE");
    this.txDepth = 1;
  }

  /** Commits the transaction opened with `beginOpen`. */
  commitOpen(): void {
    this.run("COMMIT");
    this.txDepth = 0;
  }

  /** Rolls back the transaction opened with `beginOpen`. */
  rollbackOpen(): void {
    this.txDepth = 0;
    try {
      this.exec("ROLLBACK");
    } catch {
      // already rolled back by SQLite
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
    for (const stmt of this.statements.values()) stmt.finalize();
    this.statements.clear();
    this.raw.close();
  }
}

/** Quotes an identifier for SQLite (`name` → "name" with inner quotes doubled). */
export function quoteIdent(name: string): string {
  return '"' + name.replace(/"/g, '""') + '"';
}
