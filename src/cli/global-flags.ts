import type { App } from "../core/app.ts";
import { UsageError, type FlagSpec } from "./args.ts";
import { defaultDataDir, defaultPublicDir, siblingDir } from "./paths.ts";

/**
 * The flags every command accepts (PocketBase's persistent flags plus those of its prebuilt
 * `main.go`), so a command line or a service unit written for `pocketbase` works unchanged.
 */
export const GLOBAL_FLAGS: FlagSpec[] = [
  { name: "dir", type: "string", description: "the PocketBase-compatible data directory (default \"pb_data\" beside the executable)", default: "" },
  { name: "encryptionEnv", type: "string", description: "the env variable whose value of 32 characters will be used as encryption key for the app settings", default: "" },
  { name: "dev", type: "bool", description: "enable dev mode: prints logs and SQL statements to the console", default: false },
  { name: "queryTimeout", type: "number", description: "the default SELECT queries timeout in seconds", default: 30 },
  { name: "publicDir", type: "string", description: "the directory to serve static files (default \"pb_public\" beside the executable)", default: "" },
  { name: "indexFallback", type: "bool", description: "fallback the request to index.html on missing static path", default: true },
  { name: "hooksDir", type: "string", description: "the directory with the JS app hooks (default \"pb_hooks\" beside the data directory)", default: "" },
  { name: "hooksWatch", type: "bool", description: "auto restart the app on pb_hooks file change", default: true },
  { name: "hooksPool", type: "number", description: "the number of prewarmed JS runtimes for the app hooks", default: 15 },
  { name: "migrationsDir", type: "string", description: "the directory with the user defined migrations (default \"pb_migrations\" beside the data directory)", default: "" },
  { name: "automigrate", type: "bool", description: "enable/disable auto migrations", default: true },
];

/** The global options after defaults and checks. */
export interface GlobalOptions {
  dataDir: string;
  publicDir: string;
  hooksDir: string;
  migrationsDir: string;
  /** The env variable name (empty when settings are stored in plain JSON). */
  encryptionEnv: string;
  dev: boolean;
  queryTimeout: number;
  indexFallback: boolean;
  hooksWatch: boolean;
  hooksPool: number;
  automigrate: boolean;
}

/**
 * Applies the defaults of the path flags and checks the values that `parseArgs` cannot: the
 * `--encryptionEnv` variable must exist and hold exactly 32 characters. Throws `UsageError`.
 */
export function resolveGlobalOptions(flags: { [k: string]: string | boolean | number }, env: { [name: string]: string | undefined } = process.env): GlobalOptions {
  const dataDir = String(flags.dir || defaultDataDir());
  const encryptionEnv = String(flags.encryptionEnv ?? "");
  if (encryptionEnv) {
    const key = env[encryptionEnv];
    if (key === undefined || key === "") throw new UsageError(`--encryptionEnv: the environment variable ${encryptionEnv} is not set (it must hold a key of exactly 32 characters)`);
    if (key.length !== 32) throw new UsageError(`--encryptionEnv: the environment variable ${encryptionEnv} must hold a key of exactly 32 characters (it has ${key.length})`);
  }
  const queryTimeout = Number(flags.queryTimeout ?? 30);
  if (!Number.isInteger(queryTimeout)) throw new UsageError(`invalid value "${flags.queryTimeout}" for flag --queryTimeout: expected a whole number of seconds`);
  const hooksPool = Number(flags.hooksPool ?? 15);
  if (!Number.isInteger(hooksPool)) throw new UsageError(`invalid value "${flags.hooksPool}" for flag --hooksPool: expected a whole number`);
  return {
    dataDir,
    publicDir: String(flags.publicDir || defaultPublicDir()),
    hooksDir: String(flags.hooksDir || siblingDir(dataDir, "pb_hooks")),
    migrationsDir: String(flags.migrationsDir || siblingDir(dataDir, "pb_migrations")),
    encryptionEnv,
    dev: flags.dev === true,
    queryTimeout,
    indexFallback: flags.indexFallback !== false,
    hooksWatch: flags.hooksWatch !== false,
    hooksPool,
    automigrate: flags.automigrate !== false,
  };
}

/**
 * Opens the app's data; a failure becomes one clear line naming the data directory (and, with
 * `--encryptionEnv`, the likely cause: a key other than the one the settings were saved with).
 */
export function bootstrapApp(app: App, opts: GlobalOptions): void {
  try {
    app.bootstrap();
  } catch (err) {
    try {
      app.terminate();
    } catch {
      // nothing was open
    }
    const msg = err instanceof Error ? err.message : String(err);
    const hint = opts.encryptionEnv && /decrypt|authenticate|settings/i.test(msg) ? ` (is $${opts.encryptionEnv} the key the settings were encrypted with?)` : "";
    throw new Error(`cannot open the data directory ${opts.dataDir}: ${msg}${hint}`);
  }
}
