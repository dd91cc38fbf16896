/**
 * A small PNG codec for cropping: decode a non-interlaced PNG into raw rows, cut a rectangle,
 * encode it again. Bun.Image resizes but cannot crop, so thumbnails that fill a box are made by
 * resizing to cover the box, writing PNG, and cutting the box out here. Imports nothing of ours.
 *
 * Supported: bit depths 8 and 16 with every colour type (grey, RGB, palette, grey+alpha, RGBA);
 * palette images keep their PLTE/tRNS chunks. Not supported (throws): Adam7 interlacing and
 * bit depths below 8 (Bun.Image never writes those).
 */
import { deflateSync, inflateSync } from "node:zlib";

/** A decoded PNG: unfiltered rows, tightly packed (`rowBytes = width × bytesPerPixel`). */
export interface RawPng {
  width: number;
  height: number;
  bitDepth: number;
  colorType: number;
  /** Bytes per pixel (channels × bitDepth / 8). */
  bytesPerPixel: number;
  pixels: Uint8Array;
  /** Chunks that must travel with the pixels (PLTE, tRNS). */
  extra: { type: string; data: Uint8Array }[];
}

const SIGNATURE = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
const CHANNELS: { [colorType: number]: number } = { 0: 1, 2: 3, 3: 1, 4: 2, 6: 4 };
/** A decoded image may not exceed this many bytes of raw pixels (guards against bombs). */
const MAX_RAW_BYTES = 512 << 20;

function u32(b: Uint8Array, at: number): number {
  return ((b[at]! << 24) | (b[at + 1]! << 16) | (b[at + 2]! << 8) | b[at + 3]!) >>> 0;
}

function paeth(a: number, b: number, c: number): number {
  const p = a + b - c;
  const pa = Math.abs(p - a);
  const pb = Math.abs(p - b);
  const pc = Math.abs(p - c);
  return pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
}

/** Decodes a PNG into raw rows. Throws on anything malformed or unsupported. */
export function decodePng(bytes: Uint8Array): RawPng {
  for (let i = 0; i < SIGNATURE.length; i++) if (bytes[i] !== SIGNATURE[i]) throw new Error("Not a PNG.");
  let width = 0, height = 0, bitDepth = 0, colorType = -1;
  const idat: Uint8Array[] = [];
  const extra: RawPng["extra"] = [];
  let p = 8;
  while (p + 12 <= bytes.length) {
    const len = u32(bytes, p);
    const type = String.fromCharCode(bytes[p + 4]!, bytes[p + 5]!, bytes[p + 6]!, bytes[p + 7]!);
    if (p + 12 + len > bytes.length) throw new Error("Truncated PNG chunk.");
    const data = bytes.subarray(p + 8, p + 8 + len);
    if (type === "IHDR") {
      width = u32(data, 0);
      height = u32(data, 4);
      bitDepth = data[8]!;
      colorType = data[9]!;
      if (data[12] !== 0) throw new Error("Interlaced PNGs are not supported.");
    } else if (type === "IDAT") {
      idat.push(data);
    } else if (type === "PLTE" || type === "tRNS") {
      extra.push({ type, data: data.slice() });
    } else if (type === "IEND") {
      break;
    }
    p += 12 + len;
  }
  const channels = CHANNELS[colorType];
  if (!channels || (bitDepth !== 8 && bitDepth !== 16) || (colorType === 3 && bitDepth !== 8)) {
    throw new Error(`Unsupported PNG format (colour type ${colorType}, bit depth ${bitDepth}).`);
  }
  if (width === 0 || height === 0) throw new Error("Invalid PNG dimensions.");
  const bpp = (channels * bitDepth) / 8;
  const rowBytes = width * bpp;
  if (rowBytes * height > MAX_RAW_BYTES) throw new Error("PNG too large to crop.");
  const filtered = inflateSync(Buffer.concat(idat), { maxOutputLength: (rowBytes + 1) * height + 1 });
  if (filtered.length < (rowBytes + 1) * height) throw new Error("Truncated PNG data.");
  const pixels = new Uint8Array(rowBytes * height);
  for (let y = 0; y < height; y++) {
    const filter = filtered[y * (rowBytes + 1)]!;
    const src = y * (rowBytes + 1) + 1;
    const dst = y * rowBytes;
    const prev = dst - rowBytes;
    for (let i = 0; i < rowBytes; i++) {
      const x = filtered[src + i]!;
      const a = i >= bpp ? pixels[dst + i - bpp]! : 0;
      const b = y > 0 ? pixels[prev + i]! : 0;
      const c = y > 0 && i >= bpp ? pixels[prev + i - bpp]! : 0;
      let v: number;
      switch (filter) {
        case 0: v = x; break;
        case 1: v = x + a; break;
        case 2: v = x + b; break;
        case 3: v = x + ((a + b) >> 1); break;
        case 4: v = x + paeth(a, b, c); break;
        default: throw new Error(`Bad PNG filter type ${filter}.`);
      }
      pixels[dst + i] = v & 0xff;
    }
  }
  return { width, height, bitDepth, colorType, bytesPerPixel: bpp, pixels, extra };
}

