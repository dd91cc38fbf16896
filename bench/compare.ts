/**
 * Compares two sets of harness runs saved with `--json`: per client mode and scenario, the median
 * req/s before and after, as a Markdown table (for before/after entries in RESULTS.md).
 *
 *   bun bench/compare.ts before1.json,before2.json after1.json,after2.json [--only=a,b]
 */
import { readFileSync } from "node:fs";
import type { HarnessReport } from "./harness.ts";

const [beforeArg, afterArg] = process.argv.slice(2).filter((a) => !a.startsWith("--"));
if (!beforeArg || !afterArg) {
  console.error("usage: bun bench/compare.ts before1.json[,before2.json] after1.json[,after2.json] [--only=a,b]");
  process.exit(2);
}
const only = (process.argv.find((a) => a.startsWith("--only="))?.slice(7) ?? "").split(",").filter(Boolean);

type Rates = Map<string, number[]>;

function load(list: string): Rates {
  const out: Rates = new Map();
  for (const file of list.split(",")) {
    const { report } = JSON.parse(readFileSync(file, "utf8")) as { report: HarnessReport };
    for (const run of report.runs) {
      for (const r of [...run.results, ...run.bare]) {
        if (r.failed) continue;
        const key = `${run.mode}\t${r.id}`;
        out.set(key, [...(out.get(key) ?? []), r.reqPerSec]);
      }
    }
  }
  return out;
}

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
};

const before = load(beforeArg);
const after = load(afterArg);
console.log("| Client mode | Scenario | before req/s | after req/s | change |\n|---|---|---|---|---|");
for (const [key, a] of after) {
  const [mode, id] = key.split("\t") as [string, string];
  if (only.length && !only.some((o) => id.includes(o))) continue;
  const b = before.get(key);
  if (!b) continue;
  const mb = median(b);
  const ma = median(a);
  console.log(`| ${mode} | \`${id}\` | ${mb.toFixed(0)} | ${ma.toFixed(0)} | ${(((ma - mb) / mb) * 100).toFixed(0)} % |`);
}
