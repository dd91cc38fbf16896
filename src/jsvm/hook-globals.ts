import { AppHooks, type HookBinder } from "../core/app-hooks.ts";
import type { HookEvent } from "../core/hooks/hook.ts";
import { appCron } from "../core/cron/app-cron.ts";
import { registrationApp, withApp } from "./current-app.ts";
import { hookHandler, type JsFunction } from "./handlers.ts";
import { jsvmState } from "./registry.ts";

type HookGlobal = (handler: JsFunction, ...tags: string[]) => void;

/**
 * One global per hook of the App (`onRecordCreate(handler, ...tags)`, `onRecordsListRequest`,
 * `onBootstrap`, …), generated from the `on…` methods of AppHooks so that every hook the core
 * has is reachable from JS. Handlers get priority 0 and run in registration order.
 */
export function hookGlobals(): { [name: string]: HookGlobal } {
  const out: { [name: string]: HookGlobal } = {};
  for (const name of Object.getOwnPropertyNames(AppHooks.prototype)) {
    if (!/^on[A-Z]/.test(name)) continue;
    out[name] = (handler: JsFunction, ...tags: string[]) => {
      if (typeof handler !== "function") throw new TypeError(`${name}: the first argument must be a function (e) => { ...; e.next() }.`);
      const app = registrationApp();
      const accessor = (app as unknown as { [k: string]: (...t: string[]) => HookBinder<HookEvent> })[name]!;
      const binder = accessor.apply(app, tags.flat().map(String));
      const id = binder.bindFunc(hookHandler(handler));
      jsvmState(app).unbinders.push(() => binder.unbind(id));
    };
  }
  for (const suffix of MODEL_HOOKS) out[`onModel${suffix}`] = modelHook(out, suffix);
  // PocketBase hooks the core does not fire yet: a file using them still loads (with a warning)
  for (const name of NOT_FIRED) {
    out[name] ??= () => console.warn(`[jsvm] ${name} is not fired by Satchel yet; the handler is ignored.`);
  }
  return out;
}

const NOT_FIRED = ["onBatchRequest", "onBackupCreate", "onBackupRestore"];

const MODEL_HOOKS = ["Validate", "Create", "CreateExecute", "AfterCreateSuccess", "AfterCreateError", "Update", "UpdateExecute", "AfterUpdateSuccess", "AfterUpdateError", "Delete", "DeleteExecute", "AfterDeleteSuccess", "AfterDeleteError"];

/**
 * `onModel…(handler, ...tables)`: PocketBase's hooks for every model, here records and collections
 * (the table tag of collections is `_collections`, of records their collection's name).
 * `e.model` is the record or the collection. NB: the other system models (settings, logs, …)
 * fire no model hooks in Satchel.
 */
function modelHook(all: { [name: string]: HookGlobal }, suffix: string): HookGlobal {
  return (handler: JsFunction, ...tags: string[]) => {
    if (typeof handler !== "function") throw new TypeError(`onModel${suffix}: the first argument must be a function (e) => { ...; e.next() }.`);
    const list = tags.flat().map(String);
    const recordTags = list.filter((t) => t !== "_collections");
    const withModel = (key: "record" | "collection") => (e: { [k: string]: unknown }) => {
      e.model = e[key];
      return handler(e);
    };
    if (list.length === 0 || recordTags.length > 0) all[`onRecord${suffix}`]!(withModel("record"), ...recordTags);
    if (list.length === 0 || list.includes("_collections")) all[`onCollection${suffix}`]!(withModel("collection"));
  };
}

/** `cronAdd(id, expr, fn)`: adds (or replaces) a job; an invalid expression throws at load. */
export function cronAdd(id: string, expr: string, fn: unknown): void {
  if (typeof fn !== "function") throw new TypeError("cronAdd: the third argument must be a function.");
  const app = registrationApp();
  appCron(app).add(String(id), String(expr), () => withApp(app, () => (fn as JsFunction)()));
  jsvmState(app).cronIds.add(String(id));
}

/** `cronRemove(id)`. */
export function cronRemove(id: string): void {
  const app = registrationApp();
  appCron(app).remove(String(id));
  jsvmState(app).cronIds.delete(String(id));
}