function chunk(type: string, data: Uint8Array): Uint8Array {
  const out = new Uint8Array(12 + data.length);
  const view = new DataView(out.buffer);
  view.setUint32(0, data.length);
  for (let i = 0; i < 4; i++) out[4 + i] = type.charCodeAt(i);
  out.set(data, 8);
  view.setUint32(8 + data.length, Bun.hash.crc32(out.subarray(4, 8 + data.length)) >>> 0);
  return out;
}

/** Encodes raw rows as a PNG (filter "none" on every row; zlib level 6 unless told). */
export function encodePng(img: RawPng, level = 6): Uint8Array {
  const rowBytes = img.width * img.bytesPerPixel;
  const filtered = new Uint8Array((rowBytes + 1) * img.height);
  for (let y = 0; y < img.height; y++) {
    filtered.set(img.pixels.subarray(y * rowBytes, (y + 1) * rowBytes), y * (rowBytes + 1) + 1);
  }
  const ihdr = new Uint8Array(13);
  const view = new DataView(ihdr.buffer);
  view.setUint32(0, img.width);
  view.setUint32(4, img.height);
  ihdr[8] = img.bitDepth;
  ihdr[9] = img.colorType;
  const parts = [SIGNATURE, chunk("IHDR", ihdr)];
  for (const x of img.extra.filter((c) => c.type === "PLTE")) parts.push(chunk(x.type, x.data));
  for (const x of img.extra.filter((c) => c.type === "tRNS")) parts.push(chunk(x.type, x.data));
  parts.push(chunk("IDAT", deflateSync(filtered, { level })), chunk("IEND", new Uint8Array(0)));
  return Buffer.concat(parts);
}

/** Cuts the `w × h` rectangle at (`x`, `y`) out of a decoded image (clamped to its bounds). */
export function cropRaw(img: RawPng, x: number, y: number, w: number, h: number): RawPng {
  const x0 = Math.max(0, Math.min(img.width - 1, Math.floor(x)));
  const y0 = Math.max(0, Math.min(img.height - 1, Math.floor(y)));
  const cw = Math.max(1, Math.min(img.width - x0, Math.floor(w)));
  const ch = Math.max(1, Math.min(img.height - y0, Math.floor(h)));
  const bpp = img.bytesPerPixel;
  const srcRow = img.width * bpp;
  const dstRow = cw * bpp;
  const pixels = new Uint8Array(dstRow * ch);
  for (let r = 0; r < ch; r++) {
    const from = (y0 + r) * srcRow + x0 * bpp;
    pixels.set(img.pixels.subarray(from, from + dstRow), r * dstRow);
  }
  return { ...img, width: cw, height: ch, pixels };
}

/** Decodes a PNG, crops it and encodes the result as a PNG. */
export function cropPng(png: Uint8Array, x: number, y: number, w: number, h: number, level = 6): Uint8Array {
  return encodePng(cropRaw(decodePng(png), x, y, w, h), level);
}
