import { snakecase } from "../../tools/inflector.ts";

/** The `?options=` of a subscription: they feed `@request.query.*` / `@request.headers.*`. */
export interface SubscriptionOptions {
  /** Query values, stringified (`filter`, `expand`, `fields`, and any custom key). */
  query: { [k: string]: string };
  /** Header values by snake_cased name (`X-Token` → `x_token`). */
  headers: { [k: string]: string };
}

/** One subscription of a client, parsed once when it is set. */
export interface Subscription {
  /** The subscription string exactly as submitted: the SSE event name of its messages. */
  readonly raw: string;
  /** The part before the first `?` (`posts/*`, `posts/RECORD_ID`, `@oauth2`, …). */
  readonly topic: string;
  /** The parsed options (empty when there are none or they are malformed). */
  readonly options: SubscriptionOptions;
  /** A canonical form of `options`: subscriptions with equal keys are evaluated alike. */
  readonly optionsKey: string;
  /** The UTF-8 bytes `id:<clientId>\nevent:<raw>\ndata:` (filled lazily by the client). */
  framePrefix: Uint8Array | null;
}

/** The query parameter of a subscription string that holds its JSON options. */
export const OPTIONS_PARAM = "options";

/**
 * Parses a subscription string: `topic[?options=<url-encoded JSON {query, headers}>]`.
 *
 * PocketBase parity: malformed options are ignored silently (the subscription is kept, without
 * options); query values are stringified (numbers and booleans as text, other values as `""`);
 * only string header values are kept, under snake_cased names.
 */
export function parseSubscription(raw: string): Subscription {
  const q = raw.indexOf("?");
  const topic = q < 0 ? raw : raw.slice(0, q);
  const options: SubscriptionOptions = { query: {}, headers: {} };
  if (q >= 0) {
    let json: string | null = null;
    try {
      json = new URLSearchParams(raw.slice(q + 1)).get(OPTIONS_PARAM);
    } catch {
      json = null;
    }
    if (json) readOptions(json, options);
  }
  return { raw, topic, options, optionsKey: optionsKeyOf(options), framePrefix: null };
}

function readOptions(json: string, into: SubscriptionOptions): void {
  let parsed: unknown;
  try {
    parsed = JSON.parse(json);
  } catch {
    return;
  }
  if (!isPlainObject(parsed)) return;
  if (isPlainObject(parsed.query)) {
    for (const [k, v] of Object.entries(parsed.query)) into.query[k] = stringify(v);
  }
  if (isPlainObject(parsed.headers)) {
    for (const [k, v] of Object.entries(parsed.headers)) {
      if (typeof v === "string") into.headers[snakecase(k)] = v;
    }
  }
}

/** Go's `cast.ToString` on a decoded JSON value. */
function stringify(v: unknown): string {
  if (typeof v === "string") return v;
  if (typeof v === "number") return Number.isFinite(v) ? String(v) : "";
  if (typeof v === "boolean") return v ? "true" : "false";
  return "";
}

function isPlainObject(v: unknown): v is { [k: string]: unknown } {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

function optionsKeyOf(o: SubscriptionOptions): string {
  const q = Object.keys(o.query);
  const h = Object.keys(o.headers);
  if (q.length === 0 && h.length === 0) return "";
  const sorted = (obj: { [k: string]: string }, keys: string[]) => keys.sort().map((k) => [k, obj[k]]);
  return JSON.stringify([sorted(o.query, q), sorted(o.headers, h)]);
}

/**
 * The topics a change of `recordId` in a collection is published under, with the rule that
 * guards each. PocketBase parity: the collection is named by name or id (exact, case-sensitive);
 * the bare collection topic is the deprecated form of `collection/*`.
 */
export function recordTopics(collectionName: string, collectionId: string, recordId: string): { topic: string; rule: "list" | "view" }[] {
  const out: { topic: string; rule: "list" | "view" }[] = [];
  const seen = new Set<string>();
  const add = (topic: string, rule: "list" | "view") => {
    if (seen.has(topic)) return;
    seen.add(topic);
    out.push({ topic, rule });
  };
  for (const c of [collectionName, collectionId]) {
    add(`${c}/${recordId}`, "view");
    add(`${c}/*`, "list");
    add(c, "list");
  }
  return out;
}
