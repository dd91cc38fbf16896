/**
 * Keeps the benchmark harness (bench/) from rotting: the scenario list and the published anchors,
 * the custom-code hook files, the /proc readers over a real process tree, the workers prototype
 * as a tree, one seeded run of a few scenarios against `serve` and the bare baseline (from the
 * separate client process), the RESULTS.md section and the 1 → N compare table. The suite itself
 * is never run, and no timing is asserted.
 */
import { afterAll, describe, expect, test } from "bun:test";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { runHarness, type HarnessReport, type ModeRun, type ScenarioResult } from "../bench/harness.ts";
import { machineInfo, renderRun } from "../bench/report.ts";
import { buildScenarios } from "../bench/scenarios.ts";
import { CUSTOM_VARIANTS, HOOK_SOURCES, hooksDirOf, writeHookFiles } from "../bench/hook-files.ts";
import { POCKETBASE_CAX11, POCKETBUN_2VCPU } from "../bench/published.ts";
import { listeningPids, processTree, readCpuMs, readRssKb, treeCpuMs, treeRssKb } from "../bench/proc-stats.ts";
import { BUN, freePort, startWorkersPrototype } from "../bench/processes.ts";
import { seedDataSet } from "../bench/seed.ts";
import { compareTables, type SavedRun } from "../bench/compare.ts";

const tmp = mkdtempSync(join(tmpdir(), "satchel-bench-test-"));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const ALL_POSTS = ["posts10k", "posts25k", "posts50k", "posts100k"];

async function until(cond: () => boolean, ms = 10_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > deadline) throw new Error("condition not met in time");
    await Bun.sleep(20);
  }
}

describe("scenarios", () => {
  test("the scenario list covers upstream's groups with unique ids", () => {
    const quick = buildScenarios({ posts: ["posts10k"], quick: true });
    const full = buildScenarios({ posts: ALL_POSTS, quick: false });
    for (const list of [quick, full]) {
      const ids = list.map((s) => s.id);
      expect(new Set(ids).size).toBe(ids.length);
      expect([...new Set(list.map((s) => s.group))]).toEqual(["view", "auth", "list", "custom", "create", "delete"]);
      expect(list.filter((s) => s.bare).map((s) => s.bare).sort()).toEqual(["create", "list", "view"]);
    }
    expect(full.length).toBeGreaterThan(quick.length);
  });

  test("custom code: upstream's route at concurrency 500, 50 and 1 and the update hook, JS and TS, with anchors", () => {
    const custom = buildScenarios({ posts: ["posts10k"], quick: true }).filter((s) => s.group === "custom");
    expect(custom.map((s) => `${s.id} ${s.iterations}@${s.concurrency}`)).toEqual([
      "custom.route.js.c500 500@500",
      "custom.route.ts.c500 500@500",
      "custom.route.js.c50 500@50",
      "custom.route.ts.c50 500@50",
      "custom.route.js.c1 500@1",
      "custom.route.ts.c1 500@1",
      "custom.hook.js 100@10",
      "custom.hook.ts 100@10",
    ]);
    // every one sits beside PocketBase's figure (the TS rows beside upstream's Go ones), at the same count
    for (const s of custom) expect(POCKETBASE_CAX11[s.id]?.n).toBe(s.iterations);
    expect(POCKETBUN_2VCPU["custom.route.js.c500"]?.n).toBe(500);
    expect(POCKETBUN_2VCPU["custom.hook.js"]?.n).toBe(100);
    expect(custom.find((s) => s.id === "custom.route.ts.c1")!.title).toContain("upstream: Go route");
  });
});

describe("hook files", () => {
  test("are copied into the pb_data's pb_hooks, one per custom-code variant", () => {
    const dataDir = join(tmp, "hooks-data");
    const written = writeHookFiles(dataDir);
    expect(written).toEqual(CUSTOM_VARIANTS.map((v) => join(hooksDirOf(dataDir), v.file)));
    for (const v of CUSTOM_VARIANTS) {
      const text = readFileSync(join(hooksDirOf(dataDir), v.file), "utf8");
      expect(text).toBe(readFileSync(join(HOOK_SOURCES, v.file), "utf8"));
      expect(text).toContain(`"${v.route}"`);
      expect(text).toContain(`"${v.hookCollection}"`);
      expect(text).toContain(`"${v.hookTitle}"`);
    }
    // writing again (a re-seed) replaces them
    expect(writeHookFiles(dataDir)).toEqual(written);
  });
});

