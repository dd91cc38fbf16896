import type { App } from "../core/app.ts";
import type { RunningServer } from "../http/server.ts";

/**
 * How long in-flight requests may run after SIGINT/SIGTERM before their connections are closed.
 * NB: Bun's `server.stop(false)` waits for every open response, long-lived ones (SSE streams)
 * included, so without this cap one open realtime client would keep the process alive for good.
 * It stays below Docker's 10 s between SIGTERM and SIGKILL.
 */
export const SHUTDOWN_GRACE_MS = 5000;

/** The signals that stop `serve`. */
const SIGNALS = ["SIGINT", "SIGTERM"] as const;

/** A server waiting to be shut down. */
export interface ShutdownHandle {
  /** Resolves with the exit code once the server is stopped and the app terminated. */
  exited: Promise<number>;
  /**
   * Starts the shutdown, as SIGINT/SIGTERM do; calling it again (a second signal) stops waiting
   * for the remaining requests.
   */
  shutdown(reason?: string): void;
}

/**
 * Installs the SIGINT/SIGTERM handlers of `serve`. A shutdown stops listening, lets in-flight
 * requests finish (at most `graceMs`; a second signal cuts that short), then terminates the app,
 * which closes the databases after checkpointing their WAL. The handlers are removed at the end.
 */
export function handleShutdownSignals(app: App, running: RunningServer, graceMs: number = SHUTDOWN_GRACE_MS, signals: readonly NodeJS.Signals[] = SIGNALS): ShutdownHandle {
  let resolveExit!: (code: number) => void;
  const exited = new Promise<number>((r) => (resolveExit = r));
  let forceNow: (() => void) | null = null;

  const run = async (forced: Promise<void>): Promise<void> => {
    let timer: ReturnType<typeof setTimeout> | undefined;
    const timeout = new Promise<void>((r) => (timer = setTimeout(r, graceMs)));
    let exitCode = 0;
    try {
      const drained = await Promise.race([running.stop().then(() => true), timeout.then(() => false), forced.then(() => false)]);
      if (!drained) await running.server.stop(true);
    } catch (err) {
      console.error(`Error: stopping the server failed: ${err instanceof Error ? err.message : String(err)}`);
      exitCode = 1;
    } finally {
      clearTimeout(timer);
    }
    try {
      app.terminate();
    } catch (err) {
      console.error(`Error: closing the app failed: ${err instanceof Error ? err.message : String(err)}`);
      exitCode = 1;
    }
    for (const s of signals) process.off(s, onSignal);
    resolveExit(exitCode);
  };

  const shutdown = (reason = "shutdown"): void => {
    if (forceNow) {
      forceNow();
      return;
    }
    const forced = new Promise<void>((r) => (forceNow = r));
    if (app.isDev()) console.log(`Received ${reason}, shutting down…`);
    void run(forced);
  };
  const onSignal = (signal: string): void => shutdown(signal);
  for (const s of signals) process.on(s, onSignal);
  return { exited, shutdown };
}
