import { afterEach, beforeEach, describe, expect, test } from "bun:test";
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { MultipartError, multipartBoundary, parseDisposition, parseMultipart } from "./multipart.ts";

let dir = "";
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "satchel-mp-"));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

/** A stream that delivers `body` in chunks of the given sizes (cycled). */
function chunked(body: Uint8Array, sizes: number[]): ReadableStream<Uint8Array> {
  let pos = 0;
  let i = 0;
  return new ReadableStream({
    pull(ctrl) {
      if (pos >= body.length) return ctrl.close();
      const n = sizes[i++ % sizes.length]!;
      ctrl.enqueue(body.slice(pos, pos + n));
      pos += n;
    },
  });
}

async function encode(form: FormData): Promise<{ body: Uint8Array; boundary: string }> {
  const res = new Response(form);
  const boundary = multipartBoundary(res.headers.get("content-type")!)!;
  return { body: new Uint8Array(await res.arrayBuffer()), boundary };
}

function sampleForm(): FormData {
  const f = new FormData();
  f.append("title", "Hello ✓");
  f.append("tags", "a");
  f.append("tags", "b");
  f.append("doc", new File(["x".repeat(3000) + "\r\n--not-a-boundary\r\n"], "notes.txt", { type: "text/plain" }));
  f.append("empty", new File([], "", { type: "application/octet-stream" }));
  f.append("img", new File([new Uint8Array([0x89, 0x50, 0x4e, 0x47, 1, 2, 3])], "a b.png", { type: "image/png" }));
  return f;
}

describe("parseMultipart", () => {
  test("values in memory, files to temp files, whatever the chunking", async () => {
    const { body, boundary } = await encode(sampleForm());
    for (const sizes of [[1], [7], [64, 3], [body.length]]) {
      const tempDir = join(dir, `t${sizes.join("_")}`);
      const r = await parseMultipart(chunked(body, sizes), { boundary, tempDir, maxBodySize: 1 << 20 });
      expect(r.fields).toEqual([["title", "Hello ✓"], ["tags", "a"], ["tags", "b"], ["empty", ""]]);
      expect(r.files.map((f) => [f.field, f.filename, f.contentType, f.size])).toEqual([
        ["doc", "notes.txt", "text/plain;charset=utf-8", 3000 + 20],
        ["img", "a b.png", "image/png", 7],
      ]);
      expect(readFileSync(r.files[0]!.path, "utf8").endsWith("\r\n--not-a-boundary\r\n")).toBe(true);
      expect(readdirSync(tempDir).length).toBe(2);
    }
  });

  test("a truncated body is a 400 and leaves no temp file", async () => {
    const { body, boundary } = await encode(sampleForm());
    for (const cut of [10, 200, 3100, body.length - 3]) {
      const tempDir = join(dir, `cut${cut}`);
      const err = await parseMultipart(chunked(body.slice(0, cut), [50]), { boundary, tempDir, maxBodySize: 1 << 20 }).catch((e) => e);
      expect(err).toBeInstanceOf(MultipartError);
      expect(err.status).toBe(400);
      expect(existsSync(tempDir) ? readdirSync(tempDir) : []).toEqual([]);
    }
  });

  test("too large is a 413 and leaves no temp file", async () => {
    const { body, boundary } = await encode(sampleForm());
    const tempDir = join(dir, "big");
    const err = await parseMultipart(chunked(body, [100]), { boundary, tempDir, maxBodySize: 3050 }).catch((e) => e);
    expect(err.status).toBe(413);
    expect(existsSync(tempDir) ? readdirSync(tempDir) : []).toEqual([]);
  });

  test("limits on values and headers", async () => {
    const f = new FormData();
    f.append("big", "v".repeat(2000));
    const { body, boundary } = await encode(f);
    const err = await parseMultipart(chunked(body, [256]), { boundary, tempDir: dir, maxBodySize: 1 << 20, maxValueBytes: 1000 }).catch((e) => e);
    expect(err.status).toBe(400);
    const junk = new TextEncoder().encode(`--${boundary}\r\nX: ${"h".repeat(40000)}`);
    const err2 = await parseMultipart(chunked(junk, [1000]), { boundary, tempDir: dir, maxBodySize: 1 << 20 }).catch((e) => e);
    expect(err2.status).toBe(400);
  });

  test("boundary and disposition parsing", () => {
    expect(multipartBoundary('multipart/form-data; boundary="ab:c"')).toBe("ab:c");
    expect(multipartBoundary("multipart/form-data; boundary=----X1")).toBe("----X1");
    expect(multipartBoundary("multipart/form-data")).toBeNull();
    expect(parseDisposition('form-data; name="a\\"b"; filename="c.png"').params).toEqual({ name: 'a"b', filename: "c.png" });
    expect(parseDisposition("form-data; name=x; filename*=UTF-8''%E2%9C%93.txt").params).toEqual({ name: "x", filename: "✓.txt" });
  });
});
