import type { App } from "../core/app.ts";
import type { Middleware, RouteHandler, Router } from "../http/router.ts";

/** A middleware as registered from JS: the router middleware and its PocketBase priority. */
export interface MiddlewareDef {
  id: string;
  priority: number;
  func: Middleware;
  /** Set by `$apis.bodyLimit(n)` on a route. */
  bodyLimit?: number;
}

/** A route registered with `routerAdd`. */
export interface JsRoute {
  method: string;
  /** The path in the router's syntax. */
  pattern: string;
  handler: RouteHandler;
  middlewares: MiddlewareDef[];
}

/** What the JS files of one app registered (so a reload can take it back). */
export interface JsvmState {
  /** `routerAdd` routes by `METHOD pattern`. */
  routes: Map<string, JsRoute>;
  /** `routerUse` middlewares. */
  globals: MiddlewareDef[];
  /** The router once serving (routes are added to it then, and on reload). */
  router: Router | null;
  /** True once the `routerUse` dispatcher was added to the router. */
  globalsInstalled: boolean;
  /** Route keys already added to the router. */
  applied: Set<string>;
  /** Undo functions of every hook handler bound from JS. */
  unbinders: (() => void)[];
  /** Cron job ids added from JS. */
  cronIds: Set<string>;
  /** The hooks directory (`__hooks`). */
  hooksDir: string;
}

const states = new WeakMap<App, JsvmState>();

/** The JS registration state of an app (created on first use). */
export function jsvmState(app: App): JsvmState {
  let s = states.get(app);
  if (!s) {
    s = { routes: new Map(), globals: [], router: null, globalsInstalled: false, applied: new Set(), unbinders: [], cronIds: new Set(), hooksDir: "" };
    states.set(app, s);
  }
  return s;
}

/** Sorts middlewares by priority, keeping registration order for equal priorities. */
export function byPriority(list: MiddlewareDef[]): MiddlewareDef[] {
  return list.map((m, i) => ({ m, i })).sort((a, b) => a.m.priority - b.m.priority || a.i - b.i).map((x) => x.m);
}
