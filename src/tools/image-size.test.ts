import { describe, expect, test } from "bun:test";
import { imageSize } from "./image-size.ts";
import { gradientPng, noisyJpeg, pngBombHeader, twoFrameGif, webpImage } from "../../test/helpers/test-images.ts";

describe("imageSize", () => {
  test("reads dimensions from headers", async () => {
    expect(imageSize(gradientPng(31, 17))).toEqual({ width: 31, height: 17, format: "png" });
    expect(imageSize(twoFrameGif(30, 20))).toEqual({ width: 30, height: 20, format: "gif" });
    expect(imageSize(await noisyJpeg(120, 90))).toEqual({ width: 120, height: 90, format: "jpeg" });
    expect(imageSize(await webpImage(33, 21))).toEqual({ width: 33, height: 21, format: "webp" });
    const lossless = await new Bun.Image(gradientPng(40, 10)).webp({ lossless: true }).bytes();
    expect(imageSize(lossless)).toEqual({ width: 40, height: 10, format: "webp" });
  });

  test("bomb headers report what they claim; other bytes give null", () => {
    expect(imageSize(pngBombHeader(100000, 90000))).toEqual({ width: 100000, height: 90000, format: "png" });
    expect(imageSize(new TextEncoder().encode("hello"))).toBeNull();
    expect(imageSize(new Uint8Array([0xff, 0xd8, 0xff, 0xe0, 0, 2]))).toBeNull();
  });
});
