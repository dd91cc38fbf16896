import type { Middleware } from "../router.ts";

/**
 * CORS for `--origins` (default `*`). PocketBase parity: a preflight (OPTIONS) answers 204 with
 * the allowed methods and the requested headers echoed; no credentials header, no max-age.
 */
export function corsMiddleware(origins: string[]): Middleware {
  const any = origins.length === 0 || origins.includes("*");
  return async (e, next) => {
    const origin = e.request.headers.get("origin");
    let allowed: string | null = null;
    if (origin) allowed = any ? "*" : origins.includes(origin) ? origin : null;
    if (allowed) {
      e.responseHeaders.set("Access-Control-Allow-Origin", allowed);
      if (!any) e.responseHeaders.append("Vary", "Origin");
    }
    if (e.request.method === "OPTIONS") {
      if (allowed) {
        e.responseHeaders.set("Access-Control-Allow-Methods", "GET,HEAD,PUT,PATCH,POST,DELETE");
        const reqHeaders = e.request.headers.get("access-control-request-headers");
        if (reqHeaders) e.responseHeaders.set("Access-Control-Allow-Headers", reqHeaders);
        e.responseHeaders.set("Vary", "Origin, Access-Control-Request-Method, Access-Control-Request-Headers");
      }
      e.noContent(204);
      return;
    }
    await next();
  };
}
