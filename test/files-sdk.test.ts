/**
 * File storage through the official SDK against a real server: the seed's upload code as written,
 * modifiers, serving (thumbs, ranges, safe headers), protected files, bad input, the fixture's
 * PocketBase-written files.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import PocketBase, { type RecordModel } from "pocketbase";
import { startTestServer, type TestServer } from "./helpers/test-server.ts";
import { fakeExe, gradientPng, noisyJpeg, pngBombHeader, twoFrameGif } from "./helpers/test-images.ts";
import { UploadFile } from "../src/core/files/upload-file.ts";
import { Record } from "../src/core/records/record.ts";
import { newRecordToken } from "../src/core/auth/tokens.ts";
import { ValidationError, fieldError } from "../src/core/api-error.ts";
import { apiError as failure } from "./helpers/api-error.ts";
import { eventually } from "./helpers/eventually.ts";

let ts: TestServer;
let su: PocketBase;
let postsId = "";
let jpeg: Uint8Array<ArrayBuffer>;

function listStorage(): string[] {
  const root = join(ts.dataDir, "storage");
  return existsSync(root) ? (readdirSync(root, { recursive: true }) as string[]).filter((p) => !p.endsWith(".attrs")).sort() : [];
}

function tempUploads(): string[] {
  const dir = join(ts.dataDir, ".pb_temp_to_delete", "uploads");
  return existsSync(dir) ? readdirSync(dir) : [];
}

async function imageSizeOf(res: Response): Promise<[number, number]> {
  const m = await new Bun.Image(new Uint8Array(await res.arrayBuffer())).metadata();
  return [m.width, m.height];
}

beforeAll(async () => {
  ts = await startTestServer();
  su = await ts.superuser();
  jpeg = await noisyJpeg(2000, 1500);
  const open = { listRule: "", viewRule: "", createRule: "", updateRule: "", deleteRule: "" };
  await su.collections.create({ name: "photos", type: "base", ...open, fields: [{ name: "title", type: "text" }, { name: "image", type: "file", maxSelect: 1 }] });
  await su.collections.create({ name: "galleries", type: "base", ...open, fields: [{ name: "title", type: "text" }, { name: "images", type: "file", maxSelect: 5 }] });
  const posts = await su.collections.create({
    name: "posts", type: "base", ...open,
    fields: [
      { name: "title", type: "text" },
      { name: "image", type: "file", maxSelect: 1, mimeTypes: ["image/png", "image/jpeg", "image/gif"], thumbs: ["50x50t", "0x40"] },
      { name: "images", type: "file", maxSelect: 5 },
      { name: "doc", type: "file", maxSelect: 1, maxSize: 1000 },
    ],
  });
  postsId = posts.id;
});

afterAll(async () => {
  await ts.stop();
});

describe("the seed's upload code", () => {
  test("create with FormData and one file; getURL and a 100x100 thumb", async () => {
    const pb = ts.client();
    const formData = new FormData();
    formData.append("title", "My Photo");
    formData.append("image", new File([jpeg], "My Photo.jpg", { type: "image/jpeg" }));
    const record = await pb.collection("photos").create(formData);
    expect(record.image).toMatch(/^my_photo_[a-z0-9]{10}\.jpg$/);
    const url = pb.files.getURL(record, record.image);
    expect(url).toBe(`${ts.url}/api/files/${record.collectionId}/${record.id}/${record.image}`);
    const res = await fetch(url);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("image/jpeg");
    expect(new Uint8Array(await res.arrayBuffer())).toEqual(jpeg);
    const thumb = await fetch(pb.files.getURL(record, record.image, { thumb: "100x100" }));
    expect(thumb.status).toBe(200);
    expect(thumb.headers.get("content-type")).toBe("image/jpeg");
    expect(await imageSizeOf(thumb)).toEqual([100, 100]);
    const c = await su.collections.getOne("photos");
    expect(existsSync(join(ts.dataDir, "storage", c.id, record.id, `thumbs_${record.image}`, `100x100_${record.image}`))).toBe(true);
  });

  test("three files in one FormData", async () => {
    const pb = ts.client();
    const multi = new FormData();
    multi.append("title", "Gallery");
    multi.append("images", new File([gradientPng(30, 20)], "one.png"));
    multi.append("images", new File([gradientPng(31, 20)], "two.png"));
    multi.append("images", new File([gradientPng(32, 20)], "three.png"));
    const gallery = await pb.collection("galleries").create(multi);
    expect(gallery.images).toHaveLength(3);
    expect(gallery.images.map((n: string) => n.split("_")[0])).toEqual(["one", "two", "three"]);
    for (const name of gallery.images) expect((await fetch(pb.files.getURL(gallery, name))).status).toBe(200);
  });

  test("update(id, {image: null}) removes the file from storage", async () => {
    const pb = ts.client();
    const fd = new FormData();
    fd.append("image", new File([gradientPng(10, 10)], "x.png"));
    const record = await pb.collection("photos").create(fd);
    await fetch(pb.files.getURL(record, record.image, { thumb: "100x100" }));
    const c = await su.collections.getOne("photos");
    const dir = join(ts.dataDir, "storage", c.id, record.id);
    expect(readdirSync(dir)).toContain(record.image);
    const updated = await pb.collection("photos").update(record.id, { image: null });
    expect(updated.image).toBe("");
    expect(existsSync(join(dir, record.image))).toBe(false);
    expect(existsSync(join(dir, `thumbs_${record.image}`))).toBe(false);
    expect((await fetch(pb.files.getURL(record, record.image))).status).toBe(404);
  });
});

describe("modifiers and replacement", () => {
  test("field+ appends, +field prepends, field- removes (and deletes), a plain key replaces", async () => {
    const pb = ts.client();
    const create = new FormData();
    create.append("images", new File(["a"], "a.txt"));
    let r = await pb.collection("posts").create(create);
    const [a] = r.images as string[];
    const add = new FormData();
    add.append("images+", new File(["b"], "b.txt"));
    add.append("+images", new File(["c"], "c.txt"));
    r = await pb.collection("posts").update(r.id, add);
    expect(r.images.map((n: string) => n[0])).toEqual(["c", "a", "b"]);
    const [c, , b] = r.images as string[];
    r = await pb.collection("posts").update(r.id, { "images-": [a] });
    expect(r.images).toEqual([c, b]);
    const dir = join(ts.dataDir, "storage", postsId, r.id);
    expect(existsSync(join(dir, a!))).toBe(false);
    // plain key with a kept name + a new file: the name stays, before the new file; the rest is deleted
    const mixed = new FormData();
    mixed.append("images", b!);
    mixed.append("images", new File(["d"], "d.txt"));
    r = await pb.collection("posts").update(r.id, mixed);
    expect(r.images.map((n: string) => n[0])).toEqual(["b", "d"]);
    expect(existsSync(join(dir, c!))).toBe(false);
    // a plain key with files only replaces everything
    const replace = new FormData();
    replace.append("images", new File(["e"], "e.txt"));
    r = await pb.collection("posts").update(r.id, replace);
    expect(r.images.map((n: string) => n[0])).toEqual(["e"]);
    expect(readdirSync(dir).filter((n) => !n.endsWith(".attrs"))).toEqual([r.images[0]]);
  });

  test("a single-file field keeps the last file; names that were never stored are refused", async () => {
    const pb = ts.client();
    const fd = new FormData();
    fd.append("image", new File([gradientPng(5, 5)], "first.png"));
    fd.append("image", new File([gradientPng(6, 6)], "second.png"));
    const r = await pb.collection("posts").create(fd);
    expect(r.image).toMatch(/^second_/);
    expect(readdirSync(join(ts.dataDir, "storage", postsId, r.id)).filter((n) => !n.endsWith(".attrs"))).toEqual([r.image]);
    const err = await failure(pb.collection("posts").update(r.id, { image: "../../data.db" }));
    expect(err.status).toBe(400);
    expect(err.response.data.image.code).toBe("validation_invalid_file");
  });

  test("model hooks see the new files as file objects until the save", async () => {
    const seen: unknown[] = [];
    const id = ts.app.onRecordCreate("posts").bindFunc((e) => {
      seen.push(e.record.get("image"));
      return e.next();
    });
    try {
      const fd = new FormData();
      fd.append("image", new File([gradientPng(5, 5)], "hooked.png"));
      const r = await ts.client().collection("posts").create(fd);
      expect(seen[0]).toBeInstanceOf(UploadFile);
      const f = seen[0] as UploadFile;
      expect([f.originalName, f.name, f.size, f.mime]).toEqual(["hooked.png", r.image, gradientPng(5, 5).length, "image/png"]);
    } finally {
      ts.app.onRecordCreate("posts").unbind(id);
    }
  });

  test("a hook may change the record id or rename a new file after it was staged", async () => {
    const id = ts.app.onRecordCreate("posts").bindFunc((e) => {
      e.record.id = "customid1234567";
      const f = e.record.get("image") as UploadFile;
      f.name = "renamed_by_hook.png";
      return e.next();
    });
    try {
      const fd = new FormData();
      fd.append("image", new File([gradientPng(5, 5)], "orig.png"));
      const r = await ts.client().collection("posts").create(fd);
      expect([r.id, r.image]).toEqual(["customid1234567", "renamed_by_hook.png"]);
      expect((await fetch(ts.client().files.getURL(r, r.image))).status).toBe(200);
      expect(readdirSync(join(ts.dataDir, "storage", postsId)).some((d) => d !== "customid1234567" && readdirSync(join(ts.dataDir, "storage", postsId, d)).includes("renamed_by_hook.png"))).toBe(false);
    } finally {
      ts.app.onRecordCreate("posts").unbind(id);
    }
  });

  test("deleting a record deletes its files", async () => {
    const pb = ts.client();
    const fd = new FormData();
    fd.append("images", new File(["x"], "x.txt"));
    const r = await pb.collection("posts").create(fd);
    const dir = join(ts.dataDir, "storage", postsId, r.id);
    expect(existsSync(dir)).toBe(true);
    await pb.collection("posts").delete(r.id);
    expect(existsSync(dir)).toBe(false);
  });
});

describe("server code", () => {
  test("app.save with new files writes them; a failing save leaves nothing; deleting a collection deletes its folder", async () => {
    const c = ts.app.findCollectionByNameOrId("posts");
    const r = new Record(c);
    r.set("images", [UploadFile.fromBytes(new TextEncoder().encode("from a hook"), "hook.txt")]);
    ts.app.save(r);
    const [name] = r.get("images") as string[];
    expect(typeof name).toBe("string");
    expect(readFileSync(join(ts.dataDir, "storage", c.id, r.id, name!), "utf8")).toBe("from a hook");

    const before = listStorage();
    const bad = new Record(c);
    bad.set("doc", UploadFile.fromBytes(new Uint8Array(5000).fill(66), "too-big.txt"));
    expect(() => ts.app.save(bad)).toThrow(ValidationError);
    expect(listStorage()).toEqual(before);

    const temp = await su.collections.create({ name: "temp_files", type: "base", createRule: "", fields: [{ name: "f", type: "file", maxSelect: 1 }] });
    const fd = new FormData();
    fd.append("f", new File(["t"], "t.txt"));
    await ts.client().collection("temp_files").create(fd);
    expect(existsSync(join(ts.dataDir, "storage", temp.id))).toBe(true);
    await su.collections.delete(temp.id);
    expect(existsSync(join(ts.dataDir, "storage", temp.id))).toBe(false);
  });
});

describe("bad input: a clean 4xx and nothing left behind", () => {
  async function expectRejected(fd: FormData, field: string, code: string): Promise<void> {
    const before = listStorage();
    const err = await failure(ts.client().collection("posts").create(fd));
    expect(err.status).toBe(400);
    expect(err.response.data[field]?.code).toBe(code);
    expect(listStorage()).toEqual(before);
    await eventually(() => tempUploads().length === 0, "temp uploads to be removed");
  }

  test("a file over maxSize", async () => {
    const fd = new FormData();
    fd.append("doc", new File([new Uint8Array(1001).fill(65)], "big.txt"));
    await expectRejected(fd, "doc", "validation_file_size_limit");
  });

  test("a disallowed type: an .exe renamed to .png", async () => {
    const fd = new FormData();
    fd.append("image", new File([fakeExe()], "cute-cat.png", { type: "image/png" }));
    await expectRejected(fd, "image", "validation_invalid_mime_type");
  });

  test("a zero-byte file", async () => {
    const fd = new FormData();
    fd.append("images", new File([], "empty.txt"));
    await expectRejected(fd, "images", "validation_invalid_file");
  });

  test("an image bomb", async () => {
    const fd = new FormData();
    fd.append("image", new File([pngBombHeader(100000, 100000)], "bomb.png", { type: "image/png" }));
    await expectRejected(fd, "image", "validation_invalid_file");
  });

  test("too many files", async () => {
    const fd = new FormData();
    for (let i = 0; i < 6; i++) fd.append("images", new File([`${i}`], `${i}.txt`));
    await expectRejected(fd, "images", "validation_too_many_files");
  });

  test("a save that fails for another reason removes the staged files", async () => {
    const id = ts.app.onRecordCreate("posts").bindFunc(() => {
      throw new ValidationError({ title: fieldError("validation_required", "Cannot be blank.") });
    });
    try {
      const before = listStorage();
      const fd = new FormData();
      fd.append("images", new File(["x"], "x.txt"));
      const err = await failure(ts.client().collection("posts").create(fd));
      expect(err.status).toBe(400);
      expect(err.response.data.title.code).toBe("validation_required");
      expect(listStorage()).toEqual(before);
    } finally {
      ts.app.onRecordCreate("posts").unbind(id);
    }
  });

  test("a truncated multipart body", async () => {
    const before = listStorage();
    const boundary = "----satchelBoundary";
    const body = `--${boundary}\r\nContent-Disposition: form-data; name="title"\r\n\r\nx\r\n--${boundary}\r\nContent-Disposition: form-data; name="images"; filename="a.txt"\r\nContent-Type: text/plain\r\n\r\n${"z".repeat(5000)}`;
    const res = await fetch(`${ts.url}/api/collections/posts/records`, {
      method: "POST",
      headers: { "content-type": `multipart/form-data; boundary=${boundary}` },
      body,
    });
    expect(res.status).toBe(400);
    expect(await res.json()).toEqual({ status: 400, message: "Failed to read the submitted data.", data: {} });
    expect(listStorage()).toEqual(before);
    expect(tempUploads()).toEqual([]);
  });

  test("path tricks in file names are neutralised", async () => {
    const fd = new FormData();
    fd.append("images", new File(["p"], "../../../etc/passwd"));
    fd.append("images", new File(["q"], "..\\..\\boot.ini"));
    const r = await ts.client().collection("posts").create(fd);
    for (const name of r.images as string[]) {
      expect(name).not.toMatch(/[\/\\]/);
      expect(existsSync(join(ts.dataDir, "storage", postsId, r.id, name))).toBe(true);
    }
  });

  test("path tricks in the URL are 404s", async () => {
    const fd = new FormData();
    fd.append("images", new File(["p"], "p.txt"));
    const r = await ts.client().collection("posts").create(fd);
    const base = `${ts.url}/api/files/posts/${r.id}`;
    for (const p of ["..%2F..%2F..%2Fdata.db", "%2e%2e%2f%2e%2e%2fdata.db", "..%5C..%5Cdata.db", `${r.images[0]}%00.png`, "thumbs_x"]) {
      expect((await fetch(`${base}/${p}`)).status).toBe(404);
    }
    expect((await fetch(`${ts.url}/api/files/posts/..%2F..%2F/${r.images[0]}`)).status).toBe(404);
    expect((await fetch(`${ts.url}/api/files/..%2Fposts/${r.id}/${r.images[0]}`)).status).toBe(404);
    expect((await fetch(`${base}/${r.images[0]}`)).status).toBe(200);
  });
});

describe("serving", () => {
  let rec: RecordModel;
  let png: Uint8Array<ArrayBuffer>;
  beforeAll(async () => {
    png = gradientPng(300, 200);
    const fd = new FormData();
    fd.append("image", new File([png], "pic.png"));
    fd.append("images", new File(['<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'], "x.svg"));
    fd.append("images", new File(["<html><script>alert(1)</script></html>"], "page.html"));
    fd.append("images", new File(["plain text body"], "notes.txt"));
    rec = await ts.client().collection("posts").create(fd);
  });

  test("headers: inline images, attachments for risky types, CSP, no X-Frame-Options", async () => {
    const pb = ts.client();
    const res = await fetch(pb.files.getURL(rec, rec.image));
    expect(res.headers.get("content-disposition")).toBe(`inline; filename=${rec.image}`);
    expect(res.headers.get("content-security-policy")).toBe("default-src 'none'; media-src 'self'; style-src 'unsafe-inline'; sandbox");
    expect(res.headers.get("cache-control")).toBe("max-age=2592000, stale-while-revalidate=86400");
    expect(res.headers.get("x-frame-options")).toBeNull();
    expect(res.headers.get("x-content-type-options")).toBe("nosniff");
    const other = await fetch(`${ts.url}/api/health`);
    expect(other.headers.get("x-frame-options")).toBe("SAMEORIGIN");
    const [svg, html, txt] = rec.images as string[];
    const s = await fetch(pb.files.getURL(rec, svg!));
    expect(s.headers.get("content-type")).toBe("image/svg+xml");
    expect(s.headers.get("content-disposition")).toBe(`attachment; filename=${svg}`);
    expect(s.headers.get("content-security-policy")).toContain("sandbox");
    const h = await fetch(pb.files.getURL(rec, html!));
    expect(h.headers.get("content-disposition")).toStartWith("attachment;");
    expect(h.headers.get("content-type")).toBe("text/html; charset=utf-8");
    const t = await fetch(pb.files.getURL(rec, txt!));
    expect(await t.text()).toBe("plain text body");
    const d = await fetch(pb.files.getURL(rec, rec.image, { download: true }));
    expect(d.headers.get("content-disposition")).toBe(`attachment; filename=${rec.image}`);
  });

  test("thumbs: listed sizes, 100x100 always, others fall back to the original", async () => {
    const pb = ts.client();
    expect(await imageSizeOf(await fetch(pb.files.getURL(rec, rec.image, { thumb: "50x50t" })))).toEqual([50, 50]);
    expect(await imageSizeOf(await fetch(pb.files.getURL(rec, rec.image, { thumb: "0x40" })))).toEqual([60, 40]);
    expect(await imageSizeOf(await fetch(pb.files.getURL(rec, rec.image, { thumb: "100x100" })))).toEqual([100, 100]);
    const notListed = await fetch(pb.files.getURL(rec, rec.image, { thumb: "33x33" }));
    expect(new Uint8Array(await notListed.arrayBuffer())).toEqual(png);
    const [, , txt] = rec.images as string[];
    expect(await (await fetch(pb.files.getURL(rec, txt!, { thumb: "100x100" }))).text()).toBe("plain text body");
  });

  test("concurrent first requests for one thumb all get it", async () => {
    const fd = new FormData();
    fd.append("image", new File([jpeg], "big.jpg"));
    const r = await ts.client().collection("posts").create(fd);
    const url = ts.client().files.getURL(r, r.image, { thumb: "50x50t" });
    const all = await Promise.all(Array.from({ length: 6 }, () => fetch(url)));
    for (const res of all) expect(await imageSizeOf(res)).toEqual([50, 50]);
  });

  test("GIF thumbs (first frame) and a broken image falls back to the original", async () => {
    const fd = new FormData();
    fd.append("image", new File([twoFrameGif(120, 80)], "anim.gif"));
    const r = await ts.client().collection("posts").create(fd);
    const res = await fetch(ts.client().files.getURL(r, r.image, { thumb: "100x100" }));
    expect(res.headers.get("content-type")).toBe("image/png");
    expect(await imageSizeOf(res)).toEqual([100, 100]);
    const broken = new Uint8Array(gradientPng(50, 50).slice(0, 60));
    const fd2 = new FormData();
    fd2.append("image", new File([broken], "broken.png"));
    const r2 = await ts.client().collection("posts").create(fd2);
    const res2 = await fetch(ts.client().files.getURL(r2, r2.image, { thumb: "100x100" }));
    expect(res2.status).toBe(200);
    expect(new Uint8Array(await res2.arrayBuffer())).toEqual(broken);
  });

  test("range and conditional requests", async () => {
    const url = ts.client().files.getURL(rec, rec.image);
    const full = await fetch(url);
    const etag = full.headers.get("etag")!;
    expect(etag).toMatch(/^"[0-9a-f]{32}"$/);
    expect(full.headers.get("last-modified")).toBeTruthy();
    expect(full.headers.get("accept-ranges")).toBe("bytes");
    const part = await fetch(url, { headers: { range: "bytes=0-9" } });
    expect(part.status).toBe(206);
    expect(part.headers.get("content-range")).toBe(`bytes 0-9/${png.length}`);
    expect(new Uint8Array(await part.arrayBuffer())).toEqual(png.slice(0, 10));
    const tail = await fetch(url, { headers: { range: "bytes=-5" } });
    expect(new Uint8Array(await tail.arrayBuffer())).toEqual(png.slice(png.length - 5));
    expect((await fetch(url, { headers: { range: `bytes=${png.length}-` } })).status).toBe(416);
    expect((await fetch(url, { headers: { "if-none-match": etag } })).status).toBe(304);
    expect((await fetch(url, { headers: { "if-modified-since": full.headers.get("last-modified")! } })).status).toBe(304);
    expect((await fetch(url, { headers: { "if-match": '"nope"' } })).status).toBe(412);
  });

  test("unknown collection, record or file: 404", async () => {
    expect((await fetch(`${ts.url}/api/files/nope/${rec.id}/${rec.image}`)).status).toBe(404);
    expect((await fetch(`${ts.url}/api/files/posts/nope/${rec.image}`)).status).toBe(404);
    const res = await fetch(`${ts.url}/api/files/posts/${rec.id}/other.png`);
    expect(res.status).toBe(404);
    expect(await res.json()).toEqual({ status: 404, message: "The requested resource wasn't found.", data: {} });
  });
});

describe("protected files", () => {
  let owner: PocketBase;
  let other: PocketBase;
  let doc: RecordModel;

  beforeAll(async () => {
    const users = await su.collections.getOne("users");
    await su.collections.update(users.id, { createRule: "" });
    for (const email of ["owner@example.com", "other@example.com"]) {
      await su.collection("users").create({ email, password: "1234567890", passwordConfirm: "1234567890" });
    }
    owner = ts.client();
    await owner.collection("users").authWithPassword("owner@example.com", "1234567890");
    other = ts.client();
    await other.collection("users").authWithPassword("other@example.com", "1234567890");
    await su.collections.create({
      name: "secrets", type: "base",
      listRule: "owner = @request.auth.id", viewRule: "owner = @request.auth.id", createRule: "@request.auth.id != ''",
      fields: [
        { name: "owner", type: "relation", collectionId: users.id, maxSelect: 1 },
        { name: "file", type: "file", maxSelect: 1, protected: true },
      ],
    });
    const fd = new FormData();
    fd.append("owner", owner.authStore.record!.id);
    fd.append("file", new File(["top secret"], "secret.txt"));
    doc = await owner.collection("secrets").create(fd);
  });

  test("no token or a bad one: 404", async () => {
    const url = ts.client().files.getURL(doc, doc.file);
    expect((await fetch(url)).status).toBe(404);
    expect((await fetch(`${url}?token=garbage`)).status).toBe(404);
    // an auth token is not a file token
    expect((await fetch(`${url}?token=${owner.authStore.token}`)).status).toBe(404);
  });

  test("the owner's file token works; another user's does not; superusers see everything", async () => {
    const token = await owner.files.getToken();
    const res = await fetch(owner.files.getURL(doc, doc.file, { token }));
    expect(res.status).toBe(200);
    expect(await res.text()).toBe("top secret");
    const otherToken = await other.files.getToken();
    expect((await fetch(other.files.getURL(doc, doc.file, { token: otherToken }))).status).toBe(404);
    const suToken = await su.files.getToken();
    expect((await fetch(su.files.getURL(doc, doc.file, { token: suToken }))).status).toBe(200);
  });

  test("an expired token is refused", async () => {
    const user = ts.app.findAuthRecordByEmail("users", "owner@example.com");
    const expired = newRecordToken(user, "file", {}, -10);
    expect((await fetch(ts.client().files.getURL(doc, doc.file, { token: expired }))).status).toBe(404);
    const fresh = newRecordToken(user, "file");
    expect((await fetch(ts.client().files.getURL(doc, doc.file, { token: fresh }))).status).toBe(200);
  });

  test("guests cannot get a file token", async () => {
    const err = await failure(ts.client().files.getToken());
    expect(err.status).toBe(401);
  });
});

describe("settings", () => {
  test("test/s3 answers 400 when S3 is off or the body is wrong", async () => {
    const err = await failure(su.settings.testS3("storage"));
    expect(err.status).toBe(400);
    const bad = await failure(su.settings.testS3("nope"));
    expect(bad.response.data.filesystem.code).toBe("validation_in_invalid");
  });
});

describe("a pb_data written by PocketBase", () => {
  let fx: TestServer;
  beforeAll(async () => {
    fx = await startTestServer({ fixture: true });
  });
  afterAll(async () => {
    await fx.stop();
  });

  test("its files and generated thumbs are served", async () => {
    const base = `${fx.url}/api/files`;
    const avatar = await fetch(`${base}/users/4q1xlclmfloku33/300_1SEi6Q6U72.png`);
    expect(avatar.status).toBe(200);
    expect(avatar.headers.get("content-type")).toBe("image/png");
    const stored = join(fx.dataDir, "storage/_pb_users_auth_/4q1xlclmfloku33");
    expect(new Uint8Array(await avatar.arrayBuffer())).toEqual(new Uint8Array(readFileSync(join(stored, "300_1SEi6Q6U72.png"))));
    const thumb = await fetch(`${base}/users/4q1xlclmfloku33/300_1SEi6Q6U72.png?thumb=70x50t`);
    expect(new Uint8Array(await thumb.arrayBuffer())).toEqual(new Uint8Array(readFileSync(join(stored, "thumbs_300_1SEi6Q6U72.png/70x50t_300_1SEi6Q6U72.png"))));
    const txt = await fetch(`${base}/demo1/84nmscqy84lsi1t/test_QZFjKjXchk.txt`);
    expect(txt.headers.get("content-type")).toBe("text/plain; charset=utf-8");
    expect(txt.headers.get("content-disposition")).toBe("attachment; filename=test_QZFjKjXchk.txt");
    const svg = await fetch(`${base}/demo1/84nmscqy84lsi1t/logo_vcfJJG5TAh.svg`);
    expect(svg.headers.get("content-type")).toBe("image/svg+xml");
  });

  test("a view collection serves its source record's file", async () => {
    const res = await fetch(`${fx.url}/api/files/view1/84nmscqy84lsi1t/300_WlbFWSGmW9.png`);
    expect(res.status).toBe(200);
    expect(await imageSizeOf(res)).toEqual([300, 300]);
  });

  test("its protected file needs a token (superuser here: demo1's view rule is locked)", async () => {
    const url = `${fx.url}/api/files/demo1/84nmscqy84lsi1t/test_d61b33QdDU.txt`;
    expect((await fetch(url)).status).toBe(404);
    const pb = await fx.superuser();
    const token = await pb.files.getToken();
    const res = await fetch(`${url}?token=${token}`);
    expect(res.status).toBe(200);
    expect(await res.text()).toBe(readFileSync(join(fx.dataDir, "storage/wsmn24bux7wo113/84nmscqy84lsi1t/test_d61b33QdDU.txt"), "utf8"));
  });
});
