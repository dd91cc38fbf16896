/**
 * The child processes of a benchmark run: the server under test (Satchel's `serve`, the workers
 * prototype, or the bare baseline) and the client. Server RSS and CPU are read from /proc over
 * the server's whole process tree (bench/proc-stats.ts).
 */
import { join, resolve } from "node:path";
import type { Subprocess } from "bun";
import type { Job, JobResult } from "./load.ts";
import { hooksDirOf } from "./hook-files.ts";
import { listeningPids, processTree, treeAnonKb, treeCpuMs, treeRssKb } from "./proc-stats.ts";

/** The repository root. */
export const ROOT = resolve(import.meta.dir, "..");
/** The Bun binary running this script (the pinned npm one under `npm run bench`). */
export const BUN = process.execPath;

/** A server child process, possibly the root of several (a primary and its workers). */
export interface ServerProcess {
  pid: number;
  url: string;
  /** The process and its descendants. */
  pids(): number[];
  /** Resident set size summed over the process tree, in KiB (0 once it is gone). */
  rssKb(): number;
  /** RssAnon (heap, without mapped files) summed over the server's processes, in KiB. */
  anonKb(): number;
  /** User + system CPU time summed over the process tree, in ms. */
  cpuMs(): number;
  stop(): Promise<void>;
}

/** A free TCP port on 127.0.0.1. */
export function freePort(): number {
  const s = Bun.serve({ hostname: "127.0.0.1", port: 0, fetch: () => new Response("") });
  const port = s.port!;
  s.stop(true);
  return port;
}

/**
 * Waits until the server answers `/api/health` and `listeners` processes of its tree listen on
 * the port. NB: with reusePort the first worker answers the health check while the others may
 * still be starting; counting the listening sockets tells when all of them take connections.
 */
async function waitReady(url: string, port: number, proc: Subprocess, listeners: number, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let healthy = false;
  while (Date.now() < deadline) {
    if (proc.exitCode !== null) throw new Error(`server exited early with code ${proc.exitCode}`);
    if (!healthy) {
      try {
        const res = await fetch(`${url}/api/health`);
        await res.text();
        healthy = res.ok;
      } catch {
        // not listening yet
      }
    }
    if (healthy && (listeners <= 1 || listeningPids(processTree(proc.pid), port).length >= listeners)) return;
    await Bun.sleep(50);
  }
  const seen = listeningPids(processTree(proc.pid), port).length;
  throw new Error(`server at ${url} did not become ready in ${timeoutMs} ms${listeners > 1 ? ` (${seen} of ${listeners} worker processes listening)` : ""}`);
}

function serverProcess(cmd: string[], port: number, listeners = 1): Promise<ServerProcess> {
  const proc = Bun.spawn({ cmd, cwd: ROOT, stdout: "ignore", stderr: "inherit", env: process.env });
  const url = `http://127.0.0.1:${port}`;
  const sp: ServerProcess = {
    pid: proc.pid,
    url,
    pids: () => processTree(proc.pid),
    rssKb: () => treeRssKb(proc.pid),
    anonKb: () => treeAnonKb(proc.pid),
    cpuMs: () => treeCpuMs(proc.pid),
    async stop() {
      if (proc.exitCode !== null) return;
      // the primary stops its workers; whatever is still running after 15 s is killed
      const tree = processTree(proc.pid);
      proc.kill("SIGTERM");
      const killer = setTimeout(() => {
        for (const pid of tree) killQuietly(pid);
      }, 15_000);
      await proc.exited;
      clearTimeout(killer);
      for (const pid of tree.slice(1)) await waitGone(pid, 15_000);
    },
  };
  return waitReady(url, port, proc, listeners).then(
    () => sp,
    async (err: unknown) => {
      const tree = processTree(proc.pid);
      for (const pid of tree) killQuietly(pid);
      await proc.exited;
      throw err;
    },
  );
}

function killQuietly(pid: number): void {
  try {
    process.kill(pid, "SIGKILL");
  } catch {
    // already gone
  }
}

/** Waits for a process that is not our child (a worker of the server) to end; kills it after `ms`. */
async function waitGone(pid: number, ms: number): Promise<void> {
  const deadline = Date.now() + ms;
  while (processTree(pid).length > 0) {
    if (Date.now() > deadline) {
      killQuietly(pid);
      return;
    }
    await Bun.sleep(20);
  }
}

