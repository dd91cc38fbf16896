import type { BlobInfo, BlobStore } from "../store/blob/blob-store.ts";
import { detectMime } from "../tools/mime.ts";
import { evaluatePreconditions, ifRangeAllows, parseRange } from "../tools/http-range.ts";

/** PocketBase parity: types served `inline` (unless `?download` is set); everything else is an attachment. */
const INLINE_TYPES = [
  "image/png", "image/jpg", "image/jpeg", "image/gif", "image/webp", "image/x-icon", "image/bmp",
  "video/webm", "video/mp4", "video/3gpp", "video/quicktime", "video/x-ms-wmv",
  "audio/basic", "audio/aiff", "audio/mpeg", "audio/midi", "audio/mp3", "audio/wave",
  "audio/wav", "audio/x-wav", "audio/x-mpeg", "audio/x-m4a", "audio/aac",
  "application/pdf", "application/x-pdf",
];

/**
 * PocketBase parity: content types forced by extension, so these files load properly where they
 * are embedded (v0.38+ also the Office formats, which sniff as zip).
 */
const FORCED_BY_EXTENSION: { [ext: string]: string } = {
  ".svg": "image/svg+xml",
  ".css": "text/css",
  ".js": "text/javascript",
  ".mjs": "text/javascript",
  ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
  ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
  ".pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
};

/** PocketBase parity: uploads can never run script or load anything on our origin. */
export const FILE_CSP = "default-src 'none'; media-src 'self'; style-src 'unsafe-inline'; sandbox";
/** PocketBase parity: 30 days, reusable for a day while revalidating. */
export const FILE_CACHE_CONTROL = "max-age=2592000, stale-while-revalidate=86400";

function extensionOf(name: string): string {
  const dot = name.lastIndexOf(".");
  return dot >= 0 ? name.slice(dot).toLowerCase() : "";
}

/** True for `1`, `t`, `true` (any case), like Go's `strconv.ParseBool`. */
function parseBool(v: string | null): boolean {
  return v !== null && ["1", "t", "true"].includes(v.toLowerCase());
}

/** The stored content type, or one sniffed from the first bytes when none was recorded. */
export async function realContentType(store: BlobStore, key: string, info: BlobInfo, name: string): Promise<string> {
  if (info.contentType && info.contentType !== "application/octet-stream") return info.contentType;
  const head = new Uint8Array(await store.open(key).slice(0, 4096).arrayBuffer());
  return detectMime(head, name);
}

/**
 * Serves a stored object like PocketBase's `filesystem.Serve` (Go's `http.ServeContent`):
 * `Content-Disposition` inline for common media types (attachment otherwise or with
 * `?download=1`), the real content type (forced for a few extensions), a sandboxing CSP,
 * caching headers, ETag/Last-Modified with conditional requests (304/412) and single byte
 * ranges (206/416). Returns null when the object does not exist.
 */
export async function serveBlob(store: BlobStore, key: string, servedName: string, req: Request, url: URL): Promise<Response | null> {
  const info = await store.stat(key);
  if (!info) return null;
  const contentType = await realContentType(store, key, info, servedName);
  const download = parseBool(url.searchParams.get("download"));
  const disposition = !download && INLINE_TYPES.includes(contentType) ? "inline" : "attachment";
  const headers = new Headers({
    // NB: stored names are generated and header-safe; a name set by a hook is cleaned anyway
    "Content-Disposition": `${disposition}; filename=${servedName.replace(/[\x00-\x1f\x7f";\\]/g, "")}`,
    "Content-Type": FORCED_BY_EXTENSION[extensionOf(servedName)] ?? (contentType || "application/octet-stream"),
    "Content-Security-Policy": FILE_CSP,
    "Cache-Control": FILE_CACHE_CONTROL,
    "Last-Modified": info.lastModified.toUTCString(),
    ETag: info.etag,
    "Accept-Ranges": "bytes",
  });

  const pre = evaluatePreconditions(req.headers, info.etag, info.lastModified);
  if (pre === "not-modified") {
    headers.delete("Content-Type");
    headers.delete("Content-Disposition");
    return new Response(null, { status: 304, headers });
  }
  if (pre === "precondition-failed") return new Response(null, { status: 412, headers });

  const blob = store.open(key);
  const range = ifRangeAllows(req.headers, info.etag, info.lastModified) ? parseRange(req.headers.get("range"), info.size) : null;
  if (range === "unsatisfiable") {
    headers.set("Content-Range", `bytes */${info.size}`);
    headers.delete("Content-Disposition");
    return new Response(null, { status: 416, headers });
  }
  const head = req.method === "HEAD";
  // local files go out as Bun.file bodies (sendfile); remote objects are streamed
  const body = (b: Blob): BodyInit | null => (head ? null : store.kind === "local" ? b : b.stream());
  if (range) {
    headers.set("Content-Range", `bytes ${range.start}-${range.end}/${info.size}`);
    headers.set("Content-Length", String(range.end - range.start + 1));
    return new Response(body(blob.slice(range.start, range.end + 1)), { status: 206, headers });
  }
  headers.set("Content-Length", String(info.size));
  return new Response(info.size === 0 ? null : body(blob), { status: 200, headers });
}
