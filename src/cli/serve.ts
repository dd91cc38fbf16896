import { existsSync } from "node:fs";
import { App } from "../core/app.ts";
import { startServer, parseAddress, type RunningServer } from "../http/server.ts";
import { parseArgs, formatFlags, UsageError, type FlagSpec } from "./args.ts";
import { defaultDataDir, siblingDir } from "./paths.ts";
import { ensureInstallerSuperuser } from "../core/auth/installer.ts";

/** The flags of `serve`, PocketBase's names and defaults. */
export const SERVE_FLAGS: FlagSpec[] = [
  { name: "http", type: "string", description: "TCP address to listen for the HTTP server", default: "127.0.0.1:8090" },
  { name: "dir", type: "string", description: "the PocketBase-compatible data directory", default: "" },
  { name: "dev", type: "bool", description: "enable dev mode: prints logs and SQL statements to the console", default: false },
  { name: "origins", type: "string", description: "CORS allowed domain origins list", default: "*" },
  { name: "publicDir", type: "string", description: "the directory to serve static files", default: "" },
  { name: "hooksDir", type: "string", description: "the directory with the JS app hooks", default: "" },
  { name: "migrationsDir", type: "string", description: "the directory with the user defined migrations", default: "" },
  { name: "encryptionEnv", type: "string", description: "the env variable whose value of 32 characters will be used as encryption key for the app settings", default: "" },
  { name: "queryTimeout", type: "number", description: "the default SELECT queries timeout in seconds", default: 30 },
];

/** Help text of `serve`. */
export const SERVE_HELP = `Starts the web server (default to 127.0.0.1:8090 if no domain is specified)

Usage:
  satchel serve [flags]

Flags:
${formatFlags(SERVE_FLAGS)}
`;

/** Runs `serve` until SIGINT/SIGTERM; returns the process exit code. */
export async function runServe(argv: string[]): Promise<number> {
  if (argv.includes("--help") || argv.includes("-h")) {
    console.log(SERVE_HELP);
    return 0;
  }
  const { flags, positional } = parseArgs(argv, SERVE_FLAGS);
  if (positional.length > 0) throw new UsageError(`serve takes no domain arguments in this build (got "${positional.join(" ")}"); use --http=host:port`);
  const http = String(flags.http);
  try {
    parseAddress(http);
  } catch (err) {
    throw new UsageError((err as Error).message);
  }
  const dataDir = String(flags.dir || defaultDataDir());
  const publicDir = String(flags.publicDir || siblingDir(dataDir, "pb_public"));
  const encryptionEnv = String(flags.encryptionEnv);
  if (encryptionEnv && (process.env[encryptionEnv] ?? "").length !== 32) {
    throw new UsageError(`--encryptionEnv: the environment variable ${encryptionEnv} must hold a key of exactly 32 characters`);
  }
  const app = new App({ dataDir, isDev: !!flags.dev, encryptionEnv, queryTimeout: Number(flags.queryTimeout) });
  app.bootstrap();
  let running: RunningServer;
  try {
    running = startServer(app, {
      http,
      origins: String(flags.origins).split(",").map((s) => s.trim()).filter(Boolean),
      publicDir: existsSync(publicDir) ? publicDir : undefined,
    });
  } catch (err) {
    app.terminate();
    const msg = err instanceof Error ? err.message : String(err);
    console.error(`Error: failed to start the server on ${http}: ${msg}`);
    return 1;
  }
  const base = running.url;
  const installToken = ensureInstallerSuperuser(app);
  console.log(`\n> Server started at ${base}\n├─ REST API:  ${base}/api/\n└─ Dashboard: ${base}/_/\n`);
  if (installToken) {
    console.log(`(!) Launch the URL below in the browser if it hasn't been open already to create your first superuser account:\n${base}/_/#/pbinstall/${installToken}\n(you can also create your first superuser by running: satchel superuser upsert EMAIL PASS)\n`);
  }
  await app.hooks.serve.triggerAsync({ app, server: running.server, next: () => undefined });

  return await new Promise<number>((resolveExit) => {
    let stopping = false;
    const shutdown = async (signal: string) => {
      if (stopping) return;
      stopping = true;
      if (app.isDev()) console.log(`received ${signal}, shutting down…`);
      try {
        await running.stop();
      } finally {
        app.terminate();
        resolveExit(0);
      }
    };
    process.on("SIGINT", () => void shutdown("SIGINT"));
    process.on("SIGTERM", () => void shutdown("SIGTERM"));
  });
}