/** Options of the Satchel server under test. */
export interface SatchelOptions {
  /** Write a CPU profile (and its markdown summary) here when the server exits. */
  cpuProfDir?: string;
  /** Run `serve` from another checkout (a snapshot from before a change, for before/after runs). */
  root?: string;
  /** Pass `--workers=N` to `serve` (N processes on one port; RSS and CPU summed over them). */
  workers?: number;
}

/**
 * Whether `serve` of a checkout has the `--workers` flag (its `serve --help` lists it). The
 * harness asks before seeding, so a missing flag fails at once with a clear message.
 */
export function serveHasWorkersFlag(root = ROOT): boolean {
  const r = Bun.spawnSync({ cmd: [BUN, join(root, "src/main.ts"), "serve", "--help"], cwd: ROOT, stdout: "pipe", stderr: "pipe" });
  return /--workers\b/.test(r.stdout.toString());
}

/**
 * Starts `bun src/main.ts serve --dir … --http 127.0.0.1:<port>` with the pb_data's own hooks and
 * migrations dirs (`<dir>/pb_hooks`, `<dir>/pb_migrations`), so that nothing outside the copy is
 * read. With `workers`, waits until that many processes listen.
 */
export function startSatchel(dataDir: string, opts: SatchelOptions = {}): Promise<ServerProcess> {
  const port = freePort();
  const prof = opts.cpuProfDir ? ["--cpu-prof", "--cpu-prof-md", `--cpu-prof-dir=${opts.cpuProfDir}`] : [];
  const main = join(opts.root ?? ROOT, "src/main.ts");
  const dirs = [`--hooksDir=${hooksDirOf(dataDir)}`, `--migrationsDir=${join(dataDir, "pb_migrations")}`];
  const workers = opts.workers !== undefined ? [`--workers=${opts.workers}`] : [];
  return serverProcess([BUN, ...prof, main, "serve", `--dir=${dataDir}`, `--http=127.0.0.1:${port}`, ...dirs, ...workers], port, opts.workers ?? 1);
}

/** Starts the bare Bun.serve + bun:sqlite baseline on a pb_data's data.db. */
export function startBare(dataDir: string): Promise<ServerProcess> {
  const port = freePort();
  return serverProcess([BUN, "bench/bare-server.ts", `${dataDir}/data.db`, String(port)], port);
}

/**
 * Starts the bench-only `--workers` prototype (bench/workers-proto.ts): a primary that runs `n`
 * worker processes on one port (reusePort). RSS and CPU are summed over the tree, as for
 * `serve --workers`.
 */
export function startWorkersPrototype(dataDir: string, n: number): Promise<ServerProcess> {
  const port = freePort();
  return serverProcess([BUN, "bench/workers-proto.ts", `--workers=${n}`, dataDir, String(port)], port, n);
}

/** The client process: sends jobs over IPC and awaits their results. */
export interface ClientProcess {
  run(job: Job): Promise<JobResult>;
  stop(): Promise<void>;
}

/** Starts `bench/client.ts` with an IPC channel. */
export async function startClient(): Promise<ClientProcess> {
  type Msg = { ready?: boolean; ok?: boolean; result?: JobResult; error?: string };
  let waiting: ((m: Msg) => void) | null = null;
  let ready!: () => void;
  const readyP = new Promise<void>((r) => (ready = r));
  const proc = Bun.spawn({
    cmd: [BUN, "bench/client.ts"],
    cwd: ROOT,
    stdout: "inherit",
    stderr: "inherit",
    env: { ...process.env, BUN_CONFIG_MAX_HTTP_REQUESTS: "4096" },
    ipc(message: Msg) {
      if (message.ready) ready();
      else waiting?.(message);
    },
  });
  await readyP;
  return {
    run(job) {
      return new Promise<JobResult>((res, rej) => {
        waiting = (m) => {
          waiting = null;
          if (m.ok && m.result) res(m.result);
          else rej(new Error(`client failed: ${m.error}`));
        };
        proc.send(job);
      });
    },
    async stop() {
      proc.kill("SIGTERM");
      await proc.exited;
    },
  };
}
