import { ApiError } from "../core/api-error.ts";
import type { App } from "../core/app.ts";
import type { RequestEvent } from "../core/request-event.ts";
import type { Middleware, Router } from "../http/router.ts";
import { runChain } from "../http/route-chain.ts";
import { registrationApp } from "./current-app.ts";
import { jsMiddleware, routeHandler, type JsFunction } from "./handlers.ts";
import { byPriority, jsvmState, type MiddlewareDef } from "./registry.ts";

let middlewareSeq = 0;

/**
 * PocketBase's JS `new Middleware(func, priority?, id?)`. `$apis` helpers return these too,
 * wrapping a built-in (`native`) middleware instead of a JS function.
 */
export class JsMiddleware {
  readonly func: JsFunction | null;
  readonly native: Middleware | null;
  readonly priority: number;
  readonly id: string;
  /** `$apis.bodyLimit(n)`: the route's body limit in bytes. */
  bodyLimit?: number;

  constructor(func: JsFunction | Middleware, priority = 0, id = "", native = false) {
    this.func = native ? null : (func as JsFunction);
    this.native = native ? (func as Middleware) : null;
    this.priority = Number(priority) || 0;
    this.id = id || `jsmw${++middlewareSeq}`;
  }
}

/** A middleware argument (a function or a `Middleware`) as a router middleware definition. */
export function toMiddlewareDef(m: unknown): MiddlewareDef {
  if (m instanceof JsMiddleware) {
    return { id: m.id, priority: m.priority, func: m.native ?? jsMiddleware(m.func!), bodyLimit: m.bodyLimit };
  }
  if (typeof m === "function") return { id: `jsmw${++middlewareSeq}`, priority: 0, func: jsMiddleware(m as JsFunction) };
  throw new TypeError("A middleware must be a function (e) => e.next() or a new Middleware(...).");
}

/**
 * Turns a Go 1.22 ServeMux path into the router's syntax: `{name}` and `{name...}` stay, a
 * trailing `/` matches every path below it, `{$}` anchors the end. A leading `METHOD ` is taken
 * as the method.
 */
export function convertPath(method: string, path: string): { method: string; pattern: string } {
  let p = String(path ?? "").trim();
  let m = String(method ?? "").trim().toUpperCase();
  const withMethod = /^([A-Z]+)\s+(\/.*)$/.exec(p);
  if (withMethod) {
    m = withMethod[1]!;
    p = withMethod[2]!;
  }
  if (!p.startsWith("/")) throw new Error(`routerAdd: invalid path "${path}" (it must start with "/"; host patterns are not supported).`);
  if (/(^|\/):\w|\*/.test(p)) throw new Error(`routerAdd: invalid path "${path}": use {param} and {param...} instead of :param and *.`);
  if (p.endsWith("/{$}")) p = p.slice(0, -3) || "/";
  else if (p.length > 1 && p.endsWith("/")) p += "{__pathRest...}";
  if (m === "" || m === "ANY" || m === "*") m = "*";
  return { method: m, pattern: p };
}

/** Adds the app's JS routes (and the `routerUse` chain) to the router; safe to call again after a reload. */
export function applyRoutes(app: App, router: Router): void {
  const s = jsvmState(app);
  if (s.router !== router) {
    s.router = router;
    s.applied.clear();
    s.globalsInstalled = false;
  }
  if (!s.globalsInstalled && s.globals.length > 0) {
    s.globalsInstalled = true;
    // one global middleware that runs whatever `routerUse` registered at the time of the request
    router.use(async (e, next) => {
      const list = byPriority(s.globals);
      if (list.length === 0) return next();
      await runChain(e, list.map((d) => d.func), next);
    });
  }
  for (const [key, r] of s.routes) {
    if (s.applied.has(key)) continue;
    s.applied.add(key);
    router.add(r.method, r.pattern, async (e: RequestEvent) => {
      const cur = s.routes.get(key);
      // a route removed by a hooks reload stays in the router but answers 404
      if (!cur) throw new ApiError(404);
      await runChain(e, byPriority(cur.middlewares).map((d) => d.func), async () => {
        await cur.handler(e);
      });
    });
    const limit = r.middlewares.find((m) => m.bodyLimit !== undefined)?.bodyLimit;
    if (limit !== undefined) router.setBodyLimit(r.method, r.pattern, limit === 0 ? Number.MAX_SAFE_INTEGER : limit);
  }
}

/** The `routerAdd(method, path, handler, ...middlewares)` global. */
export function routerAdd(method: string, path: string, handler: unknown, ...middlewares: unknown[]): void {
  if (typeof handler !== "function") throw new TypeError("routerAdd: the handler must be a function (e) => e.json(...).");
  const app = registrationApp();
  const s = jsvmState(app);
  const { method: m, pattern } = convertPath(method, path);
  const key = `${m} ${pattern}`;
  s.routes.set(key, { method: m, pattern, handler: routeHandler(handler as JsFunction), middlewares: middlewares.flat().map(toMiddlewareDef) });
  if (s.router) applyRoutes(app, s.router);
}

/** The `routerUse(...middlewares)` global: middlewares for every route. */
export function routerUse(...middlewares: unknown[]): void {
  const app = registrationApp();
  const s = jsvmState(app);
  s.globals.push(...middlewares.flat().map(toMiddlewareDef));
  if (s.router) applyRoutes(app, s.router);
}
