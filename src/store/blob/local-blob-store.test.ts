import { afterEach, beforeEach, describe, expect, test } from "bun:test";
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { LocalBlobStore } from "./local-blob-store.ts";
import { assertSafeKey, UnsafeKeyError } from "./blob-store.ts";

let dir = "";
let store: LocalBlobStore;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "satchel-blob-"));
  store = new LocalBlobStore(join(dir, "storage"));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const bytes = (s: string) => new TextEncoder().encode(s);

describe("LocalBlobStore", () => {
  test("put/stat/read/open with PocketBase's .attrs beside the file", async () => {
    await store.put("col/rec/a.txt", { bytes: bytes("hello") }, { contentType: "text/plain; charset=utf-8" });
    const attrs = JSON.parse(readFileSync(join(dir, "storage/col/rec/a.txt.attrs"), "utf8"));
    expect(attrs["user.content_type"]).toBe("text/plain; charset=utf-8");
    expect(attrs.md5).toBe(new Bun.CryptoHasher("md5").update("hello").digest("base64"));
    const info = (await store.stat("col/rec/a.txt"))!;
    expect(info.size).toBe(5);
    expect(info.contentType).toBe("text/plain; charset=utf-8");
    expect(info.etag).toBe(`"${new Bun.CryptoHasher("md5").update("hello").digest("hex")}"`);
    expect(new TextDecoder().decode((await store.read("col/rec/a.txt"))!)).toBe("hello");
    expect(await store.open("col/rec/a.txt").slice(1, 3).text()).toBe("el");
    expect(await store.stat("col/rec/missing.txt")).toBeNull();
    expect(await store.read("col/rec/missing.txt")).toBeNull();
  });

  test("a movable source is moved, a plain path copied, a Blob written", async () => {
    const tmp = join(dir, "upload");
    writeFileSync(tmp, "abc");
    await store.put("c/r/moved.bin", { path: tmp, movable: true });
    expect(existsSync(tmp)).toBe(false);
    writeFileSync(tmp, "def");
    await store.put("c/r/copied.bin", { path: tmp });
    expect(existsSync(tmp)).toBe(true);
    await store.put("c/r/blob.bin", { blob: new Blob(["xyz"]) });
    expect(await store.list("c/")).toEqual(["c/r/blob.bin", "c/r/copied.bin", "c/r/moved.bin"]);
    expect(readdirSync(join(dir, "storage/c/r")).some((n) => n.includes(".tmp-"))).toBe(false);
  });

  test("delete removes the .attrs and empty folders; deletePrefix removes a folder", async () => {
    await store.put("c/r/a.png", { bytes: bytes("a") });
    await store.put("c/r/thumbs_a.png/100x100_a.png", { bytes: bytes("t") });
    await store.put("c/other/b.png", { bytes: bytes("b") });
    expect(await store.deletePrefix("c/r/thumbs_a.png/")).toEqual([]);
    expect(existsSync(join(dir, "storage/c/r/thumbs_a.png"))).toBe(false);
    await store.delete("c/r/a.png");
    expect(existsSync(join(dir, "storage/c/r"))).toBe(false);
    expect(existsSync(join(dir, "storage/c/other/b.png"))).toBe(true);
    await store.delete("c/r/never-there.png");
  });

  test("synchronous variants", async () => {
    const tmp = join(dir, "upload");
    writeFileSync(tmp, "sync");
    store.sync.put("c/r/s.txt", { path: tmp, movable: true }, { contentType: "text/plain" });
    expect((await store.stat("c/r/s.txt"))!.contentType).toBe("text/plain");
    store.sync.deletePrefix("c/r/");
    expect(existsSync(join(dir, "storage/c"))).toBe(false);
    expect(() => store.sync.put("c/r/x", { blob: new Blob(["x"]) })).toThrow();
  });

  test("keys that could leave the root are refused", async () => {
    for (const key of ["../x", "a/../../x", "/etc/passwd", "a\\b", "a//b", "a/./b", "a\0b", ""]) {
      expect(() => assertSafeKey(key)).toThrow(UnsafeKeyError);
      await expect(store.put(key, { bytes: bytes("x") })).rejects.toThrow();
    }
    expect(() => assertSafeKey("a/b/", true)).not.toThrow();
    expect(readdirSync(dir)).toEqual([]);
  });
});
