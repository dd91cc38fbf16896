/**
 * File storage on an S3-compatible server (s3rver on 127.0.0.1): the same uploads, serving,
 * thumbs and deletions as on local disk, with the objects really landing in s3rver's folder.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { existsSync, readdirSync } from "node:fs";
import { join } from "node:path";
import PocketBase from "pocketbase";
import { startTestServer, type TestServer } from "./helpers/test-server.ts";
import { startS3Server, type TestS3Server } from "./helpers/s3-server.ts";
import { fakeExe, gradientPng, noisyJpeg } from "./helpers/test-images.ts";
import { apiError as failure } from "./helpers/api-error.ts";
import { eventually } from "./helpers/eventually.ts";

let s3: TestS3Server;
let ts: TestServer;
let su: PocketBase;
let photosId = "";

function s3Settings(overrides: { [k: string]: unknown } = {}) {
  return { s3: { enabled: true, endpoint: s3.endpoint, bucket: s3.bucket, region: "us-east-1", accessKey: "S3RVER", secret: "S3RVER", forcePathStyle: true, ...overrides } };
}

/** Every object key s3rver holds for a collection. */
function objectsOf(collectionId: string): string[] {
  const dir = join(s3.directory, s3.bucket, collectionId);
  if (!existsSync(dir)) return [];
  return (readdirSync(dir, { recursive: true }) as string[]).filter((p) => p.endsWith("._S3rver_object")).map((p) => p.replace(/\._S3rver_object$/, "")).sort();
}

beforeAll(async () => {
  s3 = await startS3Server();
  ts = await startTestServer();
  su = await ts.superuser();
  await su.settings.update(s3Settings());
  const open = { listRule: "", viewRule: "", createRule: "", updateRule: "", deleteRule: "" };
  const photos = await su.collections.create({
    name: "photos", type: "base", ...open,
    fields: [
      { name: "title", type: "text" },
      { name: "image", type: "file", maxSelect: 1, mimeTypes: ["image/png", "image/jpeg"] },
      { name: "images", type: "file", maxSelect: 5, maxSize: 100_000 },
    ],
  });
  photosId = photos.id;
});

afterAll(async () => {
  await ts?.stop();
  await s3?.stop();
});

describe("S3 storage", () => {
  test("POST /api/settings/test/s3 works, and fails for a missing bucket", async () => {
    expect(await su.settings.testS3("storage")).toBe(true);
    await su.settings.update(s3Settings({ bucket: "no-such-bucket" }));
    try {
      const err = await failure(su.settings.testS3("storage"));
      expect(err.status).toBe(400);
      expect(err.response.message).toStartWith("Failed to test the S3 filesystem.");
    } finally {
      await su.settings.update(s3Settings());
    }
  });

  test("the seed's upload: the object lands in the bucket, is served, and thumbs are made there", async () => {
    const pb = ts.client();
    const jpeg = await noisyJpeg(800, 600);
    const formData = new FormData();
    formData.append("title", "My Photo");
    formData.append("image", new File([jpeg], "My Photo.jpg"));
    const record = await pb.collection("photos").create(formData);
    const key = `${photosId}/${record.id}/${record.image}`;
    expect(existsSync(s3.objectPath(key))).toBe(true);
    expect(existsSync(join(ts.dataDir, "storage", photosId))).toBe(false);
    expect(existsSync(join(ts.dataDir, ".pb_temp_to_delete", "uploads")) ? readdirSync(join(ts.dataDir, ".pb_temp_to_delete", "uploads")) : []).toEqual([]);

    const res = await fetch(pb.files.getURL(record, record.image));
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("image/jpeg");
    expect(res.headers.get("etag")).toBeTruthy();
    expect(new Uint8Array(await res.arrayBuffer())).toEqual(jpeg);
    const part = await fetch(pb.files.getURL(record, record.image), { headers: { range: "bytes=2-5" } });
    expect(part.status).toBe(206);
    expect(new Uint8Array(await part.arrayBuffer())).toEqual(jpeg.slice(2, 6));

    const thumb = await fetch(pb.files.getURL(record, record.image, { thumb: "100x100" }));
    expect(thumb.status).toBe(200);
    const meta = await new Bun.Image(new Uint8Array(await thumb.arrayBuffer())).metadata();
    expect([meta.width, meta.height]).toEqual([100, 100]);
    expect(existsSync(s3.objectPath(`${photosId}/${record.id}/thumbs_${record.image}/100x100_${record.image}`))).toBe(true);
  });

  test("three files, modifiers, and update(id, {image: null}) removing the objects", async () => {
    const pb = ts.client();
    const multi = new FormData();
    multi.append("image", new File([gradientPng(20, 20)], "one.png"));
    multi.append("images", new File(["1"], "1.txt"));
    multi.append("images", new File(["2"], "2.txt"));
    multi.append("images", new File(["3"], "3.txt"));
    let r = await pb.collection("photos").create(multi);
    expect(r.images).toHaveLength(3);
    for (const n of [r.image, ...r.images]) expect(existsSync(s3.objectPath(`${photosId}/${r.id}/${n}`))).toBe(true);
    await fetch(pb.files.getURL(r, r.image, { thumb: "100x100" }));
    const image = r.image as string;
    const [first] = r.images as string[];
    r = await pb.collection("photos").update(r.id, { image: null, "images-": [first] });
    expect(r.image).toBe("");
    await eventually(() => !objectsOf(photosId).some((k) => k.includes(image) || k.endsWith(first!)), "the removed objects to be deleted");
    expect(objectsOf(photosId).filter((k) => k.startsWith(`${r.id}/`))).toHaveLength(2);
  });

  test("bad input leaves no object behind", async () => {
    const pb = ts.client();
    const before = objectsOf(photosId);
    const exe = new FormData();
    exe.append("image", new File([fakeExe()], "cat.png"));
    expect((await failure(pb.collection("photos").create(exe))).response.data.image.code).toBe("validation_invalid_mime_type");
    const big = new FormData();
    big.append("images", new File([new Uint8Array(100_001)], "big.bin"));
    expect((await failure(pb.collection("photos").create(big))).response.data.images.code).toBe("validation_file_size_limit");
    expect(objectsOf(photosId)).toEqual(before);
  });

  test("deleting a record deletes its objects", async () => {
    const pb = ts.client();
    const fd = new FormData();
    fd.append("images", new File(["x"], "x.txt"));
    const r = await pb.collection("photos").create(fd);
    expect(objectsOf(photosId).some((k) => k.startsWith(`${r.id}/`))).toBe(true);
    await pb.collection("photos").delete(r.id);
    await eventually(() => !objectsOf(photosId).some((k) => k.startsWith(`${r.id}/`)), "the record's objects to be deleted");
  });
});
