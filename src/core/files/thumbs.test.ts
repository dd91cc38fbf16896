import { afterAll, describe, expect, test } from "bun:test";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ensureThumb, isAllowedThumb, isThumbable, makeThumb, parseThumbSize } from "./thumbs.ts";
import { decodePng } from "../../tools/image-crop.ts";
import { LocalBlobStore } from "../../store/blob/local-blob-store.ts";
import type { BlobSource, PutOptions } from "../../store/blob/blob-store.ts";
import { gradientPng, noisyJpeg, pngBombHeader, twoFrameGif, webpImage } from "../../../test/helpers/test-images.ts";

const dir = mkdtempSync(join(tmpdir(), "satchel-thumbs-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function size(bytes: Uint8Array): Promise<[number, number, string]> {
  const m = await new Bun.Image(bytes).metadata();
  return [m.width, m.height, m.format];
}

describe("thumb sizes", () => {
  test("parsing and the allowed list", () => {
    expect(parseThumbSize("100x50t")).toEqual({ width: 100, height: 50, mode: "t" });
    expect(parseThumbSize("0x50")).toEqual({ width: 0, height: 50, mode: "" });
    for (const bad of ["0x0", "10", "10x10x", "-1x5", "99999x10"]) expect(parseThumbSize(bad)).toBeNull();
    expect(isAllowedThumb("100x100", null)).toBe(true);
    expect(isAllowedThumb("50x50", ["50x50"])).toBe(true);
    expect(isAllowedThumb("50x50", ["60x60"])).toBe(false);
    expect(isThumbable("image/png")).toBe(true);
    expect(isThumbable("image/svg+xml")).toBe(false);
  });
});

describe("makeThumb", () => {
  test("every mode gives PocketBase's dimensions", async () => {
    const src = gradientPng(300, 200);
    const cases: [string, number, number][] = [
      ["100x100", 100, 100], ["100x50t", 100, 50], ["100x50b", 100, 50], ["100x100f", 100, 67],
      ["0x50", 75, 50], ["60x0", 60, 40], ["600x600f", 300, 200], ["400x400", 400, 400],
    ];
    for (const [s, w, h] of cases) {
      const t = await makeThumb(src, parseThumbSize(s)!, "x.png");
      expect(t.contentType).toBe("image/png");
      expect((await size(t.bytes)).slice(0, 2)).toEqual([w, h]);
    }
  });

  test("crops from the top, centre and bottom", async () => {
    // the source is blue 200 in its top half and 50 in its bottom half
    const src = gradientPng(100, 400);
    const blueAt = async (s: string) => decodePng((await makeThumb(src, parseThumbSize(s)!, "x.png")).bytes).pixels[2];
    expect(await blueAt("100x100t")).toBe(200);
    expect(await blueAt("100x100b")).toBe(50);
  });

  test("JPEG stays JPEG, WebP stays WebP, GIF (first frame) becomes PNG", async () => {
    const j = await makeThumb(await noisyJpeg(400, 300), parseThumbSize("100x100")!, "a.jpg");
    expect(j.contentType).toBe("image/jpeg");
    expect(await size(j.bytes)).toEqual([100, 100, "jpeg"]);
    const w = await makeThumb(await webpImage(400, 300), parseThumbSize("50x0")!, "a.webp");
    expect(await size(w.bytes)).toEqual([50, 38, "webp"]);
    const g = await makeThumb(twoFrameGif(40, 20), parseThumbSize("20x20")!, "a.gif");
    expect(g.contentType).toBe("image/png");
    const px = decodePng(g.bytes).pixels;
    expect([px[0], px[1], px[2]]).toEqual([255, 0, 0]); // the first (red) frame
  });

  test("an image bomb is refused before decoding", async () => {
    const err = await makeThumb(pngBombHeader(50000, 50000), parseThumbSize("100x100")!, "b.png").catch((e) => e);
    expect(err.code).toBe("ERR_IMAGE_TOO_MANY_PIXELS");
  });

  test("100x100 of a 2000x1500 JPEG (timing printed, not asserted)", async () => {
    const src = await noisyJpeg(2000, 1500);
    await makeThumb(src, parseThumbSize("100x100")!, "p.jpg");
    const times: number[] = [];
    for (let i = 0; i < 5; i++) {
      const t = performance.now();
      const out = await makeThumb(src, parseThumbSize("100x100")!, "p.jpg");
      times.push(performance.now() - t);
      expect(await size(out.bytes)).toEqual([100, 100, "jpeg"]);
    }
    times.sort((a, b) => a - b);
    console.log(`thumb 100x100 of a 2000x1500 JPEG (${src.length} B): median ${times[2]!.toFixed(1)} ms`);
  });
});

describe("ensureThumb", () => {
  test("concurrent requests generate once; later ones reuse the stored thumb", async () => {
    const store = new LocalBlobStore(join(dir, "storage"));
    let puts = 0;
    const put = store.put.bind(store);
    store.put = (key: string, src: BlobSource, opts?: PutOptions) => {
      puts++;
      return put(key, src, opts);
    };
    await put("c/r/a.png", { bytes: gradientPng(300, 200) }, { contentType: "image/png" });
    const spec = parseThumbSize("100x100")!;
    const results = await Promise.all(Array.from({ length: 8 }, () => ensureThumb(store, "c/r/a.png", "c/r/thumbs_a.png/100x100_a.png", spec, "a.png")));
    expect(results.every(Boolean)).toBe(true);
    expect(puts).toBe(1);
    expect(await ensureThumb(store, "c/r/a.png", "c/r/thumbs_a.png/100x100_a.png", spec, "a.png")).toBe(true);
    expect(puts).toBe(1);
    expect((await store.stat("c/r/thumbs_a.png/100x100_a.png"))!.contentType).toBe("image/png");
    // a broken original: no thumb, the caller serves the original
    await put("c/r/bad.png", { bytes: new TextEncoder().encode("not an image") });
    expect(await ensureThumb(store, "c/r/bad.png", "c/r/thumbs_bad.png/100x100_bad.png", spec, "bad.png")).toBe(false);
    expect(await store.exists("c/r/thumbs_bad.png/100x100_bad.png")).toBe(false);
  });
});
