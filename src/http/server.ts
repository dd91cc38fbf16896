import type { Server } from "bun";
import type { App } from "../core/app.ts";
import type { ProcessCoordination } from "../core/coordination.ts";
import { RequestEvent } from "../core/request-event.ts";
import { ApiError } from "../core/api-error.ts";
import { Router, type Middleware } from "./router.ts";
import { RELEASE_SHARED_LOCK, runChain, runRoute } from "./route-chain.ts";
import { errorResponse, toApiError } from "./error-response.ts";
import { corsMiddleware } from "./middleware/cors.ts";
import { securityHeadersMiddleware } from "./middleware/security-headers.ts";
import { loadAuthTokenMiddleware } from "./middleware/load-auth-token.ts";
import { rateLimitMiddleware } from "./middleware/rate-limit.ts";
import { DEFAULT_BODY_LIMIT, parseBody } from "./body.ts";
import { releaseMultipartTempFiles, requestBodyLimit } from "./multipart-body.ts";
import { registerApiRoutes } from "./routes/register.ts";
import { servePublicDir } from "./static-files.ts";
import { realtimeBroker } from "../core/realtime/register-realtime.ts";

/** How the HTTP server is set up (the `serve` flags). */
export interface ServeOptions {
  /** `host:port` to listen on. */
  http: string;
  /** Allowed CORS origins (`--origins`), `*` by default. */
  origins?: string[];
  /** Static files served at `/` (`--publicDir`). */
  publicDir?: string;
  /** Share the port with other processes (`serve --workers=N`). */
  reusePort?: boolean;
}

/** A running server. */
export interface RunningServer {
  server: Server<unknown>;
  router: Router;
  /** The base URL, e.g. `http://127.0.0.1:8090`. */
  url: string;
  /** Stops accepting requests, waits for in-flight ones, then resolves. */
  stop(): Promise<void>;
}

/** Builds the router with every API route (also used by in-process tests). */
export function buildRouter(app: App): Router {
  const router = new Router();
  registerApiRoutes(router, app);
  return router;
}

/**
 * Handles one request: the global middlewares in PocketBase's order (cors → recover → load auth
 * token → security headers), then the route's own middlewares and handler. Every thrown error
 * becomes the JSON envelope; unknown routes get the 404 envelope.
 */
export async function handleRequest(app: App, router: Router, opts: ServeOptions, req: Request, remoteIP = "", server?: Server<unknown>): Promise<Response> {
  // cluster: another worker may have changed collections or settings
  app.coordination?.syncCaches();
  // every request holds the request lock shared; a batch transaction takes it exclusively
  const hold: SharedHold = { release: await app.requestLock.acquireShared() };
  try {
    return await handleLockedRequest(app, router, opts, req, remoteIP, hold, server);
  } finally {
    hold.release();
  }
}

/** The request's current shared hold of `app.requestLock` (it may be given up and taken again). */
interface SharedHold {
  release: () => void;
}

async function handleLockedRequest(app: App, router: Router, opts: ServeOptions, req: Request, remoteIP: string, hold: SharedHold, server?: Server<unknown>): Promise<Response> {
  const url = new URL(req.url);
  const e = new RequestEvent(app, req, url);
  e.set(RELEASE_SHARED_LOCK, () => hold.release());
  e.remoteIP = remoteIP;
  // long-lived routes (realtime) lift Bun's idle timeout for their own request
  if (server) e.set("bunServer", server);
  const chain: Middleware[] = [corsMiddleware(opts.origins ?? ["*"]), recover(app), loadAuthTokenMiddleware, securityHeadersMiddleware, rateLimitMiddleware(router)];
  const final = async () => {
    const m = router.match(req.method, url.pathname);
    if ("notFound" in m) {
      if ((req.method === "GET" || req.method === "HEAD") && opts.publicDir && !url.pathname.startsWith("/api/")) {
        const res = await servePublicDir(opts.publicDir, url.pathname);
        if (res) {
          e.response = res;
          return;
        }
      }
      throw new ApiError(404);
    }
    e.params = m.params;
    // NB: parseBody ignores the bodies of these methods; not calling it saves a Promise per read
    if (req.method !== "GET" && req.method !== "HEAD" && req.method !== "OPTIONS") await parseBody(e, requestBodyLimit(e, m.bodyLimit ?? DEFAULT_BODY_LIMIT));
    // cluster: a request that may write waits for this process's write turn (never in SQLite)
    const endTurn = app.coordination && mayWrite(req.method, url.pathname) ? await waitForWriteTurn(app, app.coordination, hold) : null;
    try {
      await runRoute(e, m);
    } finally {
      endTurn?.();
    }
  };
  await runChain(e, chain, final);
  void releaseMultipartTempFiles(e);
  const res = e.response ?? new Response(null, { status: 204 });
  e.responseHeaders.forEach((v, k) => {
    if (!res.headers.has(k)) res.headers.set(k, v);
  });
  return res;
}

/**
 * cluster: whether a request may write and so needs the write turn. Reads (GET, HEAD, OPTIONS)
 * never take it, nor do the POSTs whose built-in handling touches no table: realtime
 * subscriptions, auth refreshes and file tokens.
 */
function mayWrite(method: string, path: string): boolean {
  if (method === "GET" || method === "HEAD" || method === "OPTIONS") return false;
  return path !== "/api/realtime" && path !== "/api/files/token" && !path.endsWith("/auth-refresh");
}

/**
 * cluster: waits for the write turn without holding the request lock meanwhile (a batch of this
 * process, which holds the turn, may be waiting for that lock), then takes the lock again.
 */
async function waitForWriteTurn(app: App, coordination: ProcessCoordination, hold: SharedHold): Promise<() => void> {
  hold.release();
  const endTurn = await coordination.acquireWrite();
  hold.release = await app.requestLock.acquireShared();
  return endTurn;
}

function recover(app: App): Middleware {
  return async (e, next) => {
    try {
      await next();
    } catch (err) {
      e.response = errorResponse(toApiError(err, app.isDev()));
    }
  };
}

/** Starts `Bun.serve` on the given address. */
export function startServer(app: App, opts: ServeOptions): RunningServer {
  const { hostname, port } = parseAddress(opts.http);
  const router = buildRouter(app);
  const server = Bun.serve({
    hostname,
    port,
    reusePort: opts.reusePort ?? false,
    // the per-route limits are enforced while reading; this is only Bun's outer cap
    maxRequestBodySize: 1 << 30,
    fetch(req, srv) {
      const ip = srv.requestIP(req)?.address ?? "";
      return handleRequest(app, router, opts, req, ip, srv);
    },
    error(err) {
      return errorResponse(toApiError(err, app.isDev()));
    },
  });
  const url = `http://${hostname.includes(":") ? `[${hostname}]` : hostname}:${server.port}`;
  return {
    server,
    router,
    url,
    async stop() {
      // PocketBase parity: open realtime streams end at once on shutdown (Bun would wait for them)
      realtimeBroker(app)?.closeAll();
      await server.stop(false);
    },
  };
}

/** Parses `host:port` (`:8090` and `8090` mean 127.0.0.1). Throws on a bad value. */
export function parseAddress(addr: string): { hostname: string; port: number } {
  const m = /^(?:\[([^\]]+)\]|([^:]*))?:?(\d+)$/.exec(addr.trim());
  if (!m) throw new Error(`Invalid --http address "${addr}": expected host:port, e.g. 127.0.0.1:8090.`);
  const port = Number(m[3]);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`Invalid port in --http "${addr}".`);
  return { hostname: m[1] ?? (m[2] || "127.0.0.1"), port };
}
