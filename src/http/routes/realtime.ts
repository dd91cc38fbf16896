import type { Server } from "bun";
import type { Router } from "../router.ts";
import type { App } from "../../core/app.ts";
import type { RequestEvent } from "../../core/request-event.ts";
import type { Record } from "../../core/records/record.ts";
import type { ErrorData } from "../../core/api-error.ts";
import { ApiError, fieldError } from "../../core/api-error.ts";
import { registerRealtime } from "../../core/realtime/register-realtime.ts";
import { forwardToClientOwner } from "../peer-forward.ts";
import { CLIENT_AUTH_KEY, DEFAULT_IDLE_TIMEOUT_MS, DEFAULT_MAX_TIMEOUT_MS, RealtimeClient } from "../../core/realtime/realtime-client.ts";
import type { RealtimeConnectRequestEvent, RealtimeSubscribeRequestEvent } from "../../core/realtime/realtime-events.ts";

/** PocketBase's limits of `POST /api/realtime`. */
export const MAX_CLIENT_ID_LENGTH = 255;
/** At most this many subscriptions per request. */
export const MAX_SUBSCRIPTIONS = 1000;
/** At most this many characters per subscription. */
export const MAX_SUBSCRIPTION_LENGTH = 2500;

const SSE_HEADERS = { "content-type": "text/event-stream", "cache-control": "no-store", "x-accel-buffering": "no" };

/** Realtime over SSE: `GET /api/realtime` (connect) and `POST /api/realtime` (set subscriptions). */
export function registerRealtimeRoutes(router: Router, app: App): void {
  registerRealtime(app);
  router.add("GET", "/api/realtime", connect);
  router.add("POST", "/api/realtime", setSubscriptions);
}

/**
 * Opens the event stream: a new client, `PB_CONNECT` with its id, then every message until the
 * peer goes away, the idle (5 min) or lifetime (30 min) timer fires or the server stops. The
 * `onRealtimeConnectRequest` chain stays open for the whole connection.
 */
async function connect(e: RequestEvent): Promise<void> {
  const broker = registerRealtime(e.app);
  // NB: Bun.serve ends a request after 10 s without traffic; lift that for this stream only
  const server = e.get("bunServer") as Server<unknown> | undefined;
  server?.timeout(e.request, 0);

  const client = new RealtimeClient(null, broker.newClientId());
  client.remoteIP = e.remoteIP;
  client.requestEvent = e;
  let controller!: ReadableStreamDefaultController<Uint8Array>;
  const stream = new ReadableStream<Uint8Array>({
    start: (c) => {
      controller = c;
    },
    cancel: () => client.discard(),
  });
  client.setSink({
    write: (frame) => controller.enqueue(frame),
    close: () => {
      try {
        controller.close();
      } catch {
        // already closed or cancelled
      }
    },
  });
  // the peer went away: clean up at once
  e.request.signal.addEventListener("abort", () => client.discard(), { once: true });

  const ev = Object.assign(e, { client, idleTimeout: DEFAULT_IDLE_TIMEOUT_MS, maxTimeout: DEFAULT_MAX_TIMEOUT_MS }) as RealtimeConnectRequestEvent;
  let markStarted!: () => void;
  const started = new Promise<"started">((r) => (markStarted = () => r("started")));
  const chain = e.app.hooks.realtimeConnectRequest.triggerAsync(ev, async (ce) => {
    broker.register(ce.client);
    ce.client.startTimers(ce.idleTimeout, ce.maxTimeout);
    await broker.dispatch(ce.client, { name: "PB_CONNECT", data: JSON.stringify({ clientId: ce.client.id() }) });
    markStarted();
    await ce.client.closed;
  });
  let outcome: "started" | "done";
  try {
    outcome = await Promise.race([started, chain.then(() => "done" as const)]);
  } catch (err) {
    client.discard();
    throw err;
  }
  if (outcome === "started") {
    chain.catch((err) => console.error("[satchel] onRealtimeConnectRequest failed after the stream started:", err)).finally(() => client.discard());
    e.response = new Response(stream, { status: 200, headers: SSE_HEADERS });
    return;
  }
  // a handler ended the chain without the built-in step: no client, an empty stream (or its own answer)
  client.discard();
  e.response ??= new Response(null, { status: 200, headers: SSE_HEADERS });
}

