import type { Router } from "../router.ts";
import type { App } from "../../core/app.ts";
import { OpenTransactionTimeout } from "../../core/app.ts";
import { RequestEvent, type UploadedFile } from "../../core/request-event.ts";
import { ApiError, fieldError, type ErrorData } from "../../core/api-error.ts";
import { findRecordById } from "../../core/records/record-query.ts";
import { RELEASE_SHARED_LOCK, runRoute } from "../route-chain.ts";
import { toApiError } from "../error-response.ts";
import { enforceRateLimit } from "../middleware/rate-limit.ts";

/** PocketBase's default batch body limit (`batch.maxBodySize` 0). */
export const DEFAULT_BATCH_BODY_LIMIT = 128 << 20;

const METHODS = ["GET", "POST", "PUT", "PATCH", "DELETE"];
const RECORDS_PATH = /^\/api\/collections\/([^/]+)\/records(?:\/([^/]+))?\/?$/;

interface SubRequest {
  method: string;
  url: string;
  headers?: { [k: string]: string };
  body?: { [k: string]: unknown };
}

/** A failed sub-request: its index and the error envelope it produced. */
class SubRequestFailure extends Error {
  constructor(
    readonly index: number,
    readonly response: { status: number; message: string; data: unknown },
  ) {
    super("batch request failed");
  }
}

function validate(raw: unknown, max: number): SubRequest[] {
  if (!Array.isArray(raw) || raw.length === 0) {
    throw new ApiError(400, "Invalid batch request data.", { requests: fieldError("validation_required", "Cannot be blank.") });
  }
  if (max > 0 && raw.length > max) {
    throw new ApiError(400, "Invalid batch request data.", { requests: fieldError("validation_length_too_long", `The length must be no more than ${max}.`, { max }) });
  }
  const errors: ErrorData = {};
  raw.forEach((r: unknown, i) => {
    const e: ErrorData = {};
    const req = (r && typeof r === "object" ? r : {}) as Partial<SubRequest>;
    if (typeof req.method !== "string" || req.method === "") e.method = fieldError("validation_required", "Cannot be blank.");
    else if (!METHODS.includes(req.method.toUpperCase())) e.method = fieldError("validation_in_invalid", "Must be a valid value.");
    if (typeof req.url !== "string" || req.url === "") e.url = fieldError("validation_required", "Cannot be blank.");
    else if (req.url.length > 2000) e.url = fieldError("validation_length_too_long", "The length must be no more than 2000.");
    if (req.body !== undefined && (req.body === null || typeof req.body !== "object" || Array.isArray(req.body))) e.body = fieldError("validation_invalid_value", "Must be an object.");
    if (Object.keys(e).length) errors[String(i)] = e;
  });
  if (Object.keys(errors).length) throw new ApiError(400, "Invalid batch request data.", { requests: errors });
  return raw as SubRequest[];
}

/** The files of sub-request `i` (`requests.i.field` or `requests[i].field` parts). */
function filesOf(all: { [k: string]: UploadedFile[] }, i: number): { [k: string]: UploadedFile[] } {
  const out: { [k: string]: UploadedFile[] } = {};
  for (const [key, list] of Object.entries(all)) {
    const m = /^requests(?:\.(\d+)|\[(\d+)\])\.(.+)$/.exec(key);
    if (m && Number(m[1] ?? m[2]) === i) out[m[3]!] = [...(out[m[3]!] ?? []), ...list];
  }
  return out;
}

/**
 * `POST /api/batch`: record creates, updates, upserts and deletes run sequentially in one
 * transaction with the batch's auth; any failure or the timeout rolls everything back.
 * NB: the transaction spans the sub-requests' async hooks, so the batch first takes the app's
 * request lock exclusively (waiting for in-flight requests and holding new ones back).
 */
