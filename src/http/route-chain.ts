import type { RequestEvent } from "../core/request-event.ts";
import type { Middleware, RouteMatch } from "./router.ts";

/** The per-request key under which the shared request-lock release function is kept. */
export const RELEASE_SHARED_LOCK = "__satchelReleaseSharedLock";

/** Runs a matched route's own middlewares and handler (the body is already parsed). */
export async function runRoute(e: RequestEvent, m: RouteMatch): Promise<void> {
  // NB: most routes have no middleware of their own: no chain to build
  if (m.middlewares.length === 0) {
    await m.handler(e);
    return;
  }
  await runChain(e, m.middlewares, async () => {
    await m.handler(e);
  });
}

/** Runs middlewares in order around `final`. */
export async function runChain(e: RequestEvent, list: Middleware[], final: () => Promise<void>): Promise<void> {
  let i = 0;
  // NB: not an async function (one Promise less per link on every request); a synchronous throw
  // still reaches the caller as a rejection, as it would from an async function
  const next = (): Promise<void> => {
    const mw = list[i++];
    try {
      if (!mw) return final();
      const r = mw(e, next);
      return isPromiseLike(r) ? Promise.resolve(r).then(ignore) : RESOLVED;
    } catch (err) {
      return Promise.reject(err);
    }
  };
  await next();
}

const RESOLVED: Promise<void> = Promise.resolve();

function ignore(): void {}

function isPromiseLike(v: unknown): v is PromiseLike<unknown> {
  return typeof v === "object" && v !== null && typeof (v as { then?: unknown }).then === "function";
}
