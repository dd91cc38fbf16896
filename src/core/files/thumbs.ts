import { availableParallelism } from "node:os";
import type { BlobStore } from "../../store/blob/blob-store.ts";
import { cropPng } from "../../tools/image-crop.ts";
import { mimeEssence } from "../../tools/mime.ts";

/** Thumb sizes: `WxH` plus an optional mode `t` (crop from top), `b` (from bottom) or `f` (fit). */
const THUMB_RE = /^(\d+)x(\d+)([tbf])?$/;

/** PocketBase parity: the thumb size every file field allows. */
export const DEFAULT_THUMB_SIZE = "100x100";

/** PocketBase parity: thumbs are made only of these originals (by their stored content type). */
const THUMBABLE_TYPES = ["image/png", "image/jpg", "image/jpeg", "image/gif", "image/webp"];

/**
 * Originals larger than this are not decoded for thumbs (the original is served instead): a
 * decoded RGBA image takes 4 bytes per pixel, so this bounds one thumb job to ~256 MB.
 */
export const THUMB_MAX_PIXELS = 64_000_000;
/** The largest thumb edge accepted (bigger requests fall back to the original). */
const MAX_THUMB_EDGE = 8192;

/** A parsed thumb size. */
export interface ThumbSpec {
  width: number;
  height: number;
  /** `""` = crop from the centre, `t` top, `b` bottom, `f` fit inside without cropping. */
  mode: "" | "t" | "b" | "f";
}

/** Parses `WxH[t|b|f]`; null for anything else, `0x0` and sizes over the edge limit. */
export function parseThumbSize(size: string): ThumbSpec | null {
  const m = THUMB_RE.exec(size);
  if (!m) return null;
  const width = Number(m[1]);
  const height = Number(m[2]);
  if ((width === 0 && height === 0) || width > MAX_THUMB_EDGE || height > MAX_THUMB_EDGE) return null;
  return { width, height, mode: (m[3] ?? "") as ThumbSpec["mode"] };
}

/** True when the size may be served for a field: `100x100` or one of its `thumbs`. */
export function isAllowedThumb(size: string, thumbs: unknown): boolean {
  if (size === DEFAULT_THUMB_SIZE) return true;
  return Array.isArray(thumbs) && thumbs.includes(size);
}

/** True when thumbs can be made of an original with this content type. */
export function isThumbable(contentType: string): boolean {
  return THUMBABLE_TYPES.includes(mimeEssence(contentType));
}

type OutputFormat = "jpeg" | "png" | "webp";

/** The thumb's encoding, from the original's name: JPEG and WebP stay, everything else is PNG (no GIF encoder). */
function outputFormat(filename: string): OutputFormat {
  const ext = filename.slice(filename.lastIndexOf(".") + 1).toLowerCase();
  if (ext === "jpg" || ext === "jpeg" || ext === "jpe" || ext === "jfif") return "jpeg";
  if (ext === "webp") return "webp";
  return "png";
}

const CONTENT_TYPES: { [f in OutputFormat]: string } = { jpeg: "image/jpeg", png: "image/png", webp: "image/webp" };

function encode(img: Bun.Image, format: OutputFormat): Bun.Image {
  if (format === "jpeg") return img.jpeg({ quality: 85 });
  if (format === "webp") return img.webp({ quality: 85 });
  return img.png();
}

/**
 * Makes a thumb of an image (PocketBase's modes): `WxH` resizes to cover the box and crops from
 * the centre (`t` top, `b` bottom), `f` fits inside without upscaling, `0xH`/`Wx0` keep the
 * ratio. Decoding happens off the JS thread (Bun.Image) with `maxPixels` bounding the work;
 * crops go through a small PNG step. Returns the encoded bytes and their content type.
 */
export async function makeThumb(original: Uint8Array, spec: ThumbSpec, filename: string): Promise<{ bytes: Uint8Array; contentType: string }> {
  const opts = { maxPixels: THUMB_MAX_PIXELS };
  const meta = await new Bun.Image(original, opts).metadata();
  const format = outputFormat(filename);
  const { width: W, height: H, mode } = spec;
  const sw = meta.width;
  const sh = meta.height;
  let out: Uint8Array;
  if (W === 0 || H === 0) {
    const w = W === 0 ? Math.max(1, Math.round((sw * H) / sh)) : W;
    const h = H === 0 ? Math.max(1, Math.round((sh * W) / sw)) : H;
    out = await encode(new Bun.Image(original, opts).resize(w, h, { fit: "fill" }), format).bytes();
  } else if (mode === "f") {
    out = await encode(new Bun.Image(original, opts).resize(W, H, { fit: "inside", withoutEnlargement: true }), format).bytes();
  } else {
    // cover the box, then cut it out
    const scale = Math.max(W / sw, H / sh);
    const cw = Math.max(W, Math.round(sw * scale));
    const ch = Math.max(H, Math.round(sh * scale));
    const covered = await new Bun.Image(original, opts).resize(cw, ch, { fit: "fill" }).png({ compressionLevel: 0 }).bytes();
    const x = Math.floor((cw - W) / 2);
    const y = mode === "t" ? 0 : mode === "b" ? ch - H : Math.floor((ch - H) / 2);
    const cropped = cropPng(covered, x, y, W, H, format === "png" ? 6 : 1);
    out = format === "png" ? cropped : await encode(new Bun.Image(cropped), format).bytes();
  }
  return { bytes: out, contentType: CONTENT_TYPES[format] };
}

// --- one generation per thumb, a bounded number at once ---------------------------------------

const pending = new Map<string, Promise<boolean>>();
const maxWorkers = Math.max(1, availableParallelism());
let running = 0;
const waiting: (() => void)[] = [];

async function withSlot<T>(fn: () => Promise<T>): Promise<T> {
  if (running >= maxWorkers) await new Promise<void>((resolve) => waiting.push(resolve));
  running++;
  try {
    return await fn();
  } finally {
    running--;
    waiting.shift()?.();
  }
}

/**
 * Ensures the thumb `thumbKey` of `originalKey` exists in the store, generating it on first
 * request. Concurrent calls for the same thumb share one generation; at most one generation per
 * CPU runs at a time. Resolves to false when no thumb could be made (the caller then serves the
 * original, as PocketBase does).
 */
export function ensureThumb(store: BlobStore, originalKey: string, thumbKey: string, spec: ThumbSpec, filename: string): Promise<boolean> {
  const cacheKey = `${store.kind}:${thumbKey}`;
  const inFlight = pending.get(cacheKey);
  if (inFlight) return inFlight;
  const job = (async () => {
    try {
      if (await store.exists(thumbKey)) return true;
      return await withSlot(async () => {
        const original = await store.read(originalKey);
        if (!original) return false;
        const thumb = await makeThumb(original, spec, filename);
        await store.put(thumbKey, { bytes: thumb.bytes }, { contentType: thumb.contentType });
        return true;
      });
    } catch (err) {
      console.warn(`files: thumb ${thumbKey} failed, serving the original:`, err instanceof Error ? err.message : err);
      return false;
    }
  })();
  pending.set(cacheKey, job);
  void job.then(() => pending.delete(cacheKey));
  return job;
}