/** The `{clientId, subscriptions}` body; a wrong shape is a 400 like PocketBase's failed bind. */
function readForm(e: RequestEvent): { clientId: string; subscriptions: string[] } {
  const bad = () => new ApiError(400, "", {});
  if (e.get("rawBody") !== undefined) throw bad();
  const rawId = e.body.clientId ?? "";
  if (typeof rawId !== "string") throw bad();
  let subs = e.body.subscriptions ?? [];
  const isJson = (e.request.headers.get("content-type") ?? "").toLowerCase().includes("json");
  if (typeof subs === "string" && !isJson) subs = [subs];
  if (!Array.isArray(subs)) throw bad();
  const subscriptions = subs.map((s) => {
    if (s === null) return "";
    if (typeof s !== "string") throw bad();
    return s;
  });
  return { clientId: rawId, subscriptions };
}

/** PocketBase's form validation: clientId 1–255 characters, ≤1000 subscriptions of ≤2500 characters. */
function validateForm(form: { clientId: string; subscriptions: string[] }): ErrorData {
  const errors: ErrorData = {};
  const idLen = [...form.clientId].length;
  if (idLen === 0) errors.clientId = fieldError("validation_required", "Cannot be blank.");
  else if (idLen > MAX_CLIENT_ID_LENGTH) {
    errors.clientId = fieldError("validation_length_out_of_range", `The length must be between 1 and ${MAX_CLIENT_ID_LENGTH}.`, { max: MAX_CLIENT_ID_LENGTH, min: 1 });
  }
  if (form.subscriptions.length > MAX_SUBSCRIPTIONS) {
    errors.subscriptions = fieldError("validation_length_too_long", `The length must be no more than ${MAX_SUBSCRIPTIONS}.`, { max: MAX_SUBSCRIPTIONS, min: 0 });
  } else {
    const each: ErrorData = {};
    form.subscriptions.forEach((s, i) => {
      if ([...s].length > MAX_SUBSCRIPTION_LENGTH) {
        each[String(i)] = fieldError("validation_length_too_long", `The length must be no more than ${MAX_SUBSCRIPTION_LENGTH}.`, { max: MAX_SUBSCRIPTION_LENGTH, min: 0 });
      }
    });
    if (Object.keys(each).length > 0) errors.subscriptions = each;
  }
  return errors;
}

function sameAuth(a: Record, b: Record | null): boolean {
  return !!b && a.id === b.id && a.collection().id === b.collection().id;
}

/**
 * Replaces a client's subscriptions. PocketBase parity: the request's auth becomes the client's
 * auth state; a client with auth may not switch to another auth (or to none), a guest may log in.
 */
async function setSubscriptions(e: RequestEvent): Promise<void> {
  const broker = registerRealtime(e.app);
  const form = readForm(e);
  const errors = validateForm(form);
  if (Object.keys(errors).length > 0) throw new ApiError(400, "", errors);
  const client = broker.clientById(form.clientId);
  if (!client || client.isDiscarded()) {
    // `serve --workers=N`: the client's stream may live in another worker
    const forwarded = await forwardToClientOwner(e, form.clientId);
    if (forwarded) {
      e.response = forwarded;
      return;
    }
    throw new ApiError(404, "Missing or invalid client id.");
  }
  if (client.remoteIP !== e.remoteIP) throw new ApiError(400, "Invalid realtime client.");
  const current = client.auth();
  if (current && !sameAuth(current, e.auth)) throw new ApiError(403, "The current and the previous request authorization don't match.");

  const ev = Object.assign(e, { client, subscriptions: form.subscriptions }) as RealtimeSubscribeRequestEvent;
  await e.app.hooks.realtimeSubscribeRequest.triggerAsync(ev, (se) => {
    se.client.set(CLIENT_AUTH_KEY, se.auth);
    se.client.unsubscribe();
    se.client.subscribe(...se.subscriptions);
    se.noContent(204);
  });
}
