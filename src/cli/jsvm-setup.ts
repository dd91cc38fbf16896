import type { App } from "../core/app.ts";
import { Jsvm } from "../jsvm/jsvm.ts";
import type { GlobalOptions } from "./global-flags.ts";

/**
 * Loads `--migrationsDir` and `--hooksDir` for a command (PocketBase registers the hooks for every
 * command, before bootstrap). A file that fails to load becomes one error line naming the file;
 * with `--dev` the stack trace is printed first.
 */
export async function loadJsvm(app: App, opts: GlobalOptions, extra: { watch?: boolean } = {}): Promise<Jsvm> {
  try {
    return await Jsvm.load(app, { hooksDir: opts.hooksDir, migrationsDir: opts.migrationsDir, hooksWatch: extra.watch ?? false });
  } catch (err) {
    if (opts.dev) console.error((err as Error & { cause?: unknown }).cause ?? err);
    throw err;
  }
}
