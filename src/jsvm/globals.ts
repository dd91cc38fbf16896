import { DateTime } from "../tools/date-time.ts";
import { dynamicAppView } from "./app-view.ts";
import { apis } from "./apis.ts";
import { Dao } from "./dao.ts";
import { dbx } from "./dbx.ts";
import { errorClasses, helpers, installRecordTokenMethods, JsCommand, JsValidationError, Timezone } from "./helpers.ts";
import { cronAdd, cronRemove, hookGlobals } from "./hook-globals.ts";
import { http } from "./http-client.ts";
import { MailerMessage, mails } from "./mails.ts";
import { migrate } from "./migrations.ts";
import { arrayOf, DynamicModel, fieldConstructors, JsCollection, JsRecord, nullables, unmarshal } from "./models.ts";
import { filepath, os } from "./os.ts";
import { JsMiddleware, routerAdd, routerUse } from "./router-bindings.ts";
import { security } from "./security.ts";

let installed = false;

/**
 * The PocketBase JS globals (`$app`, `$apis`, `$security`, `$os`, `$http`, `$dbx`, `$mails`,
 * `$filepath`, `routerAdd`, `cronAdd`, `migrate`, one `on…` function per hook, the model
 * constructors and helpers), installed once on globalThis before user files load.
 * NB: pb_hooks and pb_migrations files share this one global scope (and the process).
 */
export function installGlobals(): void {
  if (installed) return;
  installed = true;
  installRecordTokenMethods();
  const g = globalThis as unknown as { [k: string]: unknown };
  const values: { [k: string]: unknown } = {
    $app: dynamicAppView(),
    $apis: apis,
    $security: security,
    $os: os,
    $filepath: filepath,
    $http: http,
    $dbx: dbx,
    $mails: mails,
    __hooks: "",
    ...hookGlobals(),
    routerAdd,
    routerUse,
    cronAdd,
    cronRemove,
    migrate,
    arrayOf,
    unmarshal,
    ...helpers,
    ...nullables,
    Record: JsRecord,
    Collection: JsCollection,
    DynamicModel,
    ...fieldConstructors,
    MailerMessage,
    Middleware: JsMiddleware,
    DateTime,
    Timezone,
    Command: JsCommand,
    ValidationError: JsValidationError,
    ...errorClasses,
    Dao,
  };
  for (const [k, v] of Object.entries(values)) g[k] = v;
}

/** Sets `__hooks` (the absolute pb_hooks path). */
export function setHooksDirGlobal(dir: string): void {
  (globalThis as unknown as { __hooks: string }).__hooks = dir;
}
