import { timingSafeEqual } from "node:crypto";
import type { App } from "../core/app.ts";
import type { RequestEvent } from "../core/request-event.ts";

/**
 * With `serve --workers=N`, a realtime client's event stream lives in one worker, while the
 * client's other requests (setting its subscriptions, the OAuth2 redirect addressed to it) may
 * reach any worker. Such a request is forwarded to the worker that holds the stream, over that
 * worker's private 127.0.0.1 listener, with the original client IP and a secret only the workers
 * know.
 */
export interface PeerDirectory {
  /** The private base URL of the worker that holds this realtime client, or null (here or unknown). */
  urlForClient(clientId: string): string | null;
  /** The secret that marks a request forwarded by a worker. */
  secret: string;
}

/** The request headers a forwarded request carries. */
export const PEER_HEADERS = {
  secret: "x-satchel-peer-secret",
  remoteIP: "x-satchel-peer-remote-ip",
} as const;

const directories = new WeakMap<App, PeerDirectory>();

/** Installs the worker's directory of peers. */
export function setPeerDirectory(app: App, directory: PeerDirectory): void {
  directories.set(app, directory);
}

function directoryOf(app: App): PeerDirectory | null {
  for (let a: object | null = app; a; a = Object.getPrototypeOf(a) as object | null) {
    const d = directories.get(a as App);
    if (d) return d;
  }
  return null;
}

function sameSecret(given: string, expected: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && b.length > 0 && timingSafeEqual(a, b);
}

/** The client IP of a request forwarded by a peer worker, or null when it was not forwarded. */
export function forwardedRemoteIP(app: App, req: Request): string | null {
  const dir = directoryOf(app);
  const secret = req.headers.get(PEER_HEADERS.secret);
  if (!dir || secret === null || !sameSecret(secret, dir.secret)) return null;
  return req.headers.get(PEER_HEADERS.remoteIP) ?? "";
}

/**
 * Forwards the request to the worker that holds the realtime client `clientId` and returns that
 * worker's response; null when the client is not elsewhere (one process, this worker, an
 * unknown id, or a request that was already forwarded once).
 */
export async function forwardToClientOwner(e: RequestEvent, clientId: string): Promise<Response | null> {
  const dir = directoryOf(e.app);
  if (!dir || forwardedRemoteIP(e.app, e.request) !== null) return null;
  const base = dir.urlForClient(clientId);
  if (!base) return null;
  const headers = new Headers({ [PEER_HEADERS.secret]: dir.secret, [PEER_HEADERS.remoteIP]: e.remoteIP });
  const auth = e.request.headers.get("authorization");
  if (auth) headers.set("authorization", auth);
  const method = e.request.method;
  let body: string | undefined;
  if (method !== "GET" && method !== "HEAD") {
    headers.set("content-type", "application/json");
    body = JSON.stringify(e.body ?? {});
  }
  const res = await fetch(base + e.url.pathname + e.url.search, { method, headers, body, redirect: "manual" });
  return new Response(res.body, { status: res.status, headers: res.headers });
}
