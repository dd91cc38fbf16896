/**
 * Compares two sets of harness runs saved with `--json`: before and after a change, or one server
 * process against N (`--workers=N`, `--proto-workers=N`). Per client mode and scenario: the median
 * req/s of each side, their ratio and the server CPU; then the server's RSS. Markdown tables, for
 * RESULTS.md.
 *
 *   bun bench/compare.ts a1.json[,a2.json] b1.json[,b2.json] [--only=a,b]
 *
 * e.g. `npm run bench -- --quick --no-write --json=w1.json` and the same with `--workers=2
 * --json=w2.json`, then `bun bench/compare.ts w1.json w2.json` prints "1 worker → 2 workers".
 * The `bare.*` rows run the same baseline on both sides: their ratio shows the run-to-run noise.
 */
import { readFileSync } from "node:fs";
import type { HarnessReport, RssFigures } from "./harness.ts";

/** What `npm run bench -- --json=PATH` writes (the parts compared here). */
export interface SavedRun {
  /** The run's mode line (quick/full, server), when recorded. */
  mode?: string;
  report: Pick<HarnessReport, "runs" | "workers" | "protoWorkers">;
}

/** Reads a comma-separated list of `--json` files. */
export function loadSaved(list: string): SavedRun[] {
  return list.split(",").filter(Boolean).map((file) => JSON.parse(readFileSync(file, "utf8")) as SavedRun);
}

/** How many server processes a saved run had, and whether they were the prototype. */
function serverOf(run: SavedRun): { processes: number; proto: boolean } {
  const { workers, protoWorkers } = run.report;
  return { processes: workers ?? protoWorkers ?? 1, proto: !workers && !!protoWorkers };
}

/** The process count shared by every run of one side; throws when the runs differ. */
function sideServer(side: SavedRun[], name: string): { processes: number; proto: boolean } {
  const all = side.map(serverOf);
  const first = all[0] ?? { processes: 1, proto: false };
  if (all.some((s) => s.processes !== first.processes || s.proto !== first.proto)) {
    throw new Error(`the ${name} runs differ in their server process count (${all.map((s) => s.processes).join(", ")}); compare like with like`);
  }
  return first;
}

/**
 * The column labels: "1 worker" / "N workers" when the two sides ran different process counts,
 * "before" / "after" otherwise.
 */
export function sideLabels(a: SavedRun[], b: SavedRun[]): [string, string] {
  const sa = sideServer(a, "first");
  const sb = sideServer(b, "second");
  if (sa.processes === sb.processes && sa.proto === sb.proto) return ["before", "after"];
  const label = (s: { processes: number; proto: boolean }) => `${s.processes} ${s.proto ? "proto " : ""}worker${s.processes === 1 ? "" : "s"}`;
  return [label(sa), label(sb)];
}

function median(xs: number[]): number {
  const s = [...xs].sort((x, y) => x - y);
  if (s.length === 0) return Number.NaN;
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

interface Figures {
  rates: number[];
  cpu: number[];
}

/** Per `mode\tscenario id`, in the order of the runs: the req/s and server CPU of every run. */
function scenarioFigures(side: SavedRun[]): Map<string, Figures> {
  const out = new Map<string, Figures>();
  for (const saved of side) {
    for (const run of saved.report.runs) {
      for (const r of [...run.results, ...run.bare]) {
        if (r.failed) continue;
        const key = `${run.mode}\t${r.id}`;
        const f = out.get(key) ?? { rates: [], cpu: [] };
        f.rates.push(r.reqPerSec);
        f.cpu.push(r.serverCpuPct);
        out.set(key, f);
      }
    }
  }
  return out;
}

const rate = (x: number): string => (x >= 100 ? x.toFixed(0) : x >= 10 ? x.toFixed(1) : x.toFixed(2));
const mb = (kb: number): string => `${(kb / 1024).toFixed(1)} MB`;

/** The comparison as Markdown: one row per scenario both sides measured, then the RSS per client mode. */
export function compareTables(a: SavedRun[], b: SavedRun[], only: string[] = []): string {
  const [la, lb] = sideLabels(a, b);
  const fa = scenarioFigures(a);
  const fb = scenarioFigures(b);
  let out = `| Client mode | Scenario | ${la} req/s | ${lb} req/s | ${la} → ${lb} | server CPU ${la} → ${lb} |\n|---|---|---|---|---|---|\n`;
  for (const [key, x] of fa) {
    const [mode, id] = key.split("\t") as [string, string];
    if (only.length && !only.some((o) => id.includes(o))) continue;
    const y = fb.get(key);
    if (!y) continue;
    const ra = median(x.rates);
    const rb = median(y.rates);
    out += `| ${mode} | \`${id}\` | ${rate(ra)} | ${rate(rb)} | **${(rb / ra).toFixed(2)}×** | ${median(x.cpu).toFixed(0)} % → ${median(y.cpu).toFixed(0)} % |\n`;
  }
  const modes = [...new Set(a.flatMap((s) => s.report.runs.map((r) => r.mode)))];
  out += `\n| Client mode | Satchel RSS | ${la} | ${lb} |\n|---|---|---|---|\n`;
  const rss = (side: SavedRun[], mode: string, k: keyof RssFigures) => median(side.flatMap((s) => s.report.runs.filter((r) => r.mode === mode).map((r) => r.rss[k] ?? 0)));
  for (const mode of modes) {
    for (const [k, what] of [["restKb", "at rest"], ["medianKb", "median under the suite"], ["peakKb", "peak"], ["peakAnonKb", "peak RssAnon (heap)"]] as const) {
      const ka = rss(a, mode, k);
      const kb = rss(b, mode, k);
      if (Number.isNaN(ka) || Number.isNaN(kb)) continue;
      out += `| ${mode} | ${what} | ${mb(ka)} | ${mb(kb)} |\n`;
    }
  }
  return out;
}

if (import.meta.main) {
  const [aArg, bArg] = process.argv.slice(2).filter((x) => !x.startsWith("--"));
  if (!aArg || !bArg) {
    console.error("usage: bun bench/compare.ts a1.json[,a2.json] b1.json[,b2.json] [--only=a,b]");
    process.exit(2);
  }
  const only = (process.argv.find((x) => x.startsWith("--only="))?.slice(7) ?? "").split(",").filter(Boolean);
  try {
    console.log(compareTables(loadSaved(aArg), loadSaved(bArg), only));
  } catch (err) {
    console.error(`Error: ${err instanceof Error ? err.message : String(err)}`);
    process.exit(2);
  }
}
