import { mkdir, open, rm, type FileHandle } from "node:fs/promises";
import { join } from "node:path";
import { randomString, ID_ALPHABET } from "../tools/security.ts";

/** A file part, streamed to a temporary file. */
export interface MultipartFile {
  field: string;
  filename: string;
  contentType: string;
  path: string;
  size: number;
}

/** A parsed multipart/form-data body. */
export interface MultipartResult {
  /** Plain values in order (a key may repeat). */
  fields: [string, string][];
  files: MultipartFile[];
}

/** Limits and the temp folder of one parse. */
export interface MultipartOptions {
  boundary: string;
  /** Where file parts are written (created when needed). */
  tempDir: string;
  /** The whole body may not exceed this (413). */
  maxBodySize: number;
  /** Plain values together may not exceed this in memory (400); default 16 MiB. */
  maxValueBytes?: number;
  /** Headers of one part may not exceed this (400); default 16 KiB. */
  maxHeaderBytes?: number;
  /** At most this many parts (400); default 10,000. */
  maxParts?: number;
}

/** Why a body could not be read: `status` 400 (malformed, truncated) or 413 (too large). */
export class MultipartError extends Error {
  readonly status: 400 | 413;
  constructor(status: 400 | 413, message: string) {
    super(message);
    this.status = status;
  }
}

/** The boundary of a `multipart/form-data` content type, or null. */
export function multipartBoundary(contentType: string): string | null {
  const m = /;\s*boundary=(?:"([^"]+)"|([^\s;]+))/i.exec(contentType);
  const b = m ? (m[1] ?? m[2] ?? "") : "";
  return b.length > 0 && b.length <= 70 ? b : null;
}

/** Parses `form-data; name="a"; filename="b.png"` (quoted strings with `\` escapes, RFC 5987 `filename*`). */
export function parseDisposition(value: string): { type: string; params: { [k: string]: string } } {
  const params: { [k: string]: string } = {};
  const semi = value.indexOf(";");
  const type = (semi < 0 ? value : value.slice(0, semi)).trim().toLowerCase();
  let i = semi < 0 ? value.length : semi + 1;
  while (i < value.length) {
    while (i < value.length && (value[i] === " " || value[i] === "\t" || value[i] === ";")) i++;
    const eq = value.indexOf("=", i);
    if (eq < 0) break;
    const key = value.slice(i, eq).trim().toLowerCase();
    i = eq + 1;
    let v = "";
    if (value[i] === '"') {
      i++;
      while (i < value.length && value[i] !== '"') {
        if (value[i] === "\\" && i + 1 < value.length) i++;
        v += value[i++];
      }
      i++;
    } else {
      const end = value.indexOf(";", i);
      v = value.slice(i, end < 0 ? value.length : end).trim();
      i = end < 0 ? value.length : end;
    }
    if (key.endsWith("*")) {
      const m = /^([\w-]+)'[^']*'(.*)$/.exec(v);
      try {
        if (m && m[1]!.toLowerCase() === "utf-8") params[key.slice(0, -1)] = decodeURIComponent(m[2]!);
      } catch {
        // a malformed extended value is ignored, the plain one (if any) stays
      }
      continue;
    }
    if (!(key in params)) params[key] = v;
  }
  return { type, params };
}

const CRLF = Buffer.from("\r\n");
const HEADER_END = Buffer.from("\r\n\r\n");

interface OpenPart {
  name: string;
  file: MultipartFile | null;
  handle: FileHandle | null;
  chunks: Buffer[];
  skip: boolean;
}

/**
 * Parses a `multipart/form-data` stream without holding file parts in memory: each file part
 * is written to its own temporary file as it arrives; plain values are kept (bounded). A part
 * with an empty `filename` is a plain value (as Go's reader treats it). On any error every
 * temporary file written so far is removed and a {@link MultipartError} is thrown — a body that
 * ends before the closing boundary is an error (400), not a shorter form.
 */
