import type { RequestEvent } from "../core/request-event.ts";

/** A route handler; it answers through the event (`e.json(…)`). */
export type RouteHandler = (e: RequestEvent) => unknown;

/** A middleware: runs around the rest of the chain by calling `next()`. */
export type Middleware = (e: RequestEvent, next: () => Promise<void>) => unknown;

interface Route {
  method: string;
  segments: string[];
  handler: RouteHandler;
  middlewares: Middleware[];
  bodyLimit?: number;
  rateLimitTags?: readonly string[];
}

/** A matched route with its path parameters. */
export interface RouteMatch {
  handler: RouteHandler;
  params: { [k: string]: string };
  middlewares: Middleware[];
  /** The route's own body limit (bytes) when it differs from the default. */
  bodyLimit?: number;
  /** The rate-limit tags of a collection endpoint (its `{collection}` is the collection). */
  rateLimitTags?: readonly string[];
}

/**
 * A small router with PocketBase's path patterns: `/api/collections/{collection}/records/{id}`,
 * and a trailing wildcard `{path...}`. Static segments win over parameters.
 */
export class Router {
  private routes: Route[] = [];
  private globalMiddlewares: Middleware[] = [];

  /** Adds a middleware that runs for every matched route, before the route's own (`routerUse`). */
  use(mw: Middleware): void {
    this.globalMiddlewares.push(mw);
  }

  /** Adds a route. `method` is an HTTP method or `*`. */
  add(method: string, pattern: string, handler: RouteHandler, ...middlewares: Middleware[]): void {
    this.routes.push({ method: method.toUpperCase(), segments: splitPath(pattern), handler, middlewares });
    // more specific routes first: more static segments, fewer wildcards
    this.routes.sort((a, b) => score(b) - score(a));
  }

  /** Sets the body limit (bytes) of an added route. */
  setBodyLimit(method: string, pattern: string, limit: number): void {
    const segs = splitPath(pattern).join("/");
    for (const r of this.routes) if (r.method === method.toUpperCase() && r.segments.join("/") === segs) r.bodyLimit = limit;
  }

  /**
   * Marks an added route as a collection endpoint for the rate limiter: its `{collection}`
   * parameter names the collection and `tags` are its rate-limit tags (`list`, `authWithPassword`,
   * …), looked up as `<collection>:<tag>` and `*:<tag>`. Throws when no such route exists.
   */
  setRateLimitTags(method: string, pattern: string, ...tags: string[]): void {
    const segs = splitPath(pattern).join("/");
    const routes = this.routes.filter((r) => r.method === method.toUpperCase() && r.segments.join("/") === segs);
    if (routes.length === 0 || !segs.includes("{collection}")) throw new Error(`setRateLimitTags: no collection route ${method} ${pattern}`);
    for (const r of routes) r.rateLimitTags = tags;
  }

  /** Finds the route for a method and path; `allowedMethods` lists methods that would match. */
  match(method: string, path: string): RouteMatch | { notFound: true; methodMismatch: boolean } {
    const parts = splitPath(path);
    let methodMismatch = false;
    for (const r of this.routes) {
      const params = matchSegments(r.segments, parts);
      if (!params) continue;
      if (r.method !== "*" && r.method !== method && !(method === "HEAD" && r.method === "GET")) {
        methodMismatch = true;
        continue;
      }
      const middlewares = this.globalMiddlewares.length === 0 ? r.middlewares : [...this.globalMiddlewares, ...r.middlewares];
      return { handler: r.handler, params, middlewares, bodyLimit: r.bodyLimit, rateLimitTags: r.rateLimitTags };
    }
    return { notFound: true, methodMismatch };
  }
}

function splitPath(p: string): string[] {
  return p.split("/").filter((s) => s !== "");
}

function score(r: Route): number {
  let s = 0;
  for (const seg of r.segments) s += seg.startsWith("{") ? (seg.endsWith("...}") ? 0 : 2) : 3;
  return s * 100 + r.segments.length;
}

function matchSegments(pattern: string[], parts: string[]): { [k: string]: string } | null {
  const params: { [k: string]: string } = {};
  for (let i = 0; i < pattern.length; i++) {
    const seg = pattern[i]!;
    if (seg.startsWith("{") && seg.endsWith("...}")) {
      params[seg.slice(1, -4)] = parts.slice(i).map(safeDecode).join("/");
      return params;
    }
    const part = parts[i];
    if (part === undefined) return null;
    if (seg.startsWith("{") && seg.endsWith("}")) params[seg.slice(1, -1)] = safeDecode(part);
    else if (seg !== part) return null;
  }
  return parts.length === pattern.length ? params : null;
}

function safeDecode(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}
