import { MessageChannel, receiveMessageOnPort } from "node:worker_threads";

/** `$http.send` options (PocketBase's names). */
export interface HttpSendConfig {
  url: string;
  method?: string;
  /** A raw body (string or bytes). */
  body?: string | Uint8Array;
  /** A JSON body (sets `content-type: application/json` unless given). */
  data?: unknown;
  headers?: { [name: string]: string };
  /** Seconds, default 120. */
  timeout?: number;
}

/** `$http.send` result (PocketBase's shape). */
export interface HttpSendResult {
  statusCode: number;
  /** Header values by canonical name (`Content-Type`), as lists. */
  headers: { [name: string]: string[] };
  cookies: { [name: string]: { name: string; value: string } };
  /** The body as text (deprecated in PocketBase, still used). */
  raw: string;
  body: Uint8Array;
  /** The body parsed as JSON, or null. */
  json: unknown;
}

interface WireRequest {
  url: string;
  method: string;
  headers: { [k: string]: string };
  body: Uint8Array | null;
  timeoutMs: number;
}

interface WireResponse {
  ok: boolean;
  error?: string;
  status?: number;
  headers?: [string, string][];
  body?: Uint8Array;
}

function normalize(cfg: HttpSendConfig): WireRequest {
  if (!cfg || typeof cfg.url !== "string" || cfg.url === "") throw new Error("$http.send: the url is required.");
  const headers: { [k: string]: string } = {};
  for (const [k, v] of Object.entries(cfg.headers ?? {})) headers[k] = String(v);
  let body: Uint8Array | null = null;
  if (cfg.data !== undefined && cfg.data !== null) {
    body = new TextEncoder().encode(JSON.stringify(cfg.data));
    if (!Object.keys(headers).some((k) => k.toLowerCase() === "content-type")) headers["content-type"] = "application/json";
  } else if (typeof cfg.body === "string") body = new TextEncoder().encode(cfg.body);
  else if (cfg.body instanceof Uint8Array) body = cfg.body;
  else if (cfg.body !== undefined && cfg.body !== null) throw new Error("$http.send: a FormData body needs $http.sendAsync in Satchel.");
  const timeout = Number(cfg.timeout ?? 120);
  return { url: cfg.url, method: String(cfg.method || "GET").toUpperCase(), headers, body, timeoutMs: (timeout > 0 ? timeout : 120) * 1000 };
}

async function perform(req: WireRequest): Promise<WireResponse> {
  try {
    const res = await fetch(req.url, {
      method: req.method,
      headers: req.headers,
      body: req.body && req.method !== "GET" && req.method !== "HEAD" ? (req.body as Uint8Array<ArrayBuffer>) : undefined,
      signal: AbortSignal.timeout(req.timeoutMs),
      redirect: "follow",
    });
    return { ok: true, status: res.status, headers: [...res.headers], body: new Uint8Array(await res.arrayBuffer()) };
  } catch (err) {
    return { ok: false, error: err instanceof Error ? err.message : String(err) };
  }
}

function canonical(name: string): string {
  return name.split("-").map((p) => (p ? p[0]!.toUpperCase() + p.slice(1).toLowerCase() : p)).join("-");
}

function toResult(w: WireResponse): HttpSendResult {
  if (!w.ok) throw new Error(`$http.send failed: ${w.error}`);
  const headers: HttpSendResult["headers"] = {};
  const cookies: HttpSendResult["cookies"] = {};
  for (const [k, v] of w.headers ?? []) {
    (headers[canonical(k)] ??= []).push(v);
    if (k.toLowerCase() === "set-cookie") {
      const [pair] = v.split(";");
      const eq = pair!.indexOf("=");
      if (eq > 0) cookies[pair!.slice(0, eq).trim()] = { name: pair!.slice(0, eq).trim(), value: pair!.slice(eq + 1).trim() };
    }
  }
  const body = w.body ?? new Uint8Array();
  const raw = new TextDecoder().decode(body);
  let json: unknown = null;
  try {
    json = raw.trim() ? JSON.parse(raw) : null;
  } catch {
    json = null;
  }
  return { statusCode: w.status ?? 0, headers, cookies, raw, body, json };
}

// The worker that performs requests for the synchronous `send`: it answers on a MessagePort
// and wakes the waiting thread through a SharedArrayBuffer.
const WORKER_SOURCE = `
self.onmessage = async (ev) => {
  const { flag, port, req } = ev.data;
  let out;
  try {
    const res = await fetch(req.url, { method: req.method, headers: req.headers,
      body: req.body && req.method !== "GET" && req.method !== "HEAD" ? req.body : undefined,
      signal: AbortSignal.timeout(req.timeoutMs), redirect: "follow" });
    out = { ok: true, status: res.status, headers: [...res.headers], body: new Uint8Array(await res.arrayBuffer()) };
  } catch (err) {
    out = { ok: false, error: err && err.message ? err.message : String(err) };
  }
  port.postMessage(out);
  port.close();
  Atomics.store(flag, 0, 1);
  Atomics.notify(flag, 0);
};`;

let worker: Worker | null = null;

function syncWorker(): Worker {
  if (!worker) {
    worker = new Worker(URL.createObjectURL(new Blob([WORKER_SOURCE], { type: "application/javascript" })));
    (worker as unknown as { unref?: () => void }).unref?.();
  }
  return worker;
}

/**
 * PocketBase's synchronous `$http.send(config)`. NB: it blocks the whole event loop until the
 * response arrives (a worker performs the request while this thread waits), so every other
 * request waits too, and a request to this same server deadlocks until the timeout. Prefer
 * `await $http.sendAsync(config)` in async handlers.
 */
export function sendSync(cfg: HttpSendConfig): HttpSendResult {
  const req = normalize(cfg);
  const flag = new Int32Array(new SharedArrayBuffer(4));
  const { port1, port2 } = new MessageChannel();
  try {
    syncWorker().postMessage({ flag, port: port2, req }, [port2 as unknown as Transferable]);
    const waited = Atomics.wait(flag, 0, 0, req.timeoutMs + 1000);
    const msg = receiveMessageOnPort(port1)?.message as WireResponse | undefined;
    if (!msg) throw new Error(`$http.send failed: ${waited === "timed-out" ? "timeout" : "no response"}`);
    return toResult(msg);
  } finally {
    port1.close();
  }
}

/** `$http`: `send` (synchronous, as in PocketBase) and `sendAsync` (a Satchel extra, non-blocking). */
export const http = {
  send: sendSync,
  sendAsync: async (cfg: HttpSendConfig): Promise<HttpSendResult> => toResult(await perform(normalize(cfg))),
};
