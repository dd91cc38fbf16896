import type { RequestEvent } from "../core/request-event.ts";

/** A route handler; it answers through the event (`e.json(…)`). */
export type RouteHandler = (e: RequestEvent) => unknown;

/** A middleware: runs around the rest of the chain by calling `next()`. */
export type Middleware = (e: RequestEvent, next: () => Promise<void>) => unknown;

interface Route {
  method: string;
  segments: string[];
  /** The segments classified once (see `compileSegments`). */
  compiled: CompiledSegment[];
  /** The index of the trailing wildcard, or -1. */
  wildcardAt: number;
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
    const segments = splitPath(pattern);
    const compiled = compileSegments(segments);
    this.routes.push({ method: method.toUpperCase(), segments, compiled, wildcardAt: compiled.findIndex((c) => c.kind === WILDCARD), handler, middlewares });
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
      // NB: hot path (every request): test without allocating, decode the parameters of the winner only
      if (r.wildcardAt < 0 ? parts.length !== r.compiled.length : parts.length < r.wildcardAt) continue;
      if (!staticSegmentsMatch(r.compiled, parts)) continue;
      if (r.method !== "*" && r.method !== method && !(method === "HEAD" && r.method === "GET")) {
        methodMismatch = true;
        continue;
      }
      const params = segmentParams(r.compiled, parts);
      const middlewares = this.globalMiddlewares.length === 0 ? r.middlewares : [...this.globalMiddlewares, ...r.middlewares];
      return { handler: r.handler, params, middlewares, bodyLimit: r.bodyLimit, rateLimitTags: r.rateLimitTags };
    }
    return { notFound: true, methodMismatch };
  }
}

function splitPath(p: string): string[] {
  const out: string[] = [];
  for (const s of p.split("/")) if (s !== "") out.push(s);
  return out;
}

function score(r: Route): number {
  let s = 0;
  for (const seg of r.segments) s += seg.startsWith("{") ? (seg.endsWith("...}") ? 0 : 2) : 3;
  return s * 100 + r.segments.length;
}

const STATIC = 0;
const PARAM = 1;
const WILDCARD = 2;

/** A pattern segment: a static text, a `{name}` parameter or a trailing `{name...}` wildcard. */
interface CompiledSegment {
  kind: typeof STATIC | typeof PARAM | typeof WILDCARD;
  /** The static text, or the parameter's name. */
  value: string;
}

function compileSegments(segments: string[]): CompiledSegment[] {
  const out: CompiledSegment[] = [];
  for (const seg of segments) {
    if (seg.startsWith("{") && seg.endsWith("...}")) {
      out.push({ kind: WILDCARD, value: seg.slice(1, -4) });
      // anything after a wildcard is never looked at
      break;
    }
    if (seg.startsWith("{") && seg.endsWith("}")) out.push({ kind: PARAM, value: seg.slice(1, -1) });
    else out.push({ kind: STATIC, value: seg });
  }
  return out;
}

/** True when every static segment before the wildcard (if any) equals the raw path segment. */
function staticSegmentsMatch(pattern: CompiledSegment[], parts: string[]): boolean {
  for (let i = 0; i < pattern.length; i++) {
    const seg = pattern[i]!;
    if (seg.kind === WILDCARD) return true;
    if (seg.kind === STATIC && seg.value !== parts[i]) return false;
  }
  return true;
}

/** The decoded parameters of a pattern that matched (`staticSegmentsMatch`). */
function segmentParams(pattern: CompiledSegment[], parts: string[]): { [k: string]: string } {
  const params: { [k: string]: string } = {};
  for (let i = 0; i < pattern.length; i++) {
    const seg = pattern[i]!;
    if (seg.kind === WILDCARD) {
      params[seg.value] = parts.slice(i).map(safeDecode).join("/");
      break;
    }
    if (seg.kind === PARAM) params[seg.value] = safeDecode(parts[i]!);
  }
  return params;
}

function safeDecode(s: string): string {
  if (!s.includes("%")) return s;
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}
