/**
 * Keeps the benchmark harness (bench/) from rotting: seeds a tiny data set through the App API,
 * starts `serve` and the bare baseline as child processes, runs one scenario from the separate
 * client process, and renders the RESULTS.md section. No timing is asserted.
 */
import { describe, expect, test } from "bun:test";
import { runHarness } from "../bench/harness.ts";
import { machineInfo, renderRun } from "../bench/report.ts";
import { buildScenarios } from "../bench/scenarios.ts";

describe("bench harness", () => {
  test("the scenario list covers upstream's groups with unique ids", () => {
    const quick = buildScenarios({ posts: ["posts10k"], quick: true });
    const full = buildScenarios({ posts: ["posts10k", "posts25k", "posts50k", "posts100k"], quick: false });
    for (const list of [quick, full]) {
      const ids = list.map((s) => s.id);
      expect(new Set(ids).size).toBe(ids.length);
      expect(new Set(list.map((s) => s.group))).toEqual(new Set(["view", "auth", "list", "create", "delete"]));
      expect(list.filter((s) => s.bare).map((s) => s.bare).sort()).toEqual(["create", "list", "view"]);
    }
    expect(full.length).toBeGreaterThan(quick.length);
  });

  test("seeds, serves and measures one scenario against Satchel and the bare baseline", async () => {
    const lines: string[] = [];
    const report = await runHarness({
      sizes: { organizations: 3, permissions: 3, users: 5, posts: [{ name: "posts10k", size: 30 }] },
      profile: { posts: ["posts10k"], quick: true },
      modes: ["keepalive"],
      runs: 1,
      only: ["view.users.c100"],
      bare: true,
      cooldownMs: 0,
      log: (l) => lines.push(l),
    });
    expect(report.seed.counts).toEqual({ organizations: 3, permissions: 3, users: 5, posts10k: 30 });
    expect(report.runs).toHaveLength(1);
    const run = report.runs[0]!;
    expect(run.results.map((r) => r.id)).toEqual(["view.users.c100"]);
    const r = run.results[0]!;
    expect(r.failed).toBeUndefined();
    expect(r.firstError).toBeUndefined();
    expect(r.errors).toBe(0);
    expect(r.iterations).toBe(1000);
    expect(r.completedMs).toBeGreaterThan(0);
    expect(r.bestMs).toBeLessThanOrEqual(r.p50Ms);
    expect(r.p50Ms).toBeLessThanOrEqual(r.p99Ms);
    expect(r.p99Ms).toBeLessThanOrEqual(r.worstMs);
    expect(run.rss.restKb).toBeGreaterThan(0);
    expect(run.bare.map((b) => [b.bareKind, b.errors])).toEqual([["view", 0]]);

    const md = renderRun(report, machineInfo(), "test", []);
    expect(md).toContain("`view.users.c100`");
    expect(md).toContain("Satchel/bare");
    expect(md).toContain("keep-alive");
  }, 60_000);
});
