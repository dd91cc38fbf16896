import { dirname, join, resolve } from "node:path";

/**
 * True when running as the compiled single executable (`bun build --compile`), where the entry
 * module lives in Bun's embedded file system.
 */
export function isCompiledBinary(): boolean {
  return import.meta.url.includes("$bunfs") || import.meta.url.includes("~BUN");
}

/**
 * The default `--dir`: `pb_data` beside the executable for the compiled binary (as PocketBase
 * does), `./pb_data` in the working directory when run from source.
 */
export function defaultDataDir(): string {
  if (isCompiledBinary()) return join(dirname(process.execPath), "pb_data");
  return resolve("pb_data");
}

/** The default of the sibling directories (`pb_public`, `pb_hooks`, `pb_migrations`). */
export function siblingDir(dataDir: string, name: string): string {
  return join(dirname(resolve(dataDir)), name);
}