export async function parseMultipart(stream: ReadableStream<Uint8Array>, opts: MultipartOptions): Promise<MultipartResult> {
  const delim = Buffer.from(`\r\n--${opts.boundary}`);
  const keep = delim.length - 1;
  const maxValueBytes = opts.maxValueBytes ?? 16 << 20;
  const maxHeaderBytes = opts.maxHeaderBytes ?? 16 << 10;
  const maxParts = opts.maxParts ?? 10_000;
  const result: MultipartResult = { fields: [], files: [] };
  const tempFiles: string[] = [];
  let state = "preamble" as "preamble" | "after" | "headers" | "body" | "done";
  // a virtual CRLF so that a body starting with the boundary matches the delimiter
  let buf: Buffer = Buffer.from(CRLF);
  let part: OpenPart | null = null;
  let total = 0;
  let valueBytes = 0;
  let parts = 0;
  let tempDirReady = false;

  const write = async (data: Buffer): Promise<void> => {
    if (!part || part.skip || data.length === 0) return;
    if (part.handle && part.file) {
      await part.handle.write(data);
      part.file.size += data.length;
      return;
    }
    valueBytes += data.length;
    if (valueBytes > maxValueBytes) throw new MultipartError(400, "The form values are too large.");
    part.chunks.push(Buffer.from(data));
  };

  const finishPart = async (): Promise<void> => {
    if (!part) return;
    const p = part;
    part = null;
    if (p.handle) await p.handle.close();
    if (p.skip) return;
    if (p.file) result.files.push(p.file);
    else result.fields.push([p.name, Buffer.concat(p.chunks).toString("utf8")]);
  };

  const startPart = async (headerText: string): Promise<void> => {
    if (++parts > maxParts) throw new MultipartError(400, "Too many parts in the form.");
    let disposition = "";
    let contentType = "";
    for (const line of headerText.split("\r\n")) {
      const colon = line.indexOf(":");
      if (colon <= 0) continue;
      const key = line.slice(0, colon).trim().toLowerCase();
      if (key === "content-disposition") disposition = line.slice(colon + 1).trim();
      else if (key === "content-type") contentType = line.slice(colon + 1).trim();
    }
    const d = parseDisposition(disposition);
    const name = d.params.name ?? "";
    const filename = d.params.filename ?? "";
    const next: OpenPart = { name, file: null, handle: null, chunks: [], skip: d.type !== "form-data" || name === "" };
    if (!next.skip && filename !== "") {
      if (!tempDirReady) {
        await mkdir(opts.tempDir, { recursive: true });
        tempDirReady = true;
      }
      const path = join(opts.tempDir, `upload_${randomString(20, ID_ALPHABET)}`);
      tempFiles.push(path);
      next.handle = await open(path, "wx", 0o600);
      next.file = { field: name, filename, contentType: contentType || "application/octet-stream", path, size: 0 };
    }
    part = next;
  };

  /** Consumes as much of `buf` as possible; returns when more input is needed or the end was seen. */
  const drain = async (): Promise<void> => {
    for (;;) {
      if (state === "done") return;
      if (state === "preamble") {
        const at = buf.indexOf(delim);
        if (at < 0) {
          if (buf.length > keep) buf = Buffer.from(buf.subarray(buf.length - keep));
          return;
        }
        buf = buf.subarray(at + delim.length);
        state = "after";
      } else if (state === "after") {
        if (buf.length < 2) return;
        if (buf[0] === 0x2d && buf[1] === 0x2d) {
          state = "done";
          return;
        }
        const eol = buf.indexOf(CRLF);
        if (eol < 0) {
          if (buf.length > 1024) throw new MultipartError(400, "Malformed multipart boundary line.");
          return;
        }
        for (let i = 0; i < eol; i++) if (buf[i] !== 0x20 && buf[i] !== 0x09) throw new MultipartError(400, "Malformed multipart boundary line.");
        buf = buf.subarray(eol + 2);
        state = "headers";
      } else if (state === "headers") {
        let headerText: string;
        if (buf.length >= 2 && buf[0] === 0x0d && buf[1] === 0x0a) {
          headerText = "";
          buf = buf.subarray(2);
        } else {
          const end = buf.indexOf(HEADER_END);
          if (end < 0) {
            if (buf.length > maxHeaderBytes) throw new MultipartError(400, "The part headers are too large.");
            return;
          }
          headerText = buf.subarray(0, end).toString("utf8");
          buf = buf.subarray(end + 4);
        }
        await startPart(headerText);
        state = "body";
      } else {
        const at = buf.indexOf(delim);
        if (at >= 0) {
          await write(buf.subarray(0, at));
          await finishPart();
          buf = buf.subarray(at + delim.length);
          state = "after";
          continue;
        }
        if (buf.length > keep) {
          await write(buf.subarray(0, buf.length - keep));
          buf = Buffer.from(buf.subarray(buf.length - keep));
        }
        return;
      }
    }
  };

  const reader = stream.getReader();
  try {
    for (;;) {
      let r: { done: boolean; value?: Uint8Array };
      try {
        r = await reader.read();
      } catch {
        throw new MultipartError(400, "The request body could not be read.");
      }
      if (r.done || !r.value) break;
      const chunk = r.value;
      total += chunk.byteLength;
      if (total > opts.maxBodySize) throw new MultipartError(413, "Request entity too large.");
      if (state === "done") continue; // the epilogue is ignored (but still counted)
      buf = buf.length > 0 ? Buffer.concat([buf, chunk]) : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
      await drain();
    }
    if (state !== "done") throw new MultipartError(400, "The multipart body ended before its closing boundary.");
    return result;
  } catch (err) {
    reader.cancel().catch(() => undefined);
    const p = part as OpenPart | null;
    if (p?.handle) await p.handle.close().catch(() => undefined);
    await Promise.all(tempFiles.map((f) => rm(f, { force: true })));
    throw err instanceof MultipartError ? err : new MultipartError(400, err instanceof Error ? err.message : String(err));
  }
}

/** Removes temporary upload files (missing ones are fine). */
export async function removeTempFiles(paths: string[]): Promise<void> {
  await Promise.all(paths.map((p) => rm(p, { force: true }).catch(() => undefined)));
}
