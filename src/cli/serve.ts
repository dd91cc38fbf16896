import { existsSync } from "node:fs";
import { App } from "../core/app.ts";
import { startServer, parseAddress, type RunningServer } from "../http/server.ts";
import { parseArgs, formatFlags, UsageError, type FlagSpec } from "./args.ts";
import { GLOBAL_FLAGS, bootstrapApp, resolveGlobalOptions } from "./global-flags.ts";
import { commandName } from "./paths.ts";
import { ensureInstallerSuperuser } from "../core/auth/installer.ts";
import { handleShutdownSignals } from "./graceful-shutdown.ts";
import { loadJsvm } from "./jsvm-setup.ts";
import { appCron } from "../core/cron/app-cron.ts";
import { MAX_WORKERS, announceWorker, joinCluster, workerSlotFromEnv } from "./serve-cluster.ts";
import { runPrimary } from "./serve-primary.ts";
import { PrimaryCounters, WorkerCounter } from "../cluster/shared-counters.ts";
import { rateLimitCounter, setRateLimitCounter } from "../core/rate-limit/rate-limit-counter.ts";

/** The flags of `serve`: its own, then the global ones; PocketBase's names and defaults. */
export const SERVE_FLAGS: FlagSpec[] = [
  { name: "http", type: "string", description: "TCP address to listen for the HTTP server", default: "127.0.0.1:8090" },
  { name: "https", type: "string", description: "TCP address to listen for the HTTPS server (not supported yet)", default: "" },
  { name: "origins", type: "string", description: "CORS allowed domain origins list", default: "*" },
  { name: "workers", type: "number", description: "the number of server processes sharing the port (one per CPU core is the most useful; 1 = a single process)", default: 1 },
  ...GLOBAL_FLAGS,
];

/** Help text of `serve`. */
export const SERVE_HELP = `Starts the web server (default to 127.0.0.1:8090 if no domain is specified)

Usage:
  satchel serve [flags]

Flags:
${formatFlags(SERVE_FLAGS)}
  -h, --help
        help for serve
`;

/** `2006/01/02 15:04:05` in local time, the prefix of Go's standard logger that PocketBase prints. */
function logDate(d = new Date()): string {
  const p = (n: number) => String(n).padStart(2, "0");
  return `${d.getFullYear()}/${p(d.getMonth() + 1)}/${p(d.getDate())} ${p(d.getHours())}:${p(d.getMinutes())}:${p(d.getSeconds())}`;
}

/**
 * PocketBase parity: the start banner, then — while no real superuser exists — the one-time
 * installer link (a 30-minute superuser token for the dashboard's install page) and the CLI hint.
 */
function printBanner(app: App, base: string): void {
  const installToken = ensureInstallerSuperuser(app);
  let text = `${logDate()} Server started at ${base}\n├─ REST API:  ${base}/api/\n└─ Dashboard: ${base}/_/\n`;
  if (installToken) {
    text +=
      `\n(!) Launch the URL below in the browser if it hasn't been open already to create your first superuser account:\n` +
      `${base}/_/#/pbinstall/${installToken}\n` +
      `(you can also create your first superuser by running: ${commandName()} superuser upsert EMAIL PASS)\n`;
  }
  console.log(text);
}

/** The base URL printed for `--http` (`:8090` means 127.0.0.1). */
function baseUrl(http: string): string {
  const { hostname, port } = parseAddress(http);
  return `http://${hostname.includes(":") ? `[${hostname}]` : hostname}:${port}`;
}

/** `argv` without `--name`, `--name=value` or `--name value`. */
function withoutFlag(argv: string[], name: string): string[] {
  const out: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    const body = a.replace(/^--?/, "");
    if (a.startsWith("-") && body === name) {
      i++;
      continue;
    }
    if (a.startsWith("-") && body.startsWith(`${name}=`)) continue;
    out.push(a);
  }
  return out;
}

