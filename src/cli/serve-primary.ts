import type { App } from "../core/app.ts";
import { registerRealtime } from "../core/realtime/register-realtime.ts";
import { appCron } from "../core/cron/app-cron.ts";
import { ClusterPrimary, type SharedCounters } from "../cluster/cluster-primary.ts";

/** What the primary needs from `serve`. */
export interface PrimaryServe {
  app: App;
  workers: number;
  /** The `serve` arguments for the workers (without `--workers`). */
  serveArgs: string[];
  counters: SharedCounters;
  /** Prints the start banner once every worker listens. */
  printBanner(): void;
}

/**
 * Runs the primary of `serve --workers=N` until SIGINT/SIGTERM: starts the workers, then the
 * cron jobs (here only, in the primary's write turn). A second signal kills the workers at once.
 * Returns the exit code.
 */
export async function runPrimary(p: PrimaryServe): Promise<number> {
  const { app } = p;
  const primary = new ClusterPrimary(app, { workers: p.workers, serveArgs: p.serveArgs, counters: p.counters });
  registerRealtime(app, { bus: primary.bus });
  let resolveExit!: (code: number) => void;
  const exited = new Promise<number>((r) => (resolveExit = r));
  let stopping: Promise<void> | null = null;
  const onSignal = () => {
    if (stopping) {
      void primary.stop(true);
      return;
    }
    stopping = (async () => {
      appCron(app).stop();
      await primary.stop();
      app.terminate();
      process.off("SIGINT", onSignal);
      process.off("SIGTERM", onSignal);
      resolveExit(0);
    })();
  };
  process.on("SIGINT", onSignal);
  process.on("SIGTERM", onSignal);
  try {
    await primary.start();
  } catch (err) {
    // a signal during the start stops the workers on purpose: that is a clean exit
    if (stopping) return await exited;
    process.off("SIGINT", onSignal);
    process.off("SIGTERM", onSignal);
    await primary.stop(true);
    app.terminate();
    console.error(`Error: failed to start the workers: ${err instanceof Error ? err.message : String(err)}`);
    return 1;
  }
  // the installer superuser is written here: in the primary's turn, as the workers already run
  const endTurn = await primary.acquireWrite();
  try {
    p.printBanner();
  } finally {
    endTurn();
  }
  const cron = appCron(app);
  cron.guard = async (run) => {
    const endTurn = await primary.acquireWrite();
    try {
      primary.syncCaches();
      return await run();
    } finally {
      endTurn();
    }
  };
  cron.start();
  return await exited;
}
