/**
 * The one SDK client the dashboard uses. It talks to the server that served the page, through
 * the public REST API only; the superuser session lives in localStorage so it survives reloads.
 */
import PocketBase, { LocalAuthStore, ClientResponseError } from "pocketbase";

/** localStorage key of the superuser session. */
export const AUTH_KEY = "satchel_superuser_auth";

/** The SDK client (same origin as the dashboard). */
export const pb = new PocketBase(location.origin, new LocalAuthStore(AUTH_KEY));
// NB: the SDK cancels a pending request when another with the same key starts; the dashboard
// runs many independent requests (lists, counts, pickers), so it opts out globally.
pb.autoCancellation(false);

/** True when the stored session is a valid superuser session. */
export function isSuperuserSession(): boolean {
  return pb.authStore.isValid && pb.authStore.isSuperuser;
}

/** Field errors of an SDK error (`data` of PocketBase's error envelope), or `{}`. */
export function errorData(err: unknown): Record<string, unknown> {
  if (err instanceof ClientResponseError) {
    const data = err.response?.data;
    if (data && typeof data === "object") return data as Record<string, unknown>;
  }
  return {};
}

/** A one-line message for an error (the envelope's `message`, else the error's own). */
export function errorMessage(err: unknown): string {
  if (err instanceof ClientResponseError) {
    if (err.isAbort) return "The request was cancelled.";
    if (err.status === 0) return "The server could not be reached.";
    return err.response?.message || err.message || "Something went wrong.";
  }
  return err instanceof Error ? err.message : String(err);
}

/** True when the error is the SDK's 404 (used to hide features the server does not offer). */
export function isNotFound(err: unknown): boolean {
  return err instanceof ClientResponseError && err.status === 404;
}

export { ClientResponseError };
