/**
 * The child processes of a benchmark run: the server under test (Satchel's `serve`, or the bare
 * baseline) and the client. Also reads a process's RSS and CPU time from /proc.
 */
import { readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import type { Subprocess } from "bun";
import type { Job, JobResult } from "./load.ts";

/** The repository root. */
export const ROOT = resolve(import.meta.dir, "..");
/** The Bun binary running this script (the pinned npm one under `npm run bench`). */
export const BUN = process.execPath;

/** A server child process. */
export interface ServerProcess {
  pid: number;
  url: string;
  /** Resident set size in KiB (0 once the process is gone). */
  rssKb(): number;
  /** User + system CPU time in ms. */
  cpuMs(): number;
  stop(): Promise<void>;
}

/** VmRSS of a process in KiB, 0 when unreadable. */
export function readRssKb(pid: number): number {
  try {
    const m = /VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, "utf8"));
    return m ? Number(m[1]) : 0;
  } catch {
    return 0;
  }
}

/** utime + stime of a process in ms, 0 when unreadable. */
export function readCpuMs(pid: number): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    // fields[11] = utime, fields[12] = stime (in clock ticks, 100/s on Linux)
    return (Number(fields[11]) + Number(fields[12])) * 10;
  } catch {
    return 0;
  }
}

/** A free TCP port on 127.0.0.1. */
export function freePort(): number {
  const s = Bun.serve({ hostname: "127.0.0.1", port: 0, fetch: () => new Response("") });
  const port = s.port!;
  s.stop(true);
  return port;
}

async function waitReady(url: string, proc: Subprocess, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (proc.exitCode !== null) throw new Error(`server exited early with code ${proc.exitCode}`);
    try {
      const res = await fetch(`${url}/api/health`);
      await res.text();
      if (res.ok) return;
    } catch {
      // not listening yet
    }
    await Bun.sleep(50);
  }
  throw new Error(`server at ${url} did not become ready in ${timeoutMs} ms`);
}

function serverProcess(cmd: string[], port: number, env: { [k: string]: string | undefined } = {}): Promise<ServerProcess> {
  const proc = Bun.spawn({ cmd, cwd: ROOT, stdout: "ignore", stderr: "inherit", env: { ...process.env, ...env } });
  const url = `http://127.0.0.1:${port}`;
  const sp: ServerProcess = {
    pid: proc.pid,
    url,
    rssKb: () => readRssKb(proc.pid),
    cpuMs: () => readCpuMs(proc.pid),
    async stop() {
      if (proc.exitCode !== null) return;
      proc.kill("SIGTERM");
      const killer = setTimeout(() => proc.kill("SIGKILL"), 15_000);
      await proc.exited;
      clearTimeout(killer);
    },
  };
  return waitReady(url, proc).then(
    () => sp,
    async (err: unknown) => {
      proc.kill("SIGKILL");
      await proc.exited;
      throw err;
    },
  );
}

/**
 * Starts `bun src/main.ts serve --dir … --http 127.0.0.1:<port>`. With `cpuProfDir`, Bun writes a
 * CPU profile (and its markdown summary) there when the server exits; with `root`, the server
 * runs from another checkout (a snapshot from before a change, for before/after runs).
 */
export function startSatchel(dataDir: string, opts: { cpuProfDir?: string; root?: string } = {}): Promise<ServerProcess> {
  const port = freePort();
  const prof = opts.cpuProfDir ? ["--cpu-prof", "--cpu-prof-md", `--cpu-prof-dir=${opts.cpuProfDir}`] : [];
  const main = join(opts.root ?? ROOT, "src/main.ts");
  return serverProcess([BUN, ...prof, main, "serve", `--dir=${dataDir}`, `--http=127.0.0.1:${port}`], port);
}

/** Starts the bare Bun.serve + bun:sqlite baseline on a pb_data's data.db. */
export function startBare(dataDir: string): Promise<ServerProcess> {
  const port = freePort();
  return serverProcess([BUN, "bench/bare-server.ts", `${dataDir}/data.db`, String(port)], port);
}

/**
 * Starts the bench-only `--workers` prototype: `n` processes of bench/workers-proto.ts on one
 * port (reusePort), one after the other. RSS and CPU are summed over the processes.
 */
export async function startWorkersPrototype(dataDir: string, n: number): Promise<ServerProcess> {
  const port = freePort();
  const procs: Subprocess<"ignore", "pipe", "inherit">[] = [];
  try {
    for (let i = 0; i < n; i++) {
      const proc = Bun.spawn({ cmd: [BUN, "bench/workers-proto.ts", dataDir, String(port)], cwd: ROOT, stdin: "ignore", stdout: "pipe", stderr: "inherit" });
      procs.push(proc);
      const reader = proc.stdout.getReader();
      let seen = "";
      while (!seen.includes("ready")) {
        const { done, value } = await reader.read();
        if (done) throw new Error(`worker ${i} exited before listening (code ${await proc.exited})`);
        seen += new TextDecoder().decode(value);
      }
      reader.releaseLock();
    }
  } catch (err) {
    for (const p of procs) p.kill("SIGKILL");
    throw err;
  }
  const sum = (f: (pid: number) => number) => procs.reduce((a, p) => a + f(p.pid), 0);
  return {
    pid: procs[0]!.pid,
    url: `http://127.0.0.1:${port}`,
    rssKb: () => sum(readRssKb),
    cpuMs: () => sum(readCpuMs),
    async stop() {
      for (const p of procs) p.kill("SIGTERM");
      const killer = setTimeout(() => procs.forEach((p) => p.kill("SIGKILL")), 15_000);
      await Promise.all(procs.map((p) => p.exited));
      clearTimeout(killer);
    },
  };
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
