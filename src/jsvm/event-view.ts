import { RequestEvent, type UploadedFile } from "../core/request-event.ts";
import { ApiError, type ErrorData } from "../core/api-error.ts";
import { Record } from "../core/records/record.ts";
import { realIP } from "../http/routes/record-auth-response.ts";
import { jsApp } from "./app-view.ts";
import { forJs } from "./models.ts";

/** Go's `http.Header` API (`get`, `set`, `add`, `del`, `values`) over fetch Headers. */
export function goHeader(h: Headers) {
  return {
    get: (k: string) => h.get(k) ?? "",
    values: (k: string) => (h.get(k) ?? "").split(",").map((s) => s.trim()).filter(Boolean),
    has: (k: string) => h.has(k),
    set: (k: string, v: string) => h.set(k, String(v)),
    add: (k: string, v: string) => h.append(k, String(v)),
    del: (k: string) => h.delete(k),
  };
}

/**
 * `e.request` as PocketBase's JS sees it (a Go `http.Request`): `method`, `url.path`,
 * `url.query().get(k)`, `header.get(k)`, `pathValue(name)`, `formValue(k)`, `host`, `remoteAddr`.
 * The fetch Request stays reachable as `e.request.raw` and its `headers`.
 */
function goRequest(e: RequestEvent) {
  const u = e.url;
  return {
    method: e.request.method,
    host: u.host,
    remoteAddr: e.remoteIP,
    requestURI: u.pathname + u.search,
    contentLength: Number(e.request.headers.get("content-length") ?? -1),
    url: {
      path: u.pathname,
      rawQuery: u.search.replace(/^\?/, ""),
      host: u.host,
      scheme: u.protocol.replace(/:$/, ""),
      query: () => ({
        get: (k: string) => u.searchParams.get(k) ?? "",
        has: (k: string) => u.searchParams.has(k),
        values: (k: string) => u.searchParams.getAll(k),
      }),
      string: () => u.toString(),
      toString: () => u.toString(),
    },
    header: goHeader(e.request.headers),
    headers: e.request.headers,
    raw: e.request,
    pathValue: (name: string) => e.params[name] ?? "",
    formValue: (k: string) => {
      const v = e.body[k] ?? u.searchParams.get(k);
      return v === undefined || v === null ? "" : Array.isArray(v) ? String(v[0] ?? "") : String(v);
    },
    userAgent: () => e.request.headers.get("user-agent") ?? "",
    referer: () => e.request.headers.get("referer") ?? "",
  };
}

/** `e.response` as PocketBase's JS sees it: `header().set(k, v)` adds response headers. */
function goResponse(e: RequestEvent) {
  return {
    header: () => goHeader(e.responseHeaders),
    get raw() {
      return e.response;
    },
  };
}

const apiErrorFactory = (status: number) => (message?: string, data?: ErrorData) => new ApiError(status, message, data ?? {});

/** Extra request-event members PocketBase's JS API has (computed per event view). */
function requestExtras(e: RequestEvent, keysOnly = false): { [k: string]: unknown } {
  return {
    request: keysOnly ? null : goRequest(e),
    response: keysOnly ? null : goResponse(e),
    remoteIP: () => e.remoteIP,
    realIP: () => realIP(e),
    isTLS: () => e.url.protocol === "https:",
    written: () => e.response !== null,
    status: () => e.response?.status ?? 0,
    getAll: () => {
      // NB: the per-request store is private to RequestEvent; PocketBase's JS API can list it
      const store = (e as unknown as { store?: Map<string, unknown> }).store;
      return store ? Object.fromEntries(store) : {};
    },
    setAll: (m: { [k: string]: unknown }) => {
      for (const [k, v] of Object.entries(m ?? {})) e.set(k, v);
    },
    requestInfo: () => {
      const info = e.requestInfo();
      return { ...info, hasSuperuserAuth: () => e.hasSuperuserAuth() };
    },
    bindBody: (dst: unknown) => {
      if (dst instanceof Record) dst.load(e.body);
      else if (dst && typeof dst === "object") {
        const keys = Object.keys(dst);
        if (keys.length === 0) Object.assign(dst, e.body);
        else for (const k of keys) if (k in e.body) (dst as { [k: string]: unknown })[k] = e.body[k];
      }
      return dst;
    },
    findUploadedFiles: (key: string): UploadedFile[] => e.files[key] ?? [],
    error: (status: number, message?: string, data?: ErrorData) => new ApiError(status, message, data ?? {}),
    badRequestError: apiErrorFactory(400),
    unauthorizedError: apiErrorFactory(401),
    forbiddenError: apiErrorFactory(403),
    notFoundError: apiErrorFactory(404),
    tooManyRequestsError: apiErrorFactory(429),
    internalServerError: apiErrorFactory(500),
    xml: (status: number, data: unknown) => e.blob(status, "application/xml; charset=utf-8", String(data)),
    stream: (status: number, contentType: string, body: BodyInit) => e.blob(status, contentType, body),
  };
}

const REQUEST_EXTRA_KEYS = new Set(Object.keys(requestExtras(null as unknown as RequestEvent, true)));

/**
 * The event a JS handler receives: the real event seen through a Proxy that gives `e.app` the JS
 * App view, adds PocketBase's request API (`e.request.pathValue`, `e.response.header()`,
 * `e.remoteIP()`, `e.bindBody`, the error helpers …) and, when given, its own `e.next`.
 * Writes (`e.auth = …`, `e.record = …`) go to the real event.
 */
export function eventView<E extends object>(e: E, next?: () => unknown): E {
  const isRequest = e instanceof RequestEvent;
  // NB: built on first use; most handlers touch none of them (a trivial JS route lost ~20 % of
  // its throughput when they were built for every request)
  let extras: { [k: string]: unknown } | null = null;
  const bound = new Map<PropertyKey, unknown>();
  const view = new Proxy(e, {
    get(target, prop) {
      if (prop === "next" && next) return next;
      if (prop === "app") return jsApp((target as { app?: unknown }).app);
      if (isRequest && typeof prop === "string" && REQUEST_EXTRA_KEYS.has(prop)) return (extras ??= requestExtras(e as unknown as RequestEvent))[prop];
      const v = Reflect.get(target, prop, target);
      if (typeof v === "function") {
        let b = bound.get(prop);
        if (!b || (b as { __src?: unknown }).__src !== v) {
          const fn = (...args: unknown[]) => (v as (...a: unknown[]) => unknown).apply(target, args);
          (fn as unknown as { __src: unknown }).__src = v;
          bound.set(prop, fn);
          b = fn;
        }
        return b;
      }
      return forJs(v);
    },
    set(target, prop, value) {
      return Reflect.set(target, prop, value, target);
    },
  });
  realEvents.set(view, e);
  return view as any;
}

const realEvents = new WeakMap<object, object>();

/** The real event behind a JS event view (or the value itself). */
export function unwrapEvent(v: unknown): unknown {
  return typeof v === "object" && v !== null ? (realEvents.get(v) ?? v) : v;
}
