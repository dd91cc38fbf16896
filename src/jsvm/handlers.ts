import { App } from "../core/app.ts";
import { ApiError, ValidationError } from "../core/api-error.ts";
import { isThenable, type HookEvent } from "../core/hooks/hook.ts";
import type { RequestEvent } from "../core/request-event.ts";
import type { Middleware, RouteHandler } from "../http/router.ts";
import { withApp } from "./current-app.ts";
import { eventView } from "./event-view.ts";

/** A function written in a pb_hooks file. */
export type JsFunction = (...args: any[]) => unknown;

function appOf(e: unknown): App | undefined {
  const a = (e as { app?: unknown } | null)?.app;
  return a instanceof App ? a : undefined;
}

/** PocketBase parity: a handler may also *return* an error instead of throwing it. */
function rethrowReturnedError(v: unknown): unknown {
  if (v instanceof Error) throw v;
  return v;
}

/**
 * Wraps a JS hook handler: `$app` is the event's app while it runs, and it receives the JS view
 * of the event. Model hooks stay synchronous (a returned Promise is refused by the hook chain);
 * request-level hooks may be async.
 */
export function hookHandler(fn: JsFunction): (e: HookEvent) => unknown {
  return (e) => {
    const r = withApp(appOf(e), () => fn(eventView(e)));
    if (isThenable(r)) return Promise.resolve(r).then(rethrowReturnedError);
    return rethrowReturnedError(r);
  };
}

/**
 * PocketBase parity: an error thrown by a JS route or middleware that is not an ApiError (or a
 * validation failure) becomes a 400 "Something went wrong while processing your request."; the
 * cause is printed only with `--dev`.
 */
export function toRouteError(err: unknown, app?: App): unknown {
  if (err instanceof ApiError || err instanceof ValidationError) return err;
  if (app?.isDev()) console.error("[jsvm] route error:", err);
  return new ApiError(400, "", {}, { cause: err });
}

/** A JS route handler (`routerAdd(method, path, handler)`) as a router handler. */
export function routeHandler(fn: JsFunction): RouteHandler {
  return async (e: RequestEvent) => {
    try {
      rethrowReturnedError(await withApp(e.app, () => fn(eventView(e, () => undefined))));
    } catch (err) {
      throw toRouteError(err, e.app);
    }
  };
}

/**
 * A JS middleware (`(e) => { …; return e.next() }`) as a router middleware. A middleware that
 * calls `e.next()` without awaiting it still has the rest of the chain finish first; errors
 * coming out of the rest of the chain pass through unchanged.
 */
export function jsMiddleware(fn: JsFunction): Middleware {
  return async (e, next) => {
    let pending: Promise<void> | null = null;
    const inner = new Set<unknown>();
    const callNext = () => {
      if (!pending) {
        pending = next().catch((err) => {
          inner.add(err);
          throw err;
        });
        pending.catch(() => undefined);
      }
      return pending;
    };
    try {
      rethrowReturnedError(await withApp(e.app, () => fn(eventView(e, callNext))));
      if (pending) await pending;
    } catch (err) {
      if (inner.has(err)) throw err;
      throw toRouteError(err, e.app);
    }
  };
}
