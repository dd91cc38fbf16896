/**
 * The `@request.*` data a rule is evaluated with, and the lookups the resolver performs on it.
 */
import type { CollectionConfig } from "../collections/collection-types.ts";

/** The authenticated record of a request. */
export interface AuthInfo {
  /** The auth record's collection. */
  collection: CollectionConfig;
  /** The record's raw field values, hidden ones included (`id`, `email`, `verified`, …). */
  record: Record<string, unknown>;
}

/** What `@request.*` can see. */
export interface RequestInfo {
  /** The authenticated record, null for guests (and superusers are passed like any auth record). */
  auth: AuthInfo | null;
  /** The parsed body (after record modifiers, without hidden fields for non-superusers). */
  body: Record<string, unknown>;
  /** Query parameters (first value of each). */
  query: Record<string, string>;
  /**
   * Request headers (first value of each). Keys may be given as sent (`X-Api-Key`); they are
   * matched in PocketBase's snake_case form (`x_api_key`).
   */
  headers: Record<string, string>;
  /** The HTTP method, upper case. */
  method: string;
  /** `default`, `oauth2`, `otp`, `password`, `realtime`, `protectedFile`, `expand` or `batch`. */
  context: string;
}

/** An empty request (no auth, no data), context `default`. */
export function emptyRequestInfo(): RequestInfo {
  return { auth: null, body: {}, query: {}, headers: {}, method: "GET", context: "default" };
}

/**
 * PocketBase parity: header names are matched in snake case: non-word characters become `_`,
 * `_` is inserted at camel-case boundaries and the result is lower-cased (`X-Api-Key` → `x_api_key`).
 */
export function snakeCaseHeaderName(name: string): string {
  return name
    .replace(/([a-z0-9])([A-Z])/g, "$1_$2")
    .split(/[^\w]+/)
    .filter((p) => p !== "")
    .join("_")
    .toLowerCase();
}

/** The header value for a snake_case key, or undefined. */
export function findHeader(headers: Record<string, string>, key: string): string | undefined {
  if (Object.hasOwn(headers, key)) return headers[key];
  for (const [k, v] of Object.entries(headers)) if (snakeCaseHeaderName(k) === key) return v;
  return undefined;
}

/** The auth fields that are read straight from the auth record (no join). */
export const STATIC_AUTH_FIELDS: ReadonlySet<string> = new Set([
  "id",
  "collectionId",
  "collectionName",
  "email",
  "emailVisibility",
  "verified",
]);

/** A found value (`found: false` when a key on the way is missing). */
export interface LookupResult {
  found: boolean;
  value: unknown;
}

/** Follows `path` through nested plain objects (and arrays by numeric key). */
export function lookupPath(root: unknown, path: readonly string[]): LookupResult {
  let cur: unknown = root;
  for (const key of path) {
    if (cur === null || typeof cur !== "object") return { found: false, value: undefined };
    if (!Object.hasOwn(cur, key)) return { found: false, value: undefined };
    cur = (cur as Record<string, unknown>)[key];
  }
  return { found: true, value: cur };
}

/** The value of a static auth field (`collectionId`/`collectionName` come from the collection). */
export function staticAuthValue(auth: AuthInfo, field: string): unknown {
  if (field === "collectionId") return auth.collection.id;
  if (field === "collectionName") return auth.collection.name;
  return auth.record[field];
}
