import type { App } from "../app.ts";
import { appCron } from "../cron/app-cron.ts";

/** Counts hits per key in fixed windows. */
export interface RateLimitCounter {
  /** Counts one hit for `key`; true while the hits in the key's current window are ≤ `max`. */
  hit(key: string, max: number, windowMs: number): boolean | Promise<boolean>;
  /** Drops expired windows. */
  sweep(): void;
  /** Forgets a key's window (e.g. a resend throttle after its mail failed). */
  reset?(key: string): void;
}

/** PocketBase's id of the hourly rate-limiter cleanup job (listed by `GET /api/crons`). */
export const RATE_LIMIT_CLEANUP_JOB = "__pbRateLimitersCleanup__";

/** PocketBase parity: the cleanup runs at minute 2 of every hour (off the busy :00). */
export const RATE_LIMIT_CLEANUP_CRON = "2 * * * *";

/** One key's current window. */
interface Window {
  start: number;
  windowMs: number;
  hits: number;
}

/**
 * The in-process counter: a Map of key → current window. A window starts at its first hit and
 * lasts `windowMs`; the next hit after that starts a new one. PocketBase parity: a refused hit is
 * not counted, so a raised `max` lets a client in at once with what it has left.
 * NB: memory is bounded: at `maxKeys` live keys the expired windows are swept, and if that frees
 * too little the oldest windows are dropped (their clients start afresh), so a flood of distinct
 * IPs costs at most `maxKeys` entries and an amortised O(1) per hit.
 * PocketBase measures its window from the last allowed hit in whole seconds; the limits are the
 * same, only the exact second a blocked client is let in again can differ.
 */
export class LocalRateLimitCounter implements RateLimitCounter {
  private readonly windows = new Map<string, Window>();

  constructor(
    private readonly maxKeys = 100_000,
    private readonly now: () => number = Date.now,
  ) {}

  /** The number of keys held (for tests and diagnostics). */
  get size(): number {
    return this.windows.size;
  }

  /** Counts a hit for `key` in its current window (starting a new one when it has ended). */
  hit(key: string, max: number, windowMs: number): boolean {
    const now = this.now();
    const w = this.windows.get(key);
    if (w && now - w.start < w.windowMs) {
      if (w.hits >= max) return false;
      w.hits++;
      return true;
    }
    if (w) this.windows.delete(key); // re-inserted below, so the Map stays ordered by window start
    else if (this.windows.size >= this.maxKeys) this.makeRoom(now);
    const allowed = max >= 1;
    this.windows.set(key, { start: now, windowMs, hits: allowed ? 1 : 0 });
    return allowed;
  }

  /** Drops the ended windows (the hourly cron job; `hit` also sweeps when the Map is full). */
  sweep(): void {
    this.dropExpired(this.now());
  }

  /** Forgets a key's window. */
  reset(key: string): void {
    this.windows.delete(key);
  }

  private dropExpired(now: number): void {
    for (const [k, w] of this.windows) if (now - w.start >= w.windowMs) this.windows.delete(k);
  }

  /** Sweeps; if still ≥ 90 % full, drops the oldest windows down to 90 %. */
  private makeRoom(now: number): void {
    this.dropExpired(now);
    const target = Math.floor(this.maxKeys * 0.9);
    if (this.windows.size < target) return;
    for (const k of this.windows.keys()) {
      if (this.windows.size < target) break;
      this.windows.delete(k);
    }
  }
}

/**
 * What a counter counts: `requests` for the rate-limit rules, `auth` for the always-on auth
 * throttles (OTP attempts, resent mails). NB: kept apart so that a flood of request keys (many
 * client IPs) can never evict the auth throttles' windows.
 */
export type CounterKind = "requests" | "auth";

const counters = new WeakMap<App, Map<CounterKind, RateLimitCounter>>();

/** The app a transaction-scoped app (`Object.create(app)`) was derived from. */
function rootApp(app: App): App {
  let a = app;
  while (a.isTransactional()) a = Object.getPrototypeOf(a) as App;
  return a;
}

/**
 * The app's counter of that kind: the one set with `setRateLimitCounter`, else an in-process
 * `LocalRateLimitCounter` created on first use. Transaction-scoped apps share their root's.
 * The first use also registers PocketBase's hourly cleanup cron job.
 */
export function rateLimitCounter(app: App, kind: CounterKind = "requests"): RateLimitCounter {
  const existing = counters.get(rootApp(app))?.get(kind);
  if (existing) return existing;
  const counter = new LocalRateLimitCounter();
  setRateLimitCounter(app, counter, kind);
  return counter;
}

/** Replaces the app's counter of that kind (e.g. with one shared by every `serve --workers` process). */
export function setRateLimitCounter(app: App, counter: RateLimitCounter, kind: CounterKind = "requests"): void {
  const root = rootApp(app);
  let byKind = counters.get(root);
  if (!byKind) counters.set(root, (byKind = new Map()));
  byKind.set(kind, counter);
  const cron = appCron(root);
  if (!cron.job(RATE_LIMIT_CLEANUP_JOB)) {
    cron.add(RATE_LIMIT_CLEANUP_JOB, RATE_LIMIT_CLEANUP_CRON, () => {
      for (const c of counters.get(root)?.values() ?? []) c.sweep();
    });
  }
}
