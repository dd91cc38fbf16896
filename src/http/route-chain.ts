import type { RequestEvent } from "../core/request-event.ts";
import type { Middleware, RouteMatch } from "./router.ts";

/** The per-request key under which the shared request-lock release function is kept. */
export const RELEASE_SHARED_LOCK = "__satchelReleaseSharedLock";

/** Runs a matched route's own middlewares and handler (the body is already parsed). */
export async function runRoute(e: RequestEvent, m: RouteMatch): Promise<void> {
  await runChain(e, m.middlewares, async () => {
    await m.handler(e);
  });
}

/** Runs middlewares in order around `final`. */
export async function runChain(e: RequestEvent, list: Middleware[], final: () => Promise<void>): Promise<void> {
  let i = 0;
  const next = async (): Promise<void> => {
    const mw = list[i++];
    if (!mw) return final();
    await mw(e, next);
  };
  await next();
}
