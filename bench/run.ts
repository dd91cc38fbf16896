/**
 * `npm run bench [-- flags]`: PocketBase's benchmark suite against Satchel, beside a bare
 * Bun.serve + bun:sqlite baseline; appends the medians to bench/RESULTS.md.
 *
 *   --quick          posts10k only and fewer requests for the slow scenarios (< 3 min)
 *   --runs=N         repeat every client mode N times on fresh copies of the data (default 1)
 *   --modes=a,b      client modes: new (new connection per request), keepalive (default both)
 *   --only=a,b       only these scenario ids (or ids containing one of these strings)
 *   --no-bare        skip the bare baseline
 *   --no-write       print only; do not append to RESULTS.md
 *   --json=PATH      also write the raw measurements as JSON
 *   --cpu-prof=DIR   write a CPU profile (.cpuprofile + .md) of each Satchel server to DIR
 *   --cooldown=MS    pause between scenarios (default 2000, quick 300)
 *   --workers=N      run `serve --workers=N` (RSS and server CPU summed over its processes)
 *   --proto-workers=N  run the bench-only prototype of it (bench/workers-proto.ts) instead of `serve`
 *   --server-root=DIR  run `serve` from another checkout (e.g. a snapshot from before a change)
 *   --note=TEXT      a line for the RESULTS.md entry (repeatable)
 */
import { appendFileSync, existsSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { runHarness, type ClientMode } from "./harness.ts";
import { machineInfo, renderRun } from "./report.ts";
import { POSTS_COLLECTIONS } from "./schema.ts";
import { ROOT } from "./processes.ts";

const RESULTS = join(ROOT, "bench", "RESULTS.md");

function flag(name: string): string | undefined {
  const hit = process.argv.find((a) => a === `--${name}` || a.startsWith(`--${name}=`));
  if (!hit) return undefined;
  return hit.includes("=") ? hit.slice(hit.indexOf("=") + 1) : "true";
}

/** A process-count flag: undefined when absent; exits with a usage error unless a whole number ≥ 1. */
function countFlag(name: string): number | undefined {
  const v = flag(name);
  if (v === undefined) return undefined;
  const n = Number(v);
  if (!Number.isInteger(n) || n < 1) {
    console.error(`--${name} takes a whole number of processes ≥ 1, got "${v}"`);
    process.exit(2);
  }
  return n;
}

const quick = flag("quick") !== undefined;
const runs = Math.max(1, Number(flag("runs") ?? 1));
const modes = (flag("modes") ?? "new,keepalive").split(",").filter((m): m is ClientMode => m === "new" || m === "keepalive");
const only = (flag("only") ?? "").split(",").map((s) => s.trim()).filter(Boolean);
const cooldownMs = Number(flag("cooldown") ?? (quick ? 300 : 2000));
const cpuProf = flag("cpu-prof");
const workers = countFlag("workers");
const protoWorkers = countFlag("proto-workers");
const serverRoot = flag("server-root") ? resolve(flag("server-root")!) : undefined;
const notes = process.argv.filter((a) => a.startsWith("--note=")).map((a) => a.slice(7));
const posts = quick ? POSTS_COLLECTIONS.filter((p) => p.name === "posts10k") : [...POSTS_COLLECTIONS];

const machine = machineInfo();
console.log(`Satchel benchmark — ${quick ? "quick" : "full"} mode, ${runs} run(s), client modes: ${modes.join(", ")}`);
console.log(`${machine.cores} cores, ${machine.cpuModel}; load ${machine.loadBefore}; commit ${machine.commit}`);

const report = await runHarness({
  sizes: { organizations: 100, permissions: 50, users: 500, posts: posts.map((p) => ({ name: p.name, size: p.size })) },
  profile: { posts: posts.map((p) => p.name), quick },
  modes,
  runs,
  only,
  bare: flag("no-bare") === undefined,
  cooldownMs,
  cpuProfDir: cpuProf ? resolve(cpuProf) : undefined,
  workers,
  protoWorkers,
  serverRoot,
}).catch((err: unknown) => {
  console.error(`Error: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(2);
});

const serverLabel = workers ? `, serve --workers=${workers}` : protoWorkers ? `, workers prototype × ${protoWorkers} (bench/workers-proto.ts)` : "";
const modeLabel = `${quick ? "quick" : "full"}${serverRoot ? `, server from ${serverRoot}` : ""}${serverLabel}${only.length ? ` (only ${only.join(", ")})` : ""}`;
const allNotes = [
  "Client: bench/client.ts (Bun fetch) in its own process on the same machine; upstream's client runs inside the PocketBase process.",
  "Custom code: the JS rows run bench/hooks/custom-js.pb.js (upstream's JS route and hook); the TS rows run bench/hooks/custom-ts.pb.ts, Satchel's native API loaded as a `.pb.ts` hooks file, beside upstream's Go figures.",
  ...(workers || protoWorkers ? ["RSS and server CPU are summed over the server's process tree (primary and workers); shared pages count once per process."] : []),
  "Server CPU below ~90 % at concurrency 1000 means the client (one Bun process opening up to 1000 connections on the same 2 cores) limited the rate, not the server.",
  ...notes,
];
const section = renderRun(report, machine, modeLabel, allNotes);
console.log("\n" + section);

const json = flag("json");
if (json) writeFileSync(resolve(json), JSON.stringify({ machine, mode: modeLabel, report: { ...report, scenarios: report.scenarios.map((s) => s.id) } }, null, 2));

if (flag("no-write") === undefined) {
  if (!existsSync(RESULTS)) writeFileSync(RESULTS, "# Benchmark results\n\nAppended by `npm run bench`; never rewrite old entries.\n\n");
  appendFileSync(RESULTS, section + "\n");
  console.log(`appended to ${RESULTS}`);
}
const failed = report.runs.flatMap((r) => r.results).filter((r) => r.failed).length;
process.exit(failed > 0 ? 1 : 0);
