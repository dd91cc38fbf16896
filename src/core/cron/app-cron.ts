import type { App } from "../app.ts";
import { CronScheduler } from "./cron-scheduler.ts";

const schedulers = new WeakMap<App, CronScheduler>();

/**
 * The app's cron scheduler (PocketBase's `app.cron()`), created on first use. A transaction-scoped
 * app shares its parent's scheduler. The scheduler ticks only once `start()` is called, which
 * `serve` does (PocketBase parity: cron jobs run only in the serve process); it stops when the app
 * terminates.
 */
export function appCron(app: App): CronScheduler {
  const root = rootApp(app);
  let cron = schedulers.get(root);
  if (!cron) {
    const created = new CronScheduler();
    schedulers.set(root, created);
    root.onTerminate().bindFunc((e) => {
      created.stop();
      return e.next();
    });
    cron = created;
  }
  return cron;
}

/**
 * The non-transactional app a transaction-scoped app was derived from. NB: `runInTransaction`
 * builds its app with `Object.create(parent)` and an own `txState`.
 */
function rootApp(app: App): App {
  let a = app;
  while (a.isTransactional()) a = Object.getPrototypeOf(a) as App;
  return a;
}
