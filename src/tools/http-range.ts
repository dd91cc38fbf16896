/**
 * HTTP conditional and range request evaluation for serving stored files (the parts of Go's
 * `http.ServeContent` PocketBase relies on). Imports nothing of ours.
 */

/** A satisfiable byte range, both ends inclusive. */
export interface ByteRange {
  start: number;
  end: number;
}

/**
 * Parses a `Range` header for a resource of `size` bytes. Returns null when the header is
 * absent, malformed, not in bytes, or asks for several ranges (the whole resource is then
 * served, which RFC 9110 allows); `"unsatisfiable"` when no byte of the range exists (416).
 */
export function parseRange(header: string | null, size: number): ByteRange | "unsatisfiable" | null {
  if (!header) return null;
  const m = /^\s*bytes\s*=\s*(.+)$/i.exec(header);
  if (!m) return null;
  const specs = m[1]!.split(",").map((s) => s.trim()).filter((s) => s !== "");
  if (specs.length !== 1) return null;
  const r = /^(\d*)\s*-\s*(\d*)$/.exec(specs[0]!);
  if (!r || (r[1] === "" && r[2] === "")) return null;
  if (r[1] === "") {
    const suffix = Number(r[2]);
    if (!Number.isSafeInteger(suffix)) return null;
    if (suffix === 0 || size === 0) return "unsatisfiable";
    return { start: Math.max(0, size - suffix), end: size - 1 };
  }
  const start = Number(r[1]);
  if (!Number.isSafeInteger(start)) return null;
  if (start >= size) return "unsatisfiable";
  let end = r[2] === "" ? size - 1 : Number(r[2]);
  if (!Number.isSafeInteger(end) || end < start) return null;
  end = Math.min(end, size - 1);
  return { start, end };
}

/** What a conditional request resolves to before the body is sent. */
export type Precondition = "ok" | "not-modified" | "precondition-failed";

function etagList(header: string): string[] {
  return header.split(",").map((s) => s.trim().replace(/^W\//, "")).filter((s) => s !== "");
}

/** HTTP dates have second precision: compare whole seconds. */
function seconds(d: Date): number {
  return Math.floor(d.getTime() / 1000);
}

/**
 * Evaluates `If-Match`, `If-Unmodified-Since`, `If-None-Match` and `If-Modified-Since` in RFC
 * 9110 order for a GET/HEAD of a resource with the given (strong) ETag and modification time.
 */
export function evaluatePreconditions(headers: Headers, etag: string, lastModified: Date): Precondition {
  const ifMatch = headers.get("if-match");
  if (ifMatch) {
    const tags = etagList(ifMatch);
    if (!tags.includes("*") && !tags.includes(etag)) return "precondition-failed";
  } else {
    const ius = headers.get("if-unmodified-since");
    if (ius) {
      const d = new Date(ius);
      if (!Number.isNaN(d.getTime()) && seconds(lastModified) > seconds(d)) return "precondition-failed";
    }
  }
  const inm = headers.get("if-none-match");
  if (inm) {
    const tags = etagList(inm);
    if (tags.includes("*") || tags.includes(etag)) return "not-modified";
    return "ok";
  }
  const ims = headers.get("if-modified-since");
  if (ims) {
    const d = new Date(ims);
    if (!Number.isNaN(d.getTime()) && seconds(lastModified) <= seconds(d)) return "not-modified";
  }
  return "ok";
}

/**
 * True when a `Range` header may be honoured: without `If-Range`, or when `If-Range` names the
 * current ETag or a date not older than the modification time.
 */
export function ifRangeAllows(headers: Headers, etag: string, lastModified: Date): boolean {
  const v = headers.get("if-range");
  if (!v) return true;
  if (v.startsWith('"') || v.startsWith("W/")) return v === etag;
  const d = new Date(v);
  return !Number.isNaN(d.getTime()) && seconds(lastModified) <= seconds(d);
}