/** Runs `serve` until SIGINT/SIGTERM; returns the process exit code. */
export async function runServe(argv: string[]): Promise<number> {
  if (argv.includes("--help") || argv.includes("-h")) {
    console.log(SERVE_HELP);
    return 0;
  }
  const { flags, positional } = parseArgs(argv, SERVE_FLAGS);
  if (positional.length > 0) throw new UsageError(`serving domains with automatic TLS is not supported yet (got "${positional.join(" ")}"); use --http=host:port behind a TLS proxy`);
  if (flags.https) throw new UsageError("--https is not supported yet; use --http=host:port behind a TLS proxy");
  const http = String(flags.http);
  try {
    parseAddress(http);
  } catch (err) {
    throw new UsageError((err as Error).message);
  }
  const opts = resolveGlobalOptions(flags);
  const workers = Number(flags.workers);
  if (!Number.isInteger(workers) || workers < 1 || workers > MAX_WORKERS) throw new UsageError(`--workers must be a whole number from 1 to ${MAX_WORKERS}`);
  const slot = workerSlotFromEnv();
  const isPrimary = slot === null && workers > 1;
  if (isPrimary && parseAddress(http).port === 0) throw new UsageError("--workers needs a fixed port in --http (the workers share it)");
  // NB: --hooksPool, --automigrate and --indexFallback are accepted (and resolved in `opts`) so
  // PocketBase command lines keep working; they have no effect yet.
  const app = new App({ dataDir: opts.dataDir, isDev: opts.dev, encryptionEnv: opts.encryptionEnv, queryTimeout: opts.queryTimeout });
  // PocketBase parity: pb_migrations and pb_hooks load before bootstrap; pending migrations run before serving
  const jsvm = await loadJsvm(app, opts, { watch: opts.hooksWatch });
  bootstrapApp(app, opts);
  // with workers, the primary alone migrates (before it starts them)
  if (slot === null) {
    try {
      jsvm.migrateUp();
    } catch (err) {
      app.terminate();
      throw err;
    }
  }
  if (isPrimary) {
    return await runPrimary({
      app,
      workers,
      serveArgs: withoutFlag(argv, "workers"),
      counters: new PrimaryCounters((kind) => rateLimitCounter(app, kind)),
      printBanner: () => printBanner(app, baseUrl(http)),
    });
  }
  const worker = slot === null ? null : joinCluster(app, slot);
  if (worker) {
    for (const kind of ["requests", "auth"] as const) setRateLimitCounter(app, new WorkerCounter(kind, (call) => worker.count(call)), kind);
  }
  const serveOpts = {
    http,
    origins: String(flags.origins).split(",").map((s) => s.trim()).filter(Boolean),
    publicDir: existsSync(opts.publicDir) ? opts.publicDir : undefined,
    reusePort: worker !== null,
  };
  let running: RunningServer;
  try {
    running = startServer(app, serveOpts);
  } catch (err) {
    app.terminate();
    const msg = err instanceof Error ? err.message : String(err);
    console.error(`Error: failed to start the server on ${http}: ${msg}`);
    return 1;
  }
  if (worker) running = announceWorker(app, worker, running, serveOpts);
  // a worker stops when the primary says so (SIGTERM) or goes away; Ctrl-C reaches the primary
  const stopper = handleShutdownSignals(app, running, undefined, worker ? ["SIGTERM"] : undefined);
  if (worker) {
    process.on("SIGINT", () => undefined);
    process.on("disconnect", () => stopper.shutdown("the primary process went away"));
  }
  try {
    if (!worker) printBanner(app, running.url);
    await app.hooks.serve.triggerAsync({ app, server: running.server, router: running.router, next: () => undefined });
    if (!worker) appCron(app).start();
  } catch (err) {
    // a failing onServe handler stops the start: close what was opened, then report it
    stopper.shutdown();
    await stopper.exited;
    throw err;
  }
  return await stopper.exited;
}
