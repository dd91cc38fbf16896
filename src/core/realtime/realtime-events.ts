import type { RequestEvent } from "../request-event.ts";
import type { RealtimeClient, RealtimeMessage } from "./realtime-client.ts";

/**
 * `onRealtimeConnectRequest`: `GET /api/realtime`. The built-in step (the last `e.next()`)
 * registers the client, sends `PB_CONNECT` and returns only when the connection ends, so code
 * after `await e.next()` runs on disconnect. `idleTimeout`/`maxTimeout` are milliseconds
 * (PocketBase: 5 and 30 minutes) and may be changed before `e.next()`.
 */
export type RealtimeConnectRequestEvent = RequestEvent & {
  client: RealtimeClient;
  idleTimeout: number;
  maxTimeout: number;
};

/**
 * `onRealtimeSubscribeRequest`: `POST /api/realtime`. The built-in step stores the request's
 * auth on the client and replaces its subscriptions with `e.subscriptions`.
 */
export type RealtimeSubscribeRequestEvent = RequestEvent & {
  client: RealtimeClient;
  subscriptions: string[];
};

/**
 * `onRealtimeMessageSend`: every message written to a client (PB_CONNECT included). The event
 * is built on the client's connect request (`e.request`, `e.get`, …); handlers may change
 * `e.message` or drop it by not calling `e.next()`.
 */
export type RealtimeMessageEvent = RequestEvent & {
  client: RealtimeClient;
  message: RealtimeMessage;
};
