/** Images made on the fly for file and thumbnail tests (no binary fixtures needed). */
import { encodePng } from "../../src/tools/image-crop.ts";

/** Bytes backed by a plain ArrayBuffer (usable as a BlobPart). */
export type Bytes = Uint8Array<ArrayBuffer>;

/**
 * An RGBA PNG of `w × h` whose pixel at (x, y) encodes its position: red = x mod 256,
 * green = y mod 256, blue = 200 in the top half and 50 in the bottom half (crop checks).
 */
export function gradientPng(w: number, h: number): Bytes {
  const pixels = new Uint8Array(w * h * 4);
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      const o = (y * w + x) * 4;
      pixels[o] = x & 255;
      pixels[o + 1] = y & 255;
      pixels[o + 2] = y < h / 2 ? 200 : 50;
      pixels[o + 3] = 255;
    }
  }
  return new Uint8Array(encodePng({ width: w, height: h, bitDepth: 8, colorType: 6, bytesPerPixel: 4, pixels, extra: [] }, 1));
}

/** A noisy `w × h` JPEG (like a photo, so it does not compress to nothing). */
export async function noisyJpeg(w: number, h: number): Promise<Bytes> {
  const pixels = new Uint8Array(w * h * 3);
  let seed = 12345;
  for (let i = 0; i < pixels.length; i++) {
    seed = (seed * 1103515245 + 12345) & 0x7fffffff;
    pixels[i] = ((i / 3) % w) / 8 + (seed & 63);
  }
  const png = encodePng({ width: w, height: h, bitDepth: 8, colorType: 2, bytesPerPixel: 3, pixels, extra: [] }, 1);
  return new Uint8Array(await new Bun.Image(png).jpeg({ quality: 85 }).bytes());
}

/** A `w × h` WebP. */
export async function webpImage(w: number, h: number): Promise<Bytes> {
  return new Uint8Array(await new Bun.Image(gradientPng(w, h)).webp({ quality: 80 }).bytes());
}

/**
 * A `w × h` GIF with two frames (the first is red, the second blue), LZW-coded without
 * compression (a clear code every 254 pixels keeps the code size at 9 bits).
 */
export function twoFrameGif(w: number, h: number): Bytes {
  const out: number[] = [];
  const ascii = (s: string) => { for (const c of s) out.push(c.charCodeAt(0)); };
  const u16 = (n: number) => out.push(n & 255, (n >> 8) & 255);
  ascii("GIF89a");
  u16(w); u16(h);
  out.push(0xf1, 0, 0); // global colour table of 4 entries
  out.push(255, 0, 0, 0, 0, 255, 0, 255, 0, 255, 255, 255);
  ascii("!"); out.push(0xff, 11); ascii("NETSCAPE2.0"); out.push(3, 1, 0, 0, 0); // loop
  for (const colour of [0, 1]) {
    out.push(0x21, 0xf9, 4, 0, 10, 0, 0, 0); // graphic control: 100 ms
    out.push(0x2c); u16(0); u16(0); u16(w); u16(h); out.push(0);
    out.push(8); // LZW minimum code size
    const codes: number[] = [256];
    for (let i = 0; i < w * h; i++) {
      if (i > 0 && i % 254 === 0) codes.push(256);
      codes.push(colour);
    }
    codes.push(257);
    const bytes: number[] = [];
    let acc = 0, bits = 0;
    for (const c of codes) {
      acc |= c << bits;
      bits += 9;
      while (bits >= 8) { bytes.push(acc & 255); acc >>= 8; bits -= 8; }
    }
    if (bits > 0) bytes.push(acc & 255);
    for (let i = 0; i < bytes.length; i += 255) {
      const block = bytes.slice(i, i + 255);
      out.push(block.length, ...block);
    }
    out.push(0);
  }
  out.push(0x3b);
  return new Uint8Array(out);
}

/** A PNG header claiming `w × h` pixels over a tiny real image (a decompression bomb's shape). */
export function pngBombHeader(w: number, h: number): Bytes {
  const png = gradientPng(8, 8).slice();
  const view = new DataView(png.buffer, png.byteOffset);
  view.setUint32(16, w);
  view.setUint32(20, h);
  const crc = Bun.hash.crc32(png.subarray(12, 29)) >>> 0;
  view.setUint32(29, crc);
  return png;
}

/** A fake Windows executable (`MZ` + PE header), e.g. to rename as `.png`. */
export function fakeExe(): Bytes {
  const b = new Uint8Array(512);
  b[0] = 0x4d; b[1] = 0x5a;
  b[60] = 0x80;
  b.set([0x50, 0x45, 0, 0], 0x80);
  return b;
}
