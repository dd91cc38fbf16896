import type { RequestEvent, UploadedFile } from "../core/request-event.ts";
import { ApiError } from "../core/api-error.ts";
import { uploadTempDir } from "../core/files/file-storage.ts";
import { MultipartError, multipartBoundary, parseMultipart, removeTempFiles } from "./multipart.ts";

/** The request-store key listing the temporary files of a streamed multipart body. */
const TEMP_FILES_KEY = "__satchelMultipartTempFiles";

/**
 * Streams a `multipart/form-data` request body: plain values in memory, each file part into its
 * own temporary file under `pb_data/.pb_temp_to_delete/uploads` (so a large upload never sits
 * whole in memory). Returns the form entries in PocketBase's terms; the files are `UploadedFile`s
 * with their temporary `path`. Errors: 413 over `limit`, 400 "Failed to read the submitted data."
 * for malformed or truncated bodies. Call {@link releaseMultipartTempFiles} when the request ends.
 */
export async function readMultipartEntries(e: RequestEvent, contentType: string, limit: number): Promise<[string, string | UploadedFile][]> {
  const boundary = multipartBoundary(contentType);
  if (!boundary || !e.request.body) throw new ApiError(400, "Failed to read the submitted data.");
  let parsed;
  try {
    parsed = await parseMultipart(e.request.body, { boundary, tempDir: uploadTempDir(e.app), maxBodySize: limit });
  } catch (err) {
    if (err instanceof MultipartError && err.status === 413) throw new ApiError(413, "", {}, { cause: err });
    throw new ApiError(400, "Failed to read the submitted data.", {}, { cause: err });
  }
  e.set(TEMP_FILES_KEY, parsed.files.map((f) => f.path));
  const entries: [string, string | UploadedFile][] = [...parsed.fields];
  for (const f of parsed.files) {
    entries.push([f.field, { name: f.filename, size: f.size, type: f.contentType, file: Bun.file(f.path, { type: f.contentType }), path: f.path }]);
  }
  return entries;
}

/** Removes the temporary files of the request's multipart body that were not moved into storage. */
export async function releaseMultipartTempFiles(e: RequestEvent): Promise<void> {
  const paths = e.get(TEMP_FILES_KEY);
  if (Array.isArray(paths) && paths.length > 0) await removeTempFiles(paths as string[]);
}

const RECORD_WRITE_PATH = /^\/api\/collections\/([^/]+)\/records(?:\/[^/]+)?\/?$/;

/**
 * The body limit of a request. PocketBase parity: 32 MiB, and for record create/update 32 MiB
 * plus, per field, `maxSize × maxSelect` of file fields (5 MiB defaults), `maxSize` of json
 * (1 MiB default) and editor fields (5 MiB default).
 */
export function requestBodyLimit(e: RequestEvent, base: number): number {
  const m = RECORD_WRITE_PATH.exec(e.url.pathname);
  if (!m || (e.request.method !== "POST" && e.request.method !== "PATCH")) return base;
  let name = m[1]!;
  try {
    name = decodeURIComponent(name);
  } catch {
    return base;
  }
  const c = e.app.findCachedCollectionByNameOrId(name);
  if (!c) return base;
  let limit = base;
  for (const f of c.fields) {
    const size = typeof f.maxSize === "number" && f.maxSize > 0 ? f.maxSize : 0;
    if (f.type === "file") limit += (size || 5 << 20) * Math.max(1, typeof f.maxSelect === "number" ? f.maxSelect : 1);
    else if (f.type === "json") limit += size || 1 << 20;
    else if (f.type === "editor") limit += size || 5 << 20;
  }
  return limit;
}
