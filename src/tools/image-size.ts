/**
 * Reads an image's pixel dimensions from its header bytes, without decoding it (PNG, GIF, JPEG,
 * WebP, BMP). Used to refuse decompression bombs before anything allocates a pixel buffer.
 * Imports nothing of ours.
 */

/** Dimensions and the format they were read from. */
export interface ImageSize {
  width: number;
  height: number;
  format: "png" | "gif" | "jpeg" | "webp" | "bmp";
}

function be16(b: Uint8Array, at: number): number {
  return (b[at]! << 8) | b[at + 1]!;
}
function be32(b: Uint8Array, at: number): number {
  return ((b[at]! << 24) | (b[at + 1]! << 16) | (b[at + 2]! << 8) | b[at + 3]!) >>> 0;
}
function le16(b: Uint8Array, at: number): number {
  return b[at]! | (b[at + 1]! << 8);
}
function le24(b: Uint8Array, at: number): number {
  return b[at]! | (b[at + 1]! << 8) | (b[at + 2]! << 16);
}
function le32(b: Uint8Array, at: number): number {
  return (b[at]! | (b[at + 1]! << 8) | (b[at + 2]! << 16) | (b[at + 3]! << 24)) >>> 0;
}
function tag(b: Uint8Array, at: number, s: string): boolean {
  if (b.length < at + s.length) return false;
  for (let i = 0; i < s.length; i++) if (b[at + i] !== s.charCodeAt(i)) return false;
  return true;
}

/** JPEG start-of-frame markers (baseline, progressive, lossless, arithmetic…), not DHT/JPG/DAC. */
function isSof(marker: number): boolean {
  return marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc;
}

function jpegSize(b: Uint8Array): ImageSize | null {
  let p = 2;
  while (p + 4 <= b.length) {
    if (b[p] !== 0xff) return null;
    const marker = b[p + 1]!;
    if (marker === 0xff) {
      p++;
      continue;
    }
    if (marker === 0xd8 || (marker >= 0xd0 && marker <= 0xd7) || marker === 0x01) {
      p += 2;
      continue;
    }
    const len = be16(b, p + 2);
    if (len < 2) return null;
    if (isSof(marker)) {
      if (p + 9 > b.length) return null;
      return { width: be16(b, p + 7), height: be16(b, p + 5), format: "jpeg" };
    }
    if (marker === 0xd9 || marker === 0xda) return null;
    p += 2 + len;
  }
  return null;
}

function webpSize(b: Uint8Array): ImageSize | null {
  if (tag(b, 12, "VP8X") && b.length >= 30) return { width: le24(b, 24) + 1, height: le24(b, 27) + 1, format: "webp" };
  if (tag(b, 12, "VP8L") && b.length >= 25) {
    const bits = le32(b, 21);
    return { width: (bits & 0x3fff) + 1, height: ((bits >>> 14) & 0x3fff) + 1, format: "webp" };
  }
  if (tag(b, 12, "VP8 ") && b.length >= 30) return { width: le16(b, 26) & 0x3fff, height: le16(b, 28) & 0x3fff, format: "webp" };
  return null;
}

/**
 * The dimensions declared by an image header, or null when the bytes are not one of the known
 * formats or the header is not within `bytes` (JPEG frames may sit after large EXIF blocks:
 * pass enough leading bytes, e.g. 256 KiB).
 */
export function imageSize(bytes: Uint8Array): ImageSize | null {
  const b = bytes;
  if (b.length >= 24 && b[0] === 0x89 && tag(b, 1, "PNG") && tag(b, 12, "IHDR")) {
    return { width: be32(b, 16), height: be32(b, 20), format: "png" };
  }
  if (b.length >= 10 && (tag(b, 0, "GIF87a") || tag(b, 0, "GIF89a"))) {
    return { width: le16(b, 6), height: le16(b, 8), format: "gif" };
  }
  if (b.length >= 4 && b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff) return jpegSize(b);
  if (tag(b, 0, "RIFF") && tag(b, 8, "WEBP")) return webpSize(b);
  if (tag(b, 0, "BM") && b.length >= 26) {
    const dib = le32(b, 14);
    if (dib === 12) return { width: le16(b, 18), height: le16(b, 20), format: "bmp" };
    const h = le32(b, 22) | 0;
    return { width: le32(b, 18) | 0, height: Math.abs(h), format: "bmp" };
  }
  return null;
}
