import { afterAll, describe, expect, test } from "bun:test";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { App } from "../app.ts";
import { appCron } from "../cron/app-cron.ts";
import { LocalRateLimitCounter, RATE_LIMIT_CLEANUP_CRON, RATE_LIMIT_CLEANUP_JOB, rateLimitCounter, setRateLimitCounter, type RateLimitCounter } from "./rate-limit-counter.ts";

function clock(start = 1_000_000): { now: () => number; advance: (ms: number) => void } {
  let t = start;
  return { now: () => t, advance: (ms) => void (t += ms) };
}

describe("LocalRateLimitCounter", () => {
  test("allows max hits per window, then refuses until the window ends", () => {
    const c = clock();
    const counter = new LocalRateLimitCounter(100, c.now);
    expect([1, 2, 3, 4].map(() => counter.hit("k", 2, 1000))).toEqual([true, true, false, false]);
    c.advance(999);
    expect(counter.hit("k", 2, 1000)).toBe(false);
    c.advance(1);
    expect([1, 2, 3].map(() => counter.hit("k", 2, 1000))).toEqual([true, true, false]);
  });

  test("keys count separately; a new max takes effect at once", () => {
    const c = clock();
    const counter = new LocalRateLimitCounter(100, c.now);
    expect(counter.hit("a", 1, 1000)).toBe(true);
    expect(counter.hit("a", 1, 1000)).toBe(false);
    expect(counter.hit("b", 1, 1000)).toBe(true);
    expect(counter.hit("a", 5, 1000)).toBe(true);
  });

  test("refused hits are not counted: a raised max lets in what is left of it", () => {
    const counter = new LocalRateLimitCounter(100, clock().now);
    expect([1, 2, 3, 4].map(() => counter.hit("k", 1, 1000))).toEqual([true, false, false, false]);
    expect([1, 2, 3].map(() => counter.hit("k", 3, 1000))).toEqual([true, true, false]);
  });

  test("sweep drops expired windows only", () => {
    const c = clock();
    const counter = new LocalRateLimitCounter(100, c.now);
    counter.hit("short", 1, 1000);
    counter.hit("long", 1, 60_000);
    c.advance(1000);
    counter.sweep();
    expect(counter.size).toBe(1);
    expect(counter.hit("long", 1, 60_000)).toBe(false);
  });

  test("memory is bounded: a flood of keys keeps at most maxKeys windows", () => {
    const c = clock();
    const counter = new LocalRateLimitCounter(1000, c.now);
    for (let i = 0; i < 10_000; i++) counter.hit(`ip${i}`, 1, 60_000);
    expect(counter.size).toBeLessThanOrEqual(1000);
    // the newest windows are kept
    expect(counter.hit("ip9999", 1, 60_000)).toBe(false);
    // expired windows go first
    c.advance(60_000);
    for (let i = 0; i < 500; i++) counter.hit(`new${i}`, 1, 60_000);
    counter.hit("x", 1, 60_000);
    expect(counter.size).toBeLessThanOrEqual(1000);
  });
});

describe("rateLimitCounter(app)", () => {
  const dir = mkdtempSync(join(tmpdir(), "satchel-rl-"));
  const app = new App({ dataDir: dir });
  app.bootstrap();
  afterAll(() => {
    app.terminate();
    rmSync(dir, { recursive: true, force: true });
  });

  test("one counter per app, shared by its transaction-scoped apps; the cleanup cron job is registered", () => {
    expect(appCron(app).job(RATE_LIMIT_CLEANUP_JOB)).toBeNull();
    const counter = rateLimitCounter(app);
    expect(counter).toBeInstanceOf(LocalRateLimitCounter);
    expect(rateLimitCounter(app)).toBe(counter);
    app.runInTransaction((tx) => {
      expect(rateLimitCounter(tx)).toBe(counter);
    });
    expect(appCron(app).job(RATE_LIMIT_CLEANUP_JOB)?.expression()).toBe(RATE_LIMIT_CLEANUP_CRON);
  });

  test("setRateLimitCounter replaces it (also from a transaction-scoped app); the cron job sweeps the current one", async () => {
    let swept = 0;
    const custom: RateLimitCounter = { hit: async () => true, sweep: () => void swept++ };
    app.runInTransaction((tx) => setRateLimitCounter(tx, custom));
    expect(rateLimitCounter(app)).toBe(custom);
    await appCron(app).job(RATE_LIMIT_CLEANUP_JOB)!.func();
    expect(swept).toBe(1);
  });

  test("the auth throttles count apart: a flood of request keys cannot evict their windows", async () => {
    const requests = new LocalRateLimitCounter(100);
    setRateLimitCounter(app, requests);
    const auth = rateLimitCounter(app, "auth");
    expect(auth).not.toBe(requests);
    for (let i = 0; i < 5; i++) expect(auth.hit("otp:r1", 5, 60_000)).toBe(true);
    for (let i = 0; i < 1000; i++) requests.hit(`ip${i}`, 1, 60_000);
    expect(auth.hit("otp:r1", 5, 60_000)).toBe(false);
    let swept = 0;
    setRateLimitCounter(app, { hit: () => true, sweep: () => void swept++ }, "auth");
    await appCron(app).job(RATE_LIMIT_CLEANUP_JOB)!.func();
    expect(swept).toBe(1);
  });
});