export function registerBatchRoutes(router: Router, app: App): void {
  router.add("POST", "/api/batch", async (e) => {
    const cfg = e.app.settings().batch;
    if (!cfg.enabled) throw new ApiError(403, "Batch requests are not allowed.");
    const len = Number(e.request.headers.get("content-length") ?? 0);
    if (cfg.maxBodySize > 0 && len > cfg.maxBodySize) throw new ApiError(413);
    const requests = validate(e.body.requests, cfg.maxRequests);
    const timeoutMs = Math.max(1, cfg.timeout || 3) * 1000;

    (e.get(RELEASE_SHARED_LOCK) as (() => void) | undefined)?.();
    let releaseExclusive: () => void;
    try {
      releaseExclusive = await e.app.requestLock.acquireExclusive(timeoutMs);
    } catch {
      throw new ApiError(400, "Batch transaction timeout.");
    }
    try {
      const results = await e.app.runInOpenTransaction(async (txApp) => {
        const out: { status: number; body: unknown }[] = [];
        for (let i = 0; i < requests.length; i++) out.push(await runSubRequest(router, e, txApp, requests[i]!, filesOf(e.files, i), i));
        return out;
      }, timeoutMs);
      e.json(200, results);
    } catch (err) {
      if (err instanceof SubRequestFailure) {
        throw new ApiError(400, "Batch transaction failed.", {
          requests: { [String(err.index)]: { code: "batch_request_failed", message: "Batch request failed.", response: err.response } as never },
        });
      }
      if (err instanceof OpenTransactionTimeout) throw new ApiError(400, "Batch transaction timeout.");
      throw err;
    } finally {
      releaseExclusive();
    }
  });
  router.setBodyLimit("POST", "/api/batch", DEFAULT_BATCH_BODY_LIMIT);
}

async function runSubRequest(router: Router, parent: RequestEvent, txApp: App, sub: SubRequest, files: { [k: string]: UploadedFile[] }, index: number): Promise<{ status: number; body: unknown }> {
  const url = new URL(sub.url, parent.url.origin);
  let method = sub.method.toUpperCase();
  const body = { ...(sub.body ?? {}) };
  const m = RECORDS_PATH.exec(url.pathname);
  const allowed = m && ((method === "POST" && !m[2]) || (method === "PUT" && !m[2]) || ((method === "PATCH" || method === "DELETE") && m[2]));
  if (!m || !allowed) throw new SubRequestFailure(index, { status: 400, message: "Unsupported batch action.", data: {} });
  if (method === "PUT") {
    // upsert: an update when the record exists, a create otherwise
    const c = txApp.findCachedCollectionByNameOrId(decodeURIComponent(m[1]!));
    const id = typeof body.id === "string" ? body.id : "";
    if (c && id && findRecordById(txApp, c, id)) {
      method = "PATCH";
      url.pathname = `${url.pathname.replace(/\/$/, "")}/${encodeURIComponent(id)}`;
      delete body.id;
    } else method = "POST";
  }
  const match = router.match(method, url.pathname);
  if ("notFound" in match) throw new SubRequestFailure(index, { status: 404, message: "The requested resource wasn't found.", data: {} });
  const headers = new Headers(parent.request.headers);
  for (const [k, v] of Object.entries(sub.headers ?? {})) if (k.toLowerCase() !== "authorization") headers.set(k, String(v));
  headers.delete("content-length");
  const e = new RequestEvent(txApp, new Request(url, { method, headers }), url);
  e.params = match.params;
  e.auth = parent.auth;
  e.body = body;
  e.files = files;
  e.remoteIP = parent.remoteIP;
  e.context = "batch";
  try {
    // PocketBase parity: sub-requests count against the collection rate limits (`*:create`, …)
    await enforceRateLimit(e, match);
    await runRoute(e, match);
  } catch (err) {
    const apiErr = toApiError(err, txApp.isDev());
    throw new SubRequestFailure(index, apiErr.toJSON());
  }
  const res = e.response ?? new Response(null, { status: 204 });
  const text = await res.text();
  let parsed: unknown = null;
  if (text) {
    try {
      parsed = JSON.parse(text);
    } catch {
      parsed = text;
    }
  }
  if (res.status >= 400) throw new SubRequestFailure(index, parsed as { status: number; message: string; data: unknown });
  return { status: res.status, body: parsed };
}
