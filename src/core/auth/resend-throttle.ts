import type { App } from "../app.ts";
import { rateLimitCounter } from "../rate-limit/rate-limit-counter.ts";

/** PocketBase parity: a verification or password reset mail is resent at most every 2 minutes. */
export const RESEND_INTERVAL_MS = 120_000;

/**
 * Claims the right to send a mail of that kind for that record: true at most once per interval.
 * NB: counted in the app's auth throttle counter, so with `serve --workers=N` one claim holds for
 * every worker. Call `clearResend` when the mail could not be sent.
 */
export async function claimResend(app: App, key: string, intervalMs = RESEND_INTERVAL_MS): Promise<boolean> {
  return await rateLimitCounter(app, "auth").hit(`resend:${key}`, 1, intervalMs);
}

/** Forgets a claim (the mail failed, or the token was used). */
export function clearResend(app: App, key: string): void {
  rateLimitCounter(app, "auth").reset?.(`resend:${key}`);
}
