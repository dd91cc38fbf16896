import { dirname, join, resolve } from "node:path";

/**
 * True when running as the compiled single executable (`bun build --compile`): the bundled entry
 * module then lives in Bun's embedded file system (`/$bunfs/root/…` on POSIX, `B:/~BUN/root/…` on
 * Windows) and `process.execPath` is the executable itself.
 */
export function isCompiledBinary(): boolean {
  return [import.meta.url, Bun.main].some((p) => p.includes("$bunfs") || p.includes("%24bunfs") || p.includes("~BUN"));
}

/** The directory of the running executable (compiled) or the working directory (from source). */
function baseDir(): string {
  return isCompiledBinary() ? dirname(process.execPath) : process.cwd();
}

/**
 * The default `--dir`: `pb_data` beside the executable for the compiled binary (as PocketBase
 * does), `./pb_data` in the working directory when run from source (`npm start`).
 */
export function defaultDataDir(): string {
  return join(baseDir(), "pb_data");
}

/** The default `--publicDir`: `pb_public` beside the executable (compiled) or in the working directory. */
export function defaultPublicDir(): string {
  return join(baseDir(), "pb_public");
}

/** The default of the data directory's siblings (`pb_hooks`, `pb_migrations`). */
export function siblingDir(dataDir: string, name: string): string {
  return join(dirname(resolve(dataDir)), name);
}

/** How the user starts this program, for hints: the executable's path, or `npx bun src/main.ts`. */
export function commandName(): string {
  // from source, Bun comes from node_modules (npm start puts it on the PATH; a shell needs npx)
  return isCompiledBinary() ? process.execPath : "npx bun src/main.ts";
}
