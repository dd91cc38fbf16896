import { join } from "node:path";
import { ApiError } from "../core/api-error.ts";
import type { Record } from "../core/records/record.ts";
import { RequestEvent } from "../core/request-event.ts";
import { expandRecords } from "../core/records/record-expand.ts";
import { enrichRecords } from "../core/records/record-visibility.ts";
import type { Middleware } from "../http/router.ts";
import { requireSuperuserAuth } from "../http/middleware/require-auth.ts";
import { servePublicDir } from "../http/static-files.ts";
import { sendRecordAuthResponse } from "../http/routes/record-auth-response.ts";
import { JsMiddleware } from "./router-bindings.ts";
import { unwrapEvent } from "./event-view.ts";

const NOT_ALLOWED = "The authorized record is not allowed to perform this action.";
const NEEDS_AUTH = "The request requires valid record authorization token.";

function native(fn: Middleware, id: string, priority: number): JsMiddleware {
  return new JsMiddleware(fn, priority, id, true);
}

function event(e: unknown): RequestEvent {
  const real = unwrapEvent(e);
  if (!(real instanceof RequestEvent)) throw new TypeError("Expected the request event (e).");
  return real;
}

function expandAndEnrich(e: RequestEvent, records: Record[], defaults: string[]): void {
  const info = e.requestInfo();
  const param = [e.url.searchParams.get("expand") ?? "", ...defaults].filter(Boolean).join(",");
  if (param) expandRecords(e.app, records, param, info);
  enrichRecords(e.app, records, info);
}

/**
 * PocketBase's `$apis`: route guards (`requireAuth`, `requireSuperuserAuth`, …), `bodyLimit`,
 * `static`, and the record response helpers. Guards run before the route's JS middlewares
 * (PocketBase gives them a negative priority).
 */
export const apis = {
  requireGuestOnly: () =>
    native(async (e, next) => {
      if (e.auth) throw new ApiError(400, "The request can be accessed only by guests.");
      await next();
    }, "pbRequireGuestOnly", -1010),
  requireAuth: (...collections: string[]) =>
    native(async (e, next) => {
      if (!e.auth) throw new ApiError(401, NEEDS_AUTH);
      const c = e.auth.collection();
      if (collections.length > 0 && !collections.includes(c.name) && !collections.includes(c.id)) throw new ApiError(403, NOT_ALLOWED);
      await next();
    }, "pbRequireAuth", -1010),
  requireSuperuserAuth: () => native(requireSuperuserAuth, "pbRequireSuperuserAuth", -1010),
  requireSuperuserOrOwnerAuth: (ownerIdParam = "id") =>
    native(async (e, next) => {
      if (!e.auth) throw new ApiError(401, NEEDS_AUTH);
      if (!e.hasSuperuserAuth() && e.auth.id !== (e.params[ownerIdParam] ?? "")) throw new ApiError(403, NOT_ALLOWED);
      await next();
    }, "pbRequireSuperuserOrOwnerAuth", -1010),
  /** The route's body limit in bytes (0 = unlimited). NB: used with `routerUse` it has no effect. */
  bodyLimit: (bytes: number) => {
    const m = native((_e, next) => next(), "pbBodyLimit", -990);
    m.bodyLimit = Math.max(0, Number(bytes) || 0);
    return m;
  },
  /** Accepted for compatibility; responses are not gzipped. */
  gzip: () => native((_e, next) => next(), "pbGzip", 0),
  /** Accepted for compatibility (there is no activity log to skip yet). */
  skipSuccessActivityLog: () => native((_e, next) => next(), "pbSkipSuccessActivityLog", 0),
  /**
   * A handler serving files from a directory (`$os.dirFS(dir)` or a path) for a route with a
   * `{path...}` parameter; `indexFallback` serves index.html for missing paths.
   */
  static: (fsys: unknown, indexFallback = false) => async (e: unknown) => {
    const ev = event(e);
    const dir = typeof fsys === "string" ? fsys : String((fsys as { dir?: unknown })?.dir ?? "");
    const rest = ev.params.path ?? Object.entries(ev.params).find(([k]) => k.endsWith("__pathRest"))?.[1] ?? "";
    const res = (await servePublicDir(dir, "/" + rest)) ?? (indexFallback ? await servePublicDir(dir, "/index.html") : null);
    if (!res) throw new ApiError(404);
    ev.response = res;
  },
  recordAuthResponse: (e: unknown, record: Record, authMethod = "", meta?: unknown) => sendRecordAuthResponse(event(e), record, authMethod, meta),
  enrichRecord: (e: unknown, record: Record, ...defaultExpands: string[]) => expandAndEnrich(event(e), [record], defaultExpands),
  enrichRecords: (e: unknown, records: Record[], ...defaultExpands: string[]) => expandAndEnrich(event(e), records, defaultExpands),
};

/** `$os.dirFS(dir)`: a directory for `$apis.static`. */
export function dirFS(dir: string): { dir: string } {
  return { dir: join(String(dir)) };
}
