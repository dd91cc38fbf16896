/**
 * Before/after comparison of a change on a noisy machine: runs bench/inproc.ts against two source
 * trees alternately (before, after, before, after, …) and prints the minimum µs/op of each case
 * (interference from other processes only ever adds time, so the minimum is the stablest figure).
 *
 *   bun bench/ab.ts --before=/path/to/snapshot [--after=.] [--pairs=4] [--only=list,create] [--n=2000] [--rounds=5]
 *
 * The snapshot is a copy of the repository (at least `src/`, `package.json`, and a `node_modules`
 * link) with the change undone.
 */
import { resolve, join } from "node:path";

function flag(name: string): string | undefined {
  return process.argv.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3);
}

const before = flag("before");
if (!before) {
  console.error("usage: bun bench/ab.ts --before=DIR [--after=DIR] [--pairs=N] [--only=a,b] [--n=N]");
  process.exit(2);
}
const after = resolve(flag("after") ?? join(import.meta.dir, ".."));
const pairs = Number(flag("pairs") ?? 4);
const extra = ["only", "n", "rounds"].flatMap((k) => (flag(k) ? [`--${k}=${flag(k)}`] : []));

/** Per case: [min wall, min cpu] µs/op of the rounds of one inproc run. */
function run(root: string): { [k: string]: [number, number] } {
  const r = Bun.spawnSync({ cmd: [process.execPath, join(import.meta.dir, "inproc.ts"), `--root=${resolve(root)}`, ...extra], stdout: "pipe", stderr: "inherit" });
  const out: { [k: string]: [number, number] } = {};
  for (const m of r.stdout.toString().matchAll(/^\s+(\w+)\s+[\d.]+ µs\/op wall\s+[\d.]+ µs\/op cpu\s+min ([\d.]+) wall ([\d.]+) cpu/gm)) out[m[1]!] = [Number(m[2]), Number(m[3])];
  return out;
}

type Samples = { [k: string]: [number, number][] };
const samples: { before: Samples; after: Samples } = { before: {}, after: {} };
for (let i = 0; i < pairs; i++) {
  for (const [side, root] of [["before", before], ["after", after]] as const) {
    for (const [k, v] of Object.entries(run(root))) (samples[side][k] ??= []).push(v);
  }
  process.stdout.write(".");
}
const best = (xs: number[]): number => Math.min(...xs);
const pct = (b: number, a: number): string => `${(((a - b) / b) * 100).toFixed(1)} %`.padStart(8);
console.log(`\nminimum µs/op over ${pairs} alternating pairs × ${flag("rounds") ?? 5} rounds (lower is better; noise only adds time)`);
for (const k of Object.keys(samples.after)) {
  const [bw, bc] = [0, 1].map((i) => best((samples.before[k] ?? []).map((x) => x[i]!)));
  const [aw, ac] = [0, 1].map((i) => best((samples.after[k] ?? []).map((x) => x[i]!)));
  console.log(`  ${k.padEnd(8)} cpu ${bc!.toFixed(1).padStart(6)} → ${ac!.toFixed(1).padStart(6)} ${pct(bc!, ac!)}   wall ${bw!.toFixed(1).padStart(6)} → ${aw!.toFixed(1).padStart(6)} ${pct(bw!, aw!)}`);
}
