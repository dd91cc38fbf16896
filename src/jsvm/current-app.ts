import { AsyncLocalStorage } from "node:async_hooks";
import type { App } from "../core/app.ts";

const scope = new AsyncLocalStorage<App>();
let baseApp: App | null = null;
let loadingApp: App | null = null;

/**
 * The app `$app` stands for right now: the event's app inside a handler (possibly a transaction,
 * PocketBase parity: `$app = e.app` around every handler), else the app whose files were loaded
 * last. NB: kept in an AsyncLocalStorage, so `$app` stays the event's app after an `await` in an
 * async handler too.
 */
export function currentApp(): App {
  const app = scope.getStore() ?? loadingApp ?? baseApp;
  if (!app) throw new Error("$app is not available: no app has loaded the JS hooks yet.");
  return app;
}

/** Runs `fn` with `$app` bound to `app` (kept across awaits inside `fn`). */
export function withApp<T>(app: App | null | undefined, fn: () => T): T {
  return app ? scope.run(app, fn) : fn();
}

/**
 * Runs `fn` (the loading of pb_hooks / pb_migrations files) with `app` as the app that the
 * registration globals (`onRecordCreate`, `routerAdd`, `cronAdd`, `migrate`, …) bind to.
 * NB: loading is sequential; two apps must not load files at the same time in one process.
 */
export async function whileLoading<T>(app: App, fn: () => Promise<T>): Promise<T> {
  const prev = loadingApp;
  loadingApp = app;
  baseApp = app;
  try {
    return await fn();
  } finally {
    loadingApp = prev;
  }
}

/** The app the registration globals bind to: the loading app, else the current one. */
export function registrationApp(): App {
  return loadingApp ?? currentApp();
}
