import { rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Subprocess } from "bun";
import type { App } from "../core/app.ts";
import { randomString } from "../tools/security.ts";
import { CacheGeneration } from "./cache-generation.ts";
import { ClusterMember } from "./cluster-member.ts";
import { IpcBus } from "./ipc-bus.ts";
import type { StoreChange } from "./replicated-store.ts";
import { WriteTurnArbiter, WriteTurns } from "./write-turns.ts";
import { WORKER_ENV, type CounterCall, type PrimaryMessage, type WorkerMessage } from "./protocol.ts";

/** The arbiter's name for the primary itself (its cron jobs write too). */
const PRIMARY = -1;
/** How long a worker may take to start before `serve` gives up. */
const START_TIMEOUT_MS = 30_000;
/** How long stopping workers may take before they are killed. */
const STOP_TIMEOUT_MS = 10_000;

/** Answers the workers' shared-counter calls (rate limits, OTP attempts, resend throttles). */
export interface SharedCounters {
  /** Performs one call; the result goes back to the worker. */
  answer(call: CounterCall): boolean;
}

/** How the primary starts its workers. */
export interface PrimaryOptions {
  /** The number of worker processes. */
  workers: number;
  /** The `serve` arguments the workers get (without `--workers`). */
  serveArgs: string[];
  /** The shared counters. */
  counters: SharedCounters;
}

interface WorkerProc {
  slot: number;
  proc: Subprocess;
  ready: boolean;
}

/**
 * The primary process of `serve --workers=N`: it runs the migrations, the cron jobs and the
 * installer (once, not per worker), starts N `serve` workers that share the port with
 * `reusePort`, restarts a worker that dies, and relays what the workers share: write turns,
 * realtime events, `$app.store()` changes and the shared counters. It serves no HTTP itself.
 */
export class ClusterPrimary extends ClusterMember {
  private readonly workers = new Map<number, WorkerProc>();
  private readonly peerUrls: { [slot: number]: string } = {};
  private readonly arbiter: WriteTurnArbiter<number>;
  private readonly generationFile: string;
  private readonly secret = randomString(40);
  /** The primary's realtime bus (its own record changes, e.g. from cron jobs, reach the workers). */
  readonly bus: IpcBus;
  private stopping = false;
  private crashes: number[] = [];
  private readonly exits = new Map<number, Promise<void>>();

  /** Prepares the shared state; `start` spawns the workers. */
  constructor(
    app: App,
    private readonly opts: PrimaryOptions,
  ) {
    const generationFile = join(tmpdir(), `satchel-${process.pid}-${randomString(8)}.gen`);
    CacheGeneration.create(generationFile);
    // NB: the primary's own turn requests reach the arbiter in a microtask, never re-entrantly
    let arbiter: WriteTurnArbiter<number> | null = null;
    const turns = new WriteTurns((m) => queueMicrotask(() => (m === "want" ? arbiter!.want(PRIMARY) : arbiter!.release(PRIMARY))));
    super(app, turns, generationFile, (change) => {
      // NB: throws for a value that cannot be copied (the store then keeps it here and warns once)
      if (change.op === "set") structuredClone(change.value);
      this.broadcast({ t: "store", ...change }, null);
    });
    this.generationFile = generationFile;
    this.arbiter = arbiter = new WriteTurnArbiter<number>((to, m) => {
      if (to === PRIMARY) queueMicrotask(() => (m === "grant" ? turns.granted() : turns.yieldRequested()));
      else this.sendTo(to, { t: m });
    });
    this.bus = new IpcBus((event) => this.broadcast({ t: "bus", event }, null));
  }

  /** Starts every worker; resolves once all listen, rejects when one fails to start. */
  async start(): Promise<void> {
    const starting = [];
    for (let slot = 0; slot < this.opts.workers; slot++) starting.push(this.spawn(slot));
    await Promise.all(starting);
  }

  /** Stops every worker (SIGTERM, then SIGKILL after a grace period) and resolves when they exited. */
  async stop(force = false): Promise<void> {
    this.stopping = true;
    for (const w of this.workers.values()) w.proc.kill(force ? "SIGKILL" : "SIGTERM");
    const all = Promise.all([...this.exits.values()]);
    let timer: ReturnType<typeof setTimeout> | undefined;
    const late = new Promise<void>((r) => (timer = setTimeout(r, STOP_TIMEOUT_MS)));
    await Promise.race([all, late]);
    clearTimeout(timer);
    for (const w of this.workers.values()) w.proc.kill("SIGKILL");
    await all;
    rmSync(this.generationFile, { force: true });
  }

