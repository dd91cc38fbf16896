import type { App } from "../app.ts";

/** PocketBase parity: a verification or password reset mail is resent at most every 2 minutes. */
export const RESEND_INTERVAL_MS = 120_000;

function entries(app: App): Map<string, number> {
  const store = app.store();
  let map = store.get("__satchelResendThrottle__") as Map<string, number> | undefined;
  if (!map) {
    map = new Map();
    store.set("__satchelResendThrottle__", map);
  }
  return map;
}

/** True while a mail of that kind for that record was sent less than the interval ago. */
export function isResendThrottled(app: App, key: string): boolean {
  const until = entries(app).get(key);
  return until !== undefined && until > Date.now();
}

/** Remembers that a mail was just sent (expired entries are swept on the way). */
export function markResent(app: App, key: string, intervalMs = RESEND_INTERVAL_MS): void {
  const map = entries(app);
  const now = Date.now();
  if (map.size > 1000) for (const [k, until] of map) if (until <= now) map.delete(k);
  map.set(key, now + intervalMs);
}

/** Forgets a throttle entry (e.g. after the token was used). */
export function clearResend(app: App, key: string): void {
  entries(app).delete(key);
}
