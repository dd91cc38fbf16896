import type { Middleware, RouteMatch, Router } from "../router.ts";
import type { RequestEvent } from "../../core/request-event.ts";
import { ApiError } from "../../core/api-error.ts";
import { realIP } from "../routes/record-auth-response.ts";
import { rateLimitCounter } from "../../core/rate-limit/rate-limit-counter.ts";
import { findRateLimitRule, isExcludedIP, rateLimitAudiences, rateLimitKey, rateLimitLabels } from "../../core/rate-limit/rate-limit-rules.ts";

/**
 * PocketBase's rate-limit tags of the collection endpoints: `[method, pattern, ...tags]`. Such a
 * request is looked up as `<collection>:<tag>` and `*:<tag>` before its path labels, and counts
 * per collection. `auth` is the extra tag of the three sign-in endpoints.
 */
export const COLLECTION_RATE_LIMIT_TAGS: readonly (readonly [string, string, ...string[]])[] = [
  ["GET", "/api/collections/{collection}/records", "list"],
  ["GET", "/api/collections/{collection}/records/{id}", "view"],
  ["POST", "/api/collections/{collection}/records", "create"],
  ["PATCH", "/api/collections/{collection}/records/{id}", "update"],
  ["DELETE", "/api/collections/{collection}/records/{id}", "delete"],
  ["GET", "/api/collections/{collection}/auth-methods", "listAuthMethods"],
  ["POST", "/api/collections/{collection}/auth-refresh", "authRefresh"],
  ["POST", "/api/collections/{collection}/auth-with-password", "authWithPassword", "auth"],
  ["POST", "/api/collections/{collection}/auth-with-oauth2", "authWithOAuth2", "auth"],
  ["POST", "/api/collections/{collection}/request-otp", "requestOTP"],
  ["POST", "/api/collections/{collection}/auth-with-otp", "authWithOTP", "auth"],
  ["POST", "/api/collections/{collection}/request-password-reset", "requestPasswordReset"],
  ["POST", "/api/collections/{collection}/confirm-password-reset", "confirmPasswordReset"],
  ["POST", "/api/collections/{collection}/request-verification", "requestVerification"],
  ["POST", "/api/collections/{collection}/confirm-verification", "confirmVerification"],
  ["POST", "/api/collections/{collection}/request-email-change", "requestEmailChange"],
  ["POST", "/api/collections/{collection}/confirm-email-change", "confirmEmailChange"],
  ["GET", "/api/files/{collection}/{recordId}/{filename}", "file"],
];

/**
 * Tags the built-in collection endpoints of `router` (after they are registered). NB: throws when
 * one of them is missing, so a renamed route cannot silently lose its limits.
 */
export function tagCollectionRateLimits(router: Router): void {
  for (const [method, pattern, ...tags] of COLLECTION_RATE_LIMIT_TAGS) router.setRateLimitTags(method, pattern, ...tags);
}

const middlewares = new WeakMap<Router, Middleware>();

/**
 * PocketBase's global `pbRateLimit` middleware (after the security headers): with
 * `settings.rateLimits.enabled`, counts the request against the first matching rule and answers
 * 429 once the rule's `maxRequests` per `duration` seconds are used up for this client IP.
 * NB: disabled (the default), it costs one boolean check per request.
 */
export function rateLimitMiddleware(router: Router): Middleware {
  let mw = middlewares.get(router);
  if (!mw) {
    mw = (e, next) => (e.app.settings().rateLimits.enabled ? limitThenNext(router, e, next) : next());
    middlewares.set(router, mw);
  }
  return mw;
}

async function limitThenNext(router: Router, e: RequestEvent, next: () => Promise<void>): Promise<void> {
  // the global chain runs before routing: match here to know whether it is a collection endpoint
  const m = router.match(e.request.method, e.url.pathname);
  const pending = enforceRateLimit(e, "notFound" in m ? undefined : m);
  if (pending) await pending;
  await next();
}

/**
 * Counts `e` against the rate limits; throws the 429 `ApiError` when its rule is used up. For a
 * tagged collection endpoint (`route.rateLimitTags`) the collection labels come first. Superusers
 * and `excludedIPs` are never limited. Returns a Promise only when the counter answers
 * asynchronously (a counter shared across processes). Also used for batch sub-requests, which
 * PocketBase counts like direct calls.
 */
export function enforceRateLimit(e: RequestEvent, route?: Pick<RouteMatch, "params" | "rateLimitTags">): Promise<void> | undefined {
  const cfg = e.app.settings().rateLimits;
  if (!cfg.enabled || e.hasSuperuserAuth()) return;
  const ip = realIP(e);
  // PocketBase parity: no client key (e.g. an in-process request), no limit
  if (!ip || isExcludedIP(cfg.excludedIPs, ip)) return;
  const method = e.request.method;
  const path = e.url.pathname;
  const tags = route?.rateLimitTags;
  const c = tags ? e.app.findCachedCollectionByNameOrId(route!.params.collection ?? "") : null;
  const labels = c && tags ? rateLimitLabels(method, path, c.name, tags) : rateLimitLabels(method, path);
  const rule = findRateLimitRule(cfg.rules, labels, rateLimitAudiences(e.auth !== null));
  if (!rule) return;
  // PocketBase parity: on a collection endpoint every rule counts per collection and endpoint
  const scope = c && tags ? `${c.id} ${tags.join(",")}` : "";
  const allowed = rateLimitCounter(e.app).hit(rateLimitKey(rule, scope, ip), rule.maxRequests, rule.duration * 1000);
  if (allowed === true) return;
  if (allowed === false) throw tooManyRequests();
  return allowed.then((ok) => {
    if (!ok) throw tooManyRequests();
  });
}

function tooManyRequests(): ApiError {
  return new ApiError(429, "Too Many Requests.");
}
