import { ApiError } from "../core/api-error.ts";
import type { RequestEvent, UploadedFile } from "../core/request-event.ts";
import { readMultipartEntries } from "./multipart-body.ts";

/** PocketBase's default body limit for every route: 32 MiB. */
export const DEFAULT_BODY_LIMIT = 32 << 20;

/**
 * Reads and parses the request body into `e.body` (and `e.files` for multipart). PocketBase
 * parity: a body is parsed only when there is one; JSON, multipart and urlencoded are accepted;
 * multipart/urlencoded values are type-inferred and `@jsonPayload` parts are merged over them.
 * Oversized bodies get 413, unreadable ones 400 "Failed to read the submitted data.".
 */
export async function parseBody(e: RequestEvent, limit: number = DEFAULT_BODY_LIMIT): Promise<void> {
  const req = e.request;
  if (req.method === "GET" || req.method === "HEAD" || req.method === "OPTIONS") return;
  const len = req.headers.get("content-length");
  if (len !== null && Number(len) === 0) return;
  if (len !== null && Number(len) > limit) throw new ApiError(413);
  // a body of declared length within the limit is read at once (the HTTP server holds the
  // request to that length); only a body of unknown length is streamed against the limit
  const knownLength = len !== null && DECIMAL.test(len);
  const type = (req.headers.get("content-type") ?? "").toLowerCase();
  const form = type.startsWith("multipart/form-data") || type.startsWith("application/x-www-form-urlencoded");
  // NB: `req.body` builds a ReadableStream; a JSON body of known length is not read through one
  // (an absent one reads as "", which, like no body, leaves `e.body` empty)
  if ((form || !knownLength) && !req.body) return;
  if (type.startsWith("multipart/form-data")) {
    // streamed: file parts go to temporary files, never whole into memory
    readForm(e, await readMultipartEntries(e, req.headers.get("content-type") ?? "", limit), limit);
    return;
  }
  if (type.startsWith("application/x-www-form-urlencoded")) {
    let form: FormData;
    try {
      form = await req.formData();
    } catch (err) {
      throw new ApiError(400, "Failed to read the submitted data.", {}, { cause: err });
    }
    readForm(e, form.entries() as Iterable<[string, string | File]>, limit);
    return;
  }
  const text = knownLength ? await readWhole(req, limit) : await readLimited(req, limit);
  if (text.trim() === "") return;
  if (type === "" || type.startsWith("application/json") || type.includes("+json")) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch (err) {
      throw new ApiError(400, "Failed to read the submitted data.", {}, { cause: err });
    }
    if (parsed === null || typeof parsed !== "object" || Array.isArray(parsed)) {
      e.set("rawBody", parsed);
      e.body = {};
      return;
    }
    e.body = parsed as { [k: string]: unknown };
    return;
  }
  throw new ApiError(400, "Unsupported Content-Type.");
}

const DECIMAL = /^\d+$/;
/** Stateless between calls (no `stream` option), so one instance serves every request. */
const utf8 = new TextDecoder();

async function readWhole(req: Request, limit: number): Promise<string> {
  let bytes: ArrayBuffer;
  try {
    bytes = await req.arrayBuffer();
  } catch (err) {
    throw new ApiError(400, "Failed to read the submitted data.", {}, { cause: err });
  }
  if (bytes.byteLength > limit) throw new ApiError(413);
  return utf8.decode(bytes);
}

async function readLimited(req: Request, limit: number): Promise<string> {
  const reader = req.body!.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    let r: { done: boolean; value?: Uint8Array };
    try {
      r = await reader.read();
    } catch (err) {
      throw new ApiError(400, "Failed to read the submitted data.", {}, { cause: err });
    }
    if (r.done || !r.value) break;
    total += r.value.byteLength;
    if (total > limit) {
      reader.cancel().catch(() => undefined);
      throw new ApiError(413);
    }
    chunks.push(r.value);
  }
  return utf8.decode(Buffer.concat(chunks));
}

function readForm(e: RequestEvent, form: Iterable<[string, string | File | UploadedFile]>, limit: number): void {
  const body: { [k: string]: unknown } = {};
  const payloads: unknown[] = [];
  let total = 0;
  for (const [key, value] of form) {
    if (typeof value !== "string") {
      total += value.size;
      if (total > limit) throw new ApiError(413);
      const f: UploadedFile = value instanceof Blob ? { name: value.name, size: value.size, type: value.type, file: value } : value;
      (e.files[key] ??= []).push(f);
      continue;
    }
    if (key === "@jsonPayload") {
      try {
        payloads.push(JSON.parse(value));
      } catch (err) {
        throw new ApiError(400, "Failed to read the submitted data.", {}, { cause: err });
      }
      continue;
    }
    const v = inferValue(value);
    if (key in body) {
      const cur = body[key];
      body[key] = Array.isArray(cur) ? [...cur, v] : [cur, v];
    } else {
      body[key] = v;
    }
  }
  for (const p of payloads) if (p && typeof p === "object" && !Array.isArray(p)) Object.assign(body, p);
  e.body = body;
}

/** PocketBase parity: form values "true"/"false" become booleans and canonical numbers numbers. */
function inferValue(v: string): unknown {
  if (v === "true") return true;
  if (v === "false") return false;
  if (/^-?(0|[1-9]\d*)(\.\d+)?$/.test(v) && String(Number(v)) === v) return Number(v);
  return v;
}
