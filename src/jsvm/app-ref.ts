import { App } from "../core/app.ts";
import { currentApp } from "./current-app.ts";

const targets = new WeakMap<object, App | (() => App)>();

/** Remembers which app a JS view (`e.app`, a migration's `app`) stands for; `$app` passes a getter. */
export function rememberView(view: object, app: App | (() => App)): void {
  targets.set(view, app);
}

/**
 * The core App behind a JS value: a view, an App, a legacy Dao, or (for `$app` itself) the
 * current app. Throws for anything else.
 */
export function unwrapApp(v: unknown): App {
  if (v instanceof App) return v;
  if (typeof v === "object" && v !== null) {
    const t = targets.get(v);
    if (t) return typeof t === "function" ? t() : t;
    const dao = (v as { app?: unknown }).app;
    if (dao instanceof App) return dao;
  }
  if (v === undefined || v === null) return currentApp();
  throw new Error("Expected an app ($app, e.app or a migration's app argument).");
}