describe("/proc readers", () => {
  test("RSS and CPU are summed over a real process tree; a reaped child's CPU stays in the sum", async () => {
    const port = freePort();
    const script = join(tmp, "tree.ts");
    // a parent and a child listening on one port with reusePort, the child burning ~150 ms of CPU
    const serve = `Bun.serve({ hostname: "127.0.0.1", port: ${port}, reusePort: true, fetch: () => new Response("ok") });`;
    writeFileSync(
      script,
      `${serve}\nif (process.argv[2] === "child") { const t = Date.now(); while (Date.now() - t < 150); }\n` +
        `else Bun.spawn({ cmd: [process.execPath, import.meta.path, "child"], stdout: "ignore" });\nsetInterval(() => undefined, 1000);\n`,
    );
    const parent = Bun.spawn({ cmd: [BUN, script], stdout: "ignore", stderr: "inherit" });
    try {
      await until(() => listeningPids(processTree(parent.pid), port).length === 2);
      const tree = processTree(parent.pid);
      expect(tree).toHaveLength(2);
      expect(tree[0]).toBe(parent.pid);
      const child = tree[1]!;
      expect(listeningPids(tree, port).sort()).toEqual([...tree].sort());
      expect(listeningPids(tree, freePort())).toEqual([]);

      await until(() => readCpuMs(child) >= 100);
      const rssParts = readRssKb(parent.pid) + readRssKb(child);
      expect(readRssKb(child)).toBeGreaterThan(0);
      expect(treeRssKb(parent.pid)).toBeGreaterThan(rssParts * 0.8);
      expect(treeRssKb(parent.pid)).toBeGreaterThan(readRssKb(parent.pid));
      const cpuParts = readCpuMs(parent.pid) + readCpuMs(child);
      const cpuTree = treeCpuMs(parent.pid);
      expect(cpuTree).toBeGreaterThanOrEqual(cpuParts);

      process.kill(child, "SIGKILL");
      await until(() => processTree(parent.pid).length === 1);
      // Bun reaps its child: the child's CPU time moves into the parent's cutime/cstime
      await until(() => treeCpuMs(parent.pid) >= cpuTree);
      expect(processTree(child)).toEqual([]);
      expect(readRssKb(child)).toBe(0);
    } finally {
      for (const pid of processTree(parent.pid).reverse()) process.kill(pid, "SIGKILL");
      await parent.exited;
    }
    expect(processTree(parent.pid)).toEqual([]);
    expect(treeRssKb(parent.pid)).toBe(0);
  });

  test("the workers prototype is one tree: a primary and N listening workers, stopped together", async () => {
    const dataDir = join(tmp, "proto-data");
    seedDataSet(dataDir, { organizations: 2, permissions: 2, users: 2, posts: [] });
    writeHookFiles(dataDir);
    const server = await startWorkersPrototype(dataDir, 2);
    let pids: number[] = [];
    try {
      pids = server.pids();
      expect(pids).toHaveLength(3);
      const port = Number(new URL(server.url).port);
      expect(listeningPids(pids, port)).toEqual(pids.slice(1));
      expect(server.rssKb()).toBeGreaterThan(readRssKb(pids[1]!) + readRssKb(pids[2]!));
      // the workers load the pb_data's hooks: the JS route answers (posts10k is empty here)
      const res = await fetch(`${server.url}/js`);
      expect([res.status, await res.json()]).toEqual([200, []]);
    } finally {
      await server.stop();
    }
    for (const pid of pids) expect(processTree(pid)).toEqual([]);
  }, 30_000);
});

