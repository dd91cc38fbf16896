import type { Middleware } from "../router.ts";

/** PocketBase's security headers on every response (the file route drops X-Frame-Options). */
export const securityHeadersMiddleware: Middleware = async (e, next) => {
  e.responseHeaders.set("X-XSS-Protection", "1; mode=block");
  e.responseHeaders.set("X-Content-Type-Options", "nosniff");
  e.responseHeaders.set("X-Frame-Options", "SAMEORIGIN");
  await next();
};