  // --- workers ---------------------------------------------------------------------------------

  private spawn(slot: number): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      let settled = false;
      const timer = setTimeout(() => fail(new Error(`worker ${slot} did not start within ${START_TIMEOUT_MS / 1000} s`)), START_TIMEOUT_MS);
      const fail = (err: Error) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        reject(err);
      };
      let markExited!: () => void;
      this.exits.set(slot, new Promise<void>((r) => (markExited = r)));
      const proc = Bun.spawn([...selfCommand(), "serve", ...this.opts.serveArgs], {
        env: { ...process.env, [WORKER_ENV.slot]: String(slot), [WORKER_ENV.peerSecret]: this.secret, [WORKER_ENV.generationFile]: this.generationFile },
        stdin: "ignore",
        stdout: "inherit",
        stderr: "inherit",
        serialization: "advanced",
        ipc: (message: WorkerMessage) => {
          if (message.t === "ready") {
            worker.ready = true;
            this.peerUrls[slot] = message.peerUrl;
            this.sendTo(slot, { t: "store.snapshot", entries: [...this.store.entries()] });
            this.broadcast({ t: "peers", urls: this.peerUrls }, null);
            if (!settled) {
              settled = true;
              clearTimeout(timer);
              resolve();
            }
            return;
          }
          this.receive(slot, message);
        },
        onExit: (_p, code, sig) => {
          markExited();
          const signal = sig === null || sig === undefined ? null : String(sig);
          this.workerExited(slot, worker, code, signal);
          fail(new Error(`worker ${slot} exited while starting (${signal ?? `code ${code}`})`));
        },
      });
      const worker: WorkerProc = { slot, proc, ready: false };
      this.workers.set(slot, worker);
    });
  }

  private workerExited(slot: number, worker: WorkerProc, code: number | null, signal: string | null): void {
    if (this.workers.get(slot) !== worker) return;
    this.arbiter.gone(slot);
    delete this.peerUrls[slot];
    if (this.stopping || !worker.ready) return;
    const now = Date.now();
    this.crashes = this.crashes.filter((t) => now - t < 60_000);
    this.crashes.push(now);
    const delay = Math.min(5000, 100 * 2 ** (this.crashes.length - 1));
    console.error(`[satchel] worker ${slot} (pid ${worker.proc.pid}) exited (${signal ?? `code ${code}`}); restarting it in ${delay} ms`);
    setTimeout(() => {
      if (this.stopping) return;
      this.spawn(slot).catch((err: Error) => console.error(`[satchel] restarting worker ${slot} failed: ${err.message}`));
    }, delay);
  }

  private receive(slot: number, m: WorkerMessage): void {
    switch (m.t) {
      case "want":
        return this.arbiter.want(slot);
      case "release":
        return this.arbiter.release(slot);
      case "bus":
        return this.broadcast(m, slot);
      case "call":
        return this.sendTo(slot, { t: "reply", id: m.id, value: this.opts.counters.answer(m.call) });
      case "store": {
        const change = (m.op === "clear" ? { op: "clear" } : m.op === "delete" ? { op: "delete", key: m.key! } : { op: "set", key: m.key!, value: m.value }) as StoreChange;
        this.store.apply(change);
        return this.broadcast(m, slot);
      }
      case "ready":
        return;
    }
  }

  private sendTo(slot: number, m: PrimaryMessage): void {
    const w = this.workers.get(slot);
    if (!w || w.proc.killed || w.proc.exitCode !== null) return;
    try {
      w.proc.send(m);
    } catch (err) {
      console.error(`[satchel] could not reach worker ${slot}: ${err instanceof Error ? err.message : String(err)}`);
    }
  }

  private broadcast(m: PrimaryMessage, except: number | null): void {
    for (const slot of this.workers.keys()) if (slot !== except) this.sendTo(slot, m);
  }
}

/** The command that starts this program again: the compiled binary, or Bun with the entry file. */
export function selfCommand(): string[] {
  const compiled = Bun.main.startsWith("/$bunfs/") || Bun.main.includes("~BUN");
  return compiled ? [process.execPath] : [process.execPath, Bun.main];
}
