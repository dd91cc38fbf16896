import { watch, type FSWatcher } from "node:fs";
import { resolve } from "node:path";
import type { App } from "../core/app.ts";
import { appCron } from "../core/cron/app-cron.ts";
import { Router } from "../http/router.ts";
import { whileLoading } from "./current-app.ts";
import { importFresh, listFiles } from "./file-import.ts";
import { installGlobals, setHooksDirGlobal } from "./globals.ts";
import { displayPath } from "./load-error.ts";
import { loadMigrations, migrateUp, type JsMigration } from "./migrations.ts";
import { jsvmState } from "./registry.ts";
import { applyRoutes } from "./router-bindings.ts";

/** PocketBase parity: hook files are `*.pb.js` / `*.pb.ts` at the top level of the hooks dir. */
export const HOOK_FILE = /^.*\.pb\.(js|ts)$/;

/** Where the user files are and how to treat them (the `serve` / `migrate` flags). */
export interface JsvmOptions {
  /** `--hooksDir`. */
  hooksDir: string;
  /** `--migrationsDir`. */
  migrationsDir: string;
  /** `--hooksWatch`: reload the hooks when a file in the hooks dir changes (serve only). */
  hooksWatch?: boolean;
}

/**
 * PocketBase's JS extension layer for one app: loads `pb_migrations/*.js` and `pb_hooks/*.pb.js`
 * (sorted by name, each file's top-level code run once with the PocketBase globals installed),
 * adds the `routerAdd` routes to the router when the app serves, and applies migrations.
 */
export class Jsvm {
  /** The loaded migration files. */
  migrations: JsMigration[] = [];
  /** The loaded hook files. */
  hookFiles: string[] = [];
  private watcher: FSWatcher | null = null;
  private reloadTimer: ReturnType<typeof setTimeout> | null = null;

  private constructor(
    readonly app: App,
    readonly opts: JsvmOptions,
  ) {}

  /**
   * Loads the migration and hook files for `app` (call it before `app.bootstrap()`, so that
   * `onBootstrap` handlers run). Throws a JsLoadError naming the file that failed.
   */
  static async load(app: App, opts: JsvmOptions): Promise<Jsvm> {
    const jsvm = new Jsvm(app, { ...opts, hooksDir: resolve(opts.hooksDir), migrationsDir: resolve(opts.migrationsDir) });
    installGlobals();
    setHooksDirGlobal(jsvm.opts.hooksDir);
    jsvmState(app).hooksDir = jsvm.opts.hooksDir;
    await whileLoading(app, async () => {
      jsvm.migrations = await loadMigrations(jsvm.opts.migrationsDir);
      jsvm.hookFiles = await jsvm.loadHookFiles();
    });
    app.onServe().bind({
      id: "__satchelJsvm",
      priority: -1000,
      func: (e) => {
        if (e.router instanceof Router) applyRoutes(app, e.router);
        if (jsvm.opts.hooksWatch) jsvm.watch();
        return e.next();
      },
    });
    app.onTerminate().bindFunc((e) => {
      jsvm.close();
      return e.next();
    });
    return jsvm;
  }

  private async loadHookFiles(): Promise<string[]> {
    const files = listFiles(this.opts.hooksDir, HOOK_FILE);
    for (const f of files) await importFresh(f);
    return files;
  }

  /** Applies the pending migrations (PocketBase runs them on every `serve`); returns the applied files. */
  migrateUp(): string[] {
    return migrateUp(this.app, this.migrations);
  }

  /**
   * Takes back everything the hook files registered (hook handlers, routes, `routerUse`
   * middlewares, cron jobs) and loads the files again. Routes that are gone answer 404.
   */
  async reloadHooks(): Promise<void> {
    const app = this.app;
    const s = jsvmState(app);
    for (const undo of s.unbinders.splice(0)) undo();
    s.routes.clear();
    s.globals.length = 0;
    for (const id of s.cronIds) appCron(app).remove(id);
    s.cronIds.clear();
    setHooksDirGlobal(this.opts.hooksDir);
    await whileLoading(app, async () => {
      this.hookFiles = await this.loadHookFiles();
    });
    if (s.router) applyRoutes(app, s.router);
  }

  /**
   * Watches the hooks dir (hidden entries and node_modules ignored) and reloads the hooks 50 ms
   * after the last change. NB: PocketBase restarts the whole process instead; a reload here
   * keeps the server and its connections.
   */
  watch(): void {
    if (this.watcher) return;
    try {
      this.watcher = watch(this.opts.hooksDir, { recursive: true }, (_event, name) => {
        const n = String(name ?? "");
        if (n.split(/[\\/]/).some((p) => p.startsWith(".") || p === "node_modules")) return;
        if (this.reloadTimer) clearTimeout(this.reloadTimer);
        this.reloadTimer = setTimeout(() => {
          this.reloadTimer = null;
          this.reloadHooks().then(
            () => console.log(`[jsvm] reloaded ${this.hookFiles.length} hook file(s) from ${displayPath(this.opts.hooksDir)}`),
            (err) => console.error(`Error: ${err instanceof Error ? err.message : String(err)}`),
          );
        }, 50);
      });
      this.watcher.unref?.();
    } catch {
      // no hooks dir: nothing to watch
      this.watcher = null;
    }
  }

  /** Stops watching. */
  close(): void {
    this.watcher?.close();
    this.watcher = null;
    if (this.reloadTimer) clearTimeout(this.reloadTimer);
    this.reloadTimer = null;
  }
}
