/**
 * The benchmark harness: seed a pb_data once (data and the custom-code hook files), then per run
 * and client mode copy it, start Satchel (`serve`, a child process, with `--workers=N` a tree of
 * them), run the scenarios from the client process, sample the server's RSS and CPU over its
 * process tree, and repeat the comparable scenarios against the bare baseline on its own copy.
 */
import { cpSync, mkdtempSync, rmSync, mkdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { seedDataSet, type SeedSizes, type SeedSummary } from "./seed.ts";
import { buildScenarios, resetAfterGroup, type BareKind, type Scenario, type SuiteProfile } from "./scenarios.ts";
import { serveHasWorkersFlag, startBare, startClient, startSatchel, startWorkersPrototype, type ClientProcess, type ServerProcess } from "./processes.ts";
import { writeHookFiles } from "./hook-files.ts";
import { SuiteApi } from "./suite-api.ts";
import type { JobResult } from "./load.ts";
import { Database } from "bun:sqlite";

/** Client connection modes: a new TCP connection per request (upstream's), or keep-alive. */
export type ClientMode = "new" | "keepalive";

/** Options of a benchmark run. */
export interface HarnessOptions {
  sizes: SeedSizes;
  profile: SuiteProfile;
  modes: ClientMode[];
  runs: number;
  /** Only these scenario ids, or ids containing one of these strings (all when empty). */
  only: string[];
  bare: boolean;
  cooldownMs: number;
  /** Write a CPU profile of each Satchel server into this directory. */
  cpuProfDir?: string;
  /** Run `serve --workers=N` (N processes on one port); RSS and CPU are summed over them. */
  workers?: number;
  /** Run the bench-only `--workers` prototype with this many processes instead of `serve`. */
  protoWorkers?: number;
  /** Run `serve` from this checkout instead of this one (before/after comparisons). */
  serverRoot?: string;
  log?: (line: string) => void;
}

/** One scenario's measured figures plus the server's CPU use during it. */
export interface ScenarioResult extends JobResult {
  id: string;
  group: string;
  title: string;
  /** Server CPU time during the job divided by its wall time (100 % = one core). */
  serverCpuPct: number;
  /** Set when the scenario could not run. */
  failed?: string;
}

/** RSS of a server (summed over its process tree), in KiB. */
export interface RssFigures {
  restKb: number;
  peakKb: number;
  medianKb: number;
  afterKb: number;
  /** The peak of RssAnon (heap and stacks, without mapped files such as the mmap'd database). */
  peakAnonKb?: number;
}

/** One pass of the suite in one client mode. */
export interface ModeRun {
  mode: ClientMode;
  run: number;
  results: ScenarioResult[];
  rss: RssFigures;
  bare: (ScenarioResult & { bareKind: BareKind })[];
  bareRss?: RssFigures;
}

/** Everything a harness run produced. */
export interface HarnessReport {
  seed: SeedSummary;
  scenarios: Scenario[];
  runs: ModeRun[];
  wallMs: number;
  /** `serve --workers=N` when set. */
  workers?: number;
  /** The workers prototype's process count when it ran instead of `serve`. */
  protoWorkers?: number;
}

class RssSampler {
  private samples: number[] = [];
  private peakAnonKb = 0;
  private timer: ReturnType<typeof setInterval>;
  constructor(private server: ServerProcess) {
    this.timer = setInterval(() => {
      const kb = server.rssKb();
      if (kb > 0) this.samples.push(kb);
      this.peakAnonKb = Math.max(this.peakAnonKb, server.anonKb());
    }, 250);
  }
  stop(restKb: number): RssFigures {
    clearInterval(this.timer);
    const sorted = [...this.samples].sort((a, b) => a - b);
    const afterKb = this.server.rssKb();
    const peakAnonKb = Math.max(this.peakAnonKb, this.server.anonKb());
    return { restKb, peakKb: Math.max(restKb, afterKb, ...sorted), medianKb: sorted[Math.floor(sorted.length / 2)] ?? restKb, afterKb, peakAnonKb };
  }
}

async function runScenario(client: ClientProcess, server: ServerProcess, api: SuiteApi, s: Scenario, keepAlive: boolean): Promise<ScenarioResult> {
  const base = { id: s.id, group: s.group, title: s.title };
  let finish: (() => Promise<void>) | undefined;
  try {
    const prepared = await s.prepare(api);
    finish = prepared.finish;
    const cpu0 = server.cpuMs();
    const t0 = performance.now();
    const r = await client.run({ name: s.id, iterations: s.iterations, concurrency: s.concurrency, keepAlive, requests: prepared.requests, background: prepared.background });
    const wall = performance.now() - t0;
    const serverCpuPct = wall > 0 ? ((server.cpuMs() - cpu0) / wall) * 100 : 0;
    finish = undefined;
    await prepared.finish?.();
    return { ...r, ...base, serverCpuPct };
  } catch (err) {
    // the setup is undone even when the run failed; its own failure would hide the first one
    await finish?.().catch(() => undefined);
    const msg = err instanceof Error ? err.message : String(err);
    return { ...base, name: s.id, iterations: s.iterations, concurrency: s.concurrency, keepAlive, completedMs: 0, bestMs: 0, worstMs: 0, p50Ms: 0, p99Ms: 0, reqPerSec: 0, errors: s.iterations, serverCpuPct: 0, failed: msg };
  }
}

function fmtLine(r: ScenarioResult): string {
  if (r.failed) return `  ${r.id.padEnd(42)} FAILED: ${r.failed}`;
  const f = (x: number) => x.toFixed(x < 10 ? 2 : 0);
  return (
    `  ${r.id.padEnd(42)} ${`${r.iterations}@${r.concurrency}`.padStart(10)}  done ${f(r.completedMs).padStart(7)} ms  ` +
    `${r.reqPerSec.toFixed(0).padStart(6)} req/s  p50 ${f(r.p50Ms)}  p99 ${f(r.p99Ms)}  best ${f(r.bestMs)}  worst ${f(r.worstMs)}  ` +
    `cpu ${r.serverCpuPct.toFixed(0)}%${r.errors ? `  ERRORS ${r.errors}: ${r.firstError ?? ""}` : ""}`
  );
}

/** Runs the benchmark and returns every measurement (the caller renders and stores them). */
export async function runHarness(opts: HarnessOptions): Promise<HarnessReport> {
  const log = opts.log ?? ((line: string) => console.log(line));
  const started = performance.now();
  if (opts.workers !== undefined && opts.protoWorkers !== undefined) throw new Error("--workers and --proto-workers exclude each other");
  if (opts.workers !== undefined && !serveHasWorkersFlag(opts.serverRoot)) {
    throw new Error(`\`serve --workers\` is not available in ${opts.serverRoot ?? "this checkout"} yet (\`bun src/main.ts serve --help\` does not list it); use --proto-workers=N for the bench-only prototype`);
  }
  const tmp = mkdtempSync(join(tmpdir(), "satchel-bench-"));
  const seedDir = join(tmp, "seed");
  mkdirSync(seedDir);
  try {
    log(`seeding into ${seedDir} …`);
    const seed = seedDataSet(seedDir, opts.sizes, log);
    log(`  wrote ${writeHookFiles(seedDir).length} hook files into pb_hooks`);
    const all = buildScenarios(opts.profile);
    // an exact scenario id selects only itself; anything else selects every id containing it
    const matches = (id: string, o: string): boolean => id === o || (!all.some((x) => x.id === o) && id.includes(o));
    const scenarios = opts.only.length ? all.filter((s) => opts.only.some((o) => matches(s.id, o))) : all;
    const runs: ModeRun[] = [];
    const client = await startClient();
    try {
      for (let run = 1; run <= opts.runs; run++) {
        for (const mode of opts.modes) {
          runs.push(await runMode(client, seedDir, join(tmp, `run${run}-${mode}`), scenarios, mode, run, opts, log));
        }
      }
    } finally {
      await client.stop();
    }
    return { seed, scenarios, runs, wallMs: performance.now() - started, workers: opts.workers, protoWorkers: opts.protoWorkers };
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}

async function runMode(client: ClientProcess, seedDir: string, dir: string, scenarios: Scenario[], mode: ClientMode, run: number, opts: HarnessOptions, log: (l: string) => void): Promise<ModeRun> {
  const keepAlive = mode === "keepalive";
  log(`\n== run ${run}, client mode: ${mode === "new" ? "new connection per request" : "keep-alive"} ==`);
  cpSync(seedDir, dir, { recursive: true });
  const server = opts.protoWorkers ? await startWorkersPrototype(dir, opts.protoWorkers) : await startSatchel(dir, { cpuProfDir: opts.cpuProfDir, root: opts.serverRoot, workers: opts.workers });
  const results: ScenarioResult[] = [];
  let rss: RssFigures;
  try {
    await Bun.sleep(500);
    const restKb = server.rssKb();
    const procs = server.pids().length;
    log(`  satchel pid ${server.pid}${procs > 1 ? ` (${procs} processes)` : ""} at ${server.url}, RSS at rest ${(restKb / 1024).toFixed(1)} MB`);
    const sampler = new RssSampler(server);
    const api = new SuiteApi(server.url);
    await api.login();
    let group = "";
    for (const s of scenarios) {
      if (group && s.group !== group) await resetAfterGroup(api, group as Scenario["group"], opts.profile);
      group = s.group;
      await Bun.sleep(opts.cooldownMs);
      const r = await runScenario(client, server, api, s, keepAlive);
      results.push(r);
      log(fmtLine(r));
    }
    rss = sampler.stop(restKb);
    log(`  satchel RSS: rest ${(rss.restKb / 1024).toFixed(1)} MB, median ${(rss.medianKb / 1024).toFixed(1)} MB, peak ${(rss.peakKb / 1024).toFixed(1)} MB`);
  } finally {
    await server.stop();
    rmSync(dir, { recursive: true, force: true });
  }
  const bareScenarios = scenarios.filter((s) => s.bare);
  const out: ModeRun = { mode, run, results, rss, bare: [] };
  if (!opts.bare || bareScenarios.length === 0) return out;
  cpSync(seedDir, dir, { recursive: true });
  const bare = await startBare(dir);
  try {
    await Bun.sleep(500);
    const restKb = bare.rssKb();
    const sampler = new RssSampler(bare);
    // the bare server has no auth: the user token and id come from the seeded database
    const api = new BareSuiteApi(bare.url, join(dir, "data.db"));
    for (const s of bareScenarios) {
      await Bun.sleep(opts.cooldownMs);
      const r = await runScenario(client, bare, api, s, keepAlive);
      out.bare.push({ ...r, id: `bare.${s.bare}`, bareKind: s.bare! });
      log(fmtLine({ ...r, id: `bare.${s.bare} (${s.id})` }));
    }
    out.bareRss = sampler.stop(restKb);
  } finally {
    await bare.stop();
    rmSync(dir, { recursive: true, force: true });
  }
  return out;
}

/** The bare server has no auth and no collections API: setup reads the seeded database instead. */
class BareSuiteApi extends SuiteApi {
  constructor(url: string, private dbPath: string) {
    super(url);
    this.userId = String(this.query("SELECT id FROM users WHERE email = 'users0@example.com'", [])[0]?.id);
  }
  private query(sql: string, params: (string | number)[]): { id: string }[] {
    const db = new Database(this.dbPath, { readonly: true });
    try {
      return db.query(sql).all(...params) as { id: string }[];
    } finally {
      db.close();
    }
  }
  override async patchCollection(): Promise<void> {}
  override async count(): Promise<number> {
    return 0;
  }
  override async randomIds(name: string, n: number): Promise<string[]> {
    return this.query(`SELECT id FROM "${name}" ORDER BY random() LIMIT ?`, [n]).map((r) => r.id);
  }
}