describe("a seeded run", () => {
  test("measures a view and the custom code against Satchel, and the view against the bare baseline", async () => {
    const lines: string[] = [];
    const report = await runHarness({
      sizes: { organizations: 3, permissions: 3, users: 5, posts: [{ name: "posts10k", size: 30 }] },
      profile: { posts: ["posts10k"], quick: true },
      modes: ["keepalive"],
      runs: 1,
      only: ["view.users.c100", "custom.route.js.c50", "custom.route.ts.c50", "custom.hook.js", "custom.hook.ts"],
      bare: true,
      cooldownMs: 0,
      log: (l) => lines.push(l),
    });
    expect(report.seed.counts).toEqual({ organizations: 3, permissions: 3, users: 5, posts10k: 30 });
    expect(lines).toContain("  wrote 2 hook files into pb_hooks");
    expect(report.runs).toHaveLength(1);
    const run = report.runs[0]!;
    expect(run.results.map((r) => r.id)).toEqual(["view.users.c100", "custom.route.js.c50", "custom.route.ts.c50", "custom.hook.js", "custom.hook.ts"]);
    for (const r of run.results) {
      // a failed hook check ("the … hook did not run") would be in `failed`
      expect([r.id, r.failed, r.firstError, r.errors]).toEqual([r.id, undefined, undefined, 0]);
    }
    const r = run.results[0]!;
    expect(r.iterations).toBe(1000);
    expect(r.completedMs).toBeGreaterThan(0);
    expect(r.bestMs).toBeLessThanOrEqual(r.p50Ms);
    expect(r.p50Ms).toBeLessThanOrEqual(r.p99Ms);
    expect(r.p99Ms).toBeLessThanOrEqual(r.worstMs);
    expect(run.rss.restKb).toBeGreaterThan(0);
    expect(run.bare.map((b) => [b.bareKind, b.errors])).toEqual([["view", 0]]);

    const md = renderRun(report, machineInfo(), "test", []);
    expect(md).toContain("`view.users.c100`");
    expect(md).toContain("`custom.hook.ts`");
    expect(md).toContain("Satchel/bare");
    expect(md).toContain("keep-alive");
    expect(md).not.toContain("FAILED");
  }, 90_000);

  test("a --workers run fails at once with a clear message when serve lacks the flag", async () => {
    const root = join(tmp, "no-workers-checkout");
    const err = await runHarness({
      sizes: { organizations: 1, permissions: 1, users: 1, posts: [] },
      profile: { posts: [], quick: true },
      modes: ["keepalive"],
      runs: 1,
      only: [],
      bare: false,
      cooldownMs: 0,
      workers: 2,
      serverRoot: root,
      log: () => undefined,
    }).catch((e: unknown) => e);
    expect(String(err)).toContain("`serve --workers` is not available in");
    expect(String(err)).toContain("--proto-workers");
    expect(existsSync(root)).toBe(false);
  });
});

describe("compare", () => {
  const result = (id: string, reqPerSec: number, serverCpuPct: number): ScenarioResult => ({
    id, group: "list", title: id, name: id, iterations: 100, concurrency: 10, keepAlive: true,
    completedMs: 1, bestMs: 1, worstMs: 1, p50Ms: 1, p99Ms: 1, reqPerSec, errors: 0, serverCpuPct,
  });
  const saved = (workers: number | undefined, rates: number[], restKb: number): SavedRun => {
    const run: ModeRun = {
      mode: "keepalive",
      run: 1,
      results: [result("list.posts10k.simpleC", rates[0]!, 100), result("custom.route.js.c50", rates[1]!, 100 * (workers ?? 1))],
      rss: { restKb, peakKb: restKb * 2, medianKb: restKb * 1.5, afterKb: restKb },
      bare: [],
    };
    const report: Pick<HarnessReport, "runs" | "workers"> = { runs: [run], workers };
    return { report };
  };

  test("1 → N workers: per scenario the median req/s of each side, the ratio and the server CPU; then RSS", () => {
    const one = [saved(undefined, [1000, 100], 40_960), saved(undefined, [1200, 140], 40_960)];
    const two = [saved(2, [2200, 260], 102_400)];
    const md = compareTables(one, two);
    expect(md).toContain("| Client mode | Scenario | 1 worker req/s | 2 workers req/s | 1 worker → 2 workers | server CPU 1 worker → 2 workers |");
    expect(md).toContain("| keepalive | `list.posts10k.simpleC` | 1100 | 2200 | **2.00×** | 100 % → 100 % |");
    expect(md).toContain("| keepalive | `custom.route.js.c50` | 120 | 260 | **2.17×** | 100 % → 200 % |");
    expect(md).toContain("| keepalive | at rest | 40.0 MB | 100.0 MB |");
    expect(compareTables(one, two, ["custom"])).not.toContain("simpleC");
  });

  test("same process count: before → after; one side mixing counts is refused", () => {
    expect(compareTables([saved(2, [1, 1], 1)], [saved(2, [2, 2], 1)])).toContain("| before req/s | after req/s | before → after |");
    expect(() => compareTables([saved(1, [1, 1], 1), saved(2, [1, 1], 1)], [saved(2, [1, 1], 1)])).toThrow("differ in their server process count");
  });
});
