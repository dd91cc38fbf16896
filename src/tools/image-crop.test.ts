import { describe, expect, test } from "bun:test";
import { cropPng, cropRaw, decodePng, encodePng } from "./image-crop.ts";
import { gradientPng } from "../../test/helpers/test-images.ts";

describe("image-crop", () => {
  test("decodes what it encodes and crops the right pixels", () => {
    const img = decodePng(gradientPng(40, 30));
    expect([img.width, img.height, img.colorType, img.bytesPerPixel]).toEqual([40, 30, 6, 4]);
    const c = decodePng(cropPng(gradientPng(40, 30), 5, 20, 10, 8));
    expect([c.width, c.height]).toEqual([10, 8]);
    // top-left pixel of the crop is source pixel (5, 20): red = x, green = y, bottom half blue = 50
    expect([...c.pixels.subarray(0, 4)]).toEqual([5, 20, 50, 255]);
    const last = (8 * 10 - 1) * 4;
    expect([...c.pixels.subarray(last, last + 4)]).toEqual([14, 27, 50, 255]);
  });

  test("reads Bun.Image output (filtered rows) and agrees with its pixels", async () => {
    const src = gradientPng(64, 48);
    const reencoded = await new Bun.Image(src).png({ compressionLevel: 9 }).bytes();
    const a = decodePng(src);
    const b = decodePng(reencoded);
    expect(b.width).toBe(64);
    expect(Buffer.from(b.pixels).equals(Buffer.from(a.pixels))).toBe(true);
  });

  test("crop is clamped to the image", () => {
    const img = decodePng(gradientPng(10, 10));
    const c = cropRaw(img, 8, 8, 50, 50);
    expect([c.width, c.height]).toEqual([2, 2]);
  });

  test("RGB and palette images keep their format", () => {
    const rgb = encodePng({ width: 3, height: 2, bitDepth: 8, colorType: 2, bytesPerPixel: 3, pixels: new Uint8Array(18).fill(7), extra: [] });
    expect(decodePng(cropPng(rgb, 1, 0, 2, 2)).colorType).toBe(2);
    const plte = { type: "PLTE", data: new Uint8Array([255, 0, 0, 0, 0, 255]) };
    const pal = encodePng({ width: 4, height: 1, bitDepth: 8, colorType: 3, bytesPerPixel: 1, pixels: new Uint8Array([0, 1, 0, 1]), extra: [plte] });
    const out = decodePng(cropPng(pal, 1, 0, 2, 1));
    expect([...out.pixels]).toEqual([1, 0]);
    expect(out.extra[0]!.type).toBe("PLTE");
  });

  test("refuses what it cannot handle", () => {
    expect(() => decodePng(new Uint8Array([1, 2, 3]))).toThrow("Not a PNG.");
    const png = gradientPng(4, 4).slice();
    png[28] = 1; // interlace flag in IHDR
    expect(() => decodePng(png)).toThrow("Interlaced");
    expect(() => decodePng(gradientPng(4, 4).slice(0, 40))).toThrow();
  });
});
