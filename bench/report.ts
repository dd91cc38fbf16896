/**
 * Turns a harness report into the Markdown section appended to bench/RESULTS.md: machine, date,
 * commit and mode; per client mode a table of medians beside PocketBase's and PocketBun's
 * published figures; the Satchel/bare ratios; RSS.
 */
import { cpus, loadavg, totalmem } from "node:os";
import { readFileSync } from "node:fs";
import type { ClientMode, HarnessReport, ModeRun, RssFigures, ScenarioResult } from "./harness.ts";
import { POCKETBASE_CAX11, POCKETBUN_2VCPU, publishedRate, type Published } from "./published.ts";
import { ROOT } from "./processes.ts";

/** Where and on what a run happened. */
export interface MachineInfo {
  date: string;
  cores: number;
  cpuModel: string;
  memGiB: number;
  bun: string;
  commit: string;
  loadBefore: string;
}

/** Reads the machine facts (and the git commit) at the start of a run. */
export function machineInfo(): MachineInfo {
  let cpuModel = cpus()[0]?.model ?? "unknown";
  try {
    cpuModel = /model name\s*:\s*(.+)/.exec(readFileSync("/proc/cpuinfo", "utf8"))?.[1]?.trim() ?? cpuModel;
  } catch {
    // not Linux: keep os.cpus()'s name
  }
  const git = (args: string[]): string => {
    const r = Bun.spawnSync({ cmd: ["git", ...args], cwd: ROOT, stdout: "pipe", stderr: "ignore" });
    return r.success ? r.stdout.toString().trim() : "";
  };
  const dirty = git(["status", "--porcelain"]) !== "";
  return {
    date: new Date().toISOString().replace(/\.\d+Z$/, "Z"),
    cores: cpus().length,
    cpuModel,
    memGiB: Math.round(totalmem() / 2 ** 30),
    bun: Bun.version,
    commit: (git(["rev-parse", "HEAD"]) || "unknown") + (dirty ? " (+ uncommitted changes)" : ""),
    loadBefore: loadavg().map((x) => x.toFixed(2)).join(" "),
  };
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  if (s.length === 0) return 0;
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

/** Medians over the runs of one mode, per scenario id, with the req/s spread. */
export interface Aggregate {
  id: string;
  title: string;
  iterations: number;
  concurrency: number;
  runs: number;
  completedMs: number;
  bestMs: number;
  worstMs: number;
  p50Ms: number;
  p99Ms: number;
  reqPerSec: number;
  minRate: number;
  maxRate: number;
  errors: number;
  firstError?: string;
  serverCpuPct: number;
  failed?: string;
}

/** Aggregates results of the same scenario id over several runs. */
export function aggregate(results: ScenarioResult[]): Aggregate[] {
  const byId = new Map<string, ScenarioResult[]>();
  for (const r of results) byId.set(r.id, [...(byId.get(r.id) ?? []), r]);
  return [...byId.values()].map((rs) => {
    const ok = rs.filter((r) => !r.failed);
    const m = (k: keyof ScenarioResult) => median(ok.map((r) => r[k] as number));
    return {
      id: rs[0]!.id,
      title: rs[0]!.title,
      iterations: rs[0]!.iterations,
      concurrency: rs[0]!.concurrency,
      runs: ok.length,
      completedMs: m("completedMs"),
      bestMs: m("bestMs"),
      worstMs: m("worstMs"),
      p50Ms: m("p50Ms"),
      p99Ms: m("p99Ms"),
      reqPerSec: m("reqPerSec"),
      minRate: Math.min(...ok.map((r) => r.reqPerSec)),
      maxRate: Math.max(...ok.map((r) => r.reqPerSec)),
      errors: rs.reduce((a, r) => a + r.errors, 0),
      firstError: rs.find((r) => r.firstError)?.firstError,
      serverCpuPct: m("serverCpuPct"),
      failed: ok.length === 0 ? rs[0]!.failed : undefined,
    };
  });
}

const ms = (x: number): string => (x >= 10_000 ? `${(x / 1000).toFixed(1)} s` : x >= 1000 ? `${(x / 1000).toFixed(2)} s` : x >= 10 ? `${x.toFixed(0)} ms` : `${x.toFixed(2)} ms`);
const rate = (x: number | null): string => (x === null ? "–" : x >= 100 ? x.toFixed(0) : x >= 10 ? x.toFixed(1) : x.toFixed(2));
const mb = (kb: number): string => `${(kb / 1024).toFixed(1)} MB`;

/**
 * The published req/s when it compares with ours. NB: a cascade's cost depends on how many
 * records each deleted one owns, which the quick data set (posts10k only) changes; those are
 * compared only at upstream's request count and data set (full mode).
 */
function comparable(a: Aggregate, p: Published | undefined): number | null {
  if (!p || (a.id.includes("cascade") && a.iterations !== p.n)) return null;
  return publishedRate(p);
}

function scenarioTable(aggs: Aggregate[]): string {
  const head =
    "| Scenario | reqs@conc | Best | Worst | Completed | req/s (min–max) | p50 | p99 | server CPU | errors | PocketBase CAX11 req/s | PocketBun req/s |\n" +
    "|---|---|---|---|---|---|---|---|---|---|---|---|\n";
  const rows = aggs.map((a) => {
    if (a.failed) return `| \`${a.id}\` | ${a.iterations}@${a.concurrency} | FAILED: ${a.failed.replace(/\|/g, "\\|").slice(0, 120)} ||||||||||`;
    const spread = a.runs > 1 ? ` (${rate(a.minRate)}–${rate(a.maxRate)})` : "";
    const err = a.errors ? `${a.errors}: ${(a.firstError ?? "").replace(/[|\n]/g, " ").slice(0, 80)}` : "0";
    return `| \`${a.id}\` | ${a.iterations}@${a.concurrency} | ${ms(a.bestMs)} | ${ms(a.worstMs)} | ${ms(a.completedMs)} | ${rate(a.reqPerSec)}${spread} | ${ms(a.p50Ms)} | ${ms(a.p99Ms)} | ${a.serverCpuPct.toFixed(0)} % | ${err} | ${rate(comparable(a, POCKETBASE_CAX11[a.id]))} | ${rate(comparable(a, POCKETBUN_2VCPU[a.id]))} |`;
  });
  return head + rows.join("\n") + "\n";
}

function rssLine(label: string, rs: (RssFigures | undefined)[]): string {
  const ok = rs.filter((r): r is RssFigures => !!r);
  if (ok.length === 0) return "";
  const m = (k: keyof RssFigures) => mb(median(ok.map((r) => r[k] ?? 0)));
  return `| ${label} | ${m("restKb")} | ${m("medianKb")} | ${m("peakKb")} | ${m("afterKb")} | ${m("peakAnonKb")} |\n`;
}

/** The server's row label in the RSS table: its process count when it ran several. */
export function serverLabel(report: Pick<HarnessReport, "workers" | "protoWorkers">): string {
  if (report.workers) return `Satchel, serve --workers=${report.workers} (summed over the processes)`;
  if (report.protoWorkers) return `Satchel, workers prototype × ${report.protoWorkers} (summed over the processes)`;
  return "Satchel";
}

function modeSection(mode: ClientMode, runs: ModeRun[], server: string): string {
  const label = mode === "new" ? "new TCP connection per request (upstream's client)" : "keep-alive connections";
  const aggs = aggregate(runs.flatMap((r) => r.results));
  const bareAggs = aggregate(runs.flatMap((r) => r.bare));
  let out = `#### Client mode: ${label}\n\n${scenarioTable(aggs)}\n`;
  if (bareAggs.length > 0) {
    out += `Satchel vs bare Bun.serve + bun:sqlite (same requests, same data, same client mode):\n\n| Request | Satchel scenario | Satchel req/s | bare req/s | Satchel/bare | Satchel p50 / bare p50 |\n|---|---|---|---|---|---|\n`;
    for (const run of runs.slice(0, 1)) {
      for (const b of run.bare) {
        const satchelId = runs[0]!.results.find((r) => r.title && b.title === r.title)?.id ?? "";
        const s = aggs.find((a) => a.id === satchelId);
        const bb = bareAggs.find((a) => a.id === b.id);
        if (!s || !bb) continue;
        out += `| ${b.bareKind} | \`${s.id}\` (${s.iterations}@${s.concurrency}) | ${rate(s.reqPerSec)} | ${rate(bb.reqPerSec)} | **${(s.reqPerSec / bb.reqPerSec).toFixed(2)}** | ${ms(s.p50Ms)} / ${ms(bb.p50Ms)} |\n`;
      }
    }
    out += "\n";
  }
  out += `RSS (median over runs; VmRSS includes the mapped database file, RssAnon is the heap):\n\n| Process | at rest | median under the suite | peak | after | peak RssAnon |\n|---|---|---|---|---|---|\n`;
  out += rssLine(server, runs.map((r) => r.rss));
  out += rssLine("bare", runs.map((r) => r.bareRss));
  return out + "\n";
}

/** The Markdown section of one harness run. */
export function renderRun(report: HarnessReport, machine: MachineInfo, mode: string, notes: string[]): string {
  const modes = [...new Set(report.runs.map((r) => r.mode))];
  const runsPerMode = Math.max(...modes.map((m) => report.runs.filter((r) => r.mode === m).length));
  const seed = Object.entries(report.seed.counts).map(([k, v]) => `${k} ${v}`).join(", ");
  let out =
    `### ${machine.date} — ${mode}, ${runsPerMode} run(s) per client mode, medians\n\n` +
    `- Machine: ${machine.cores} cores, ${machine.cpuModel}, ${machine.memGiB} GiB; Bun ${machine.bun}\n` +
    `- Commit: \`${machine.commit}\`\n` +
    `- Load average before the run: ${machine.loadBefore} (other jobs share these cores)\n` +
    `- Data set: ${seed}; seeded in ${(Object.values(report.seed.ms).reduce((a, b) => a + b, 0) / 1000).toFixed(1)} s; run took ${(report.wallMs / 1000).toFixed(0)} s\n`;
  for (const n of notes) out += `- ${n}\n`;
  out += "\n";
  for (const m of modes) out += modeSection(m, report.runs.filter((r) => r.mode === m), serverLabel(report));
  return out;
}
