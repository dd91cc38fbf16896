import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import PocketBase, { ClientResponseError } from "pocketbase";
import { startTestServer, type TestServer } from "./helpers/test-server.ts";
import { Record } from "../src/core/records/record.ts";

let ts: TestServer;
let su: PocketBase;

async function expectStatus(p: Promise<unknown>, status: number): Promise<ClientResponseError> {
  try {
    await p;
  } catch (err) {
    expect(err).toBeInstanceOf(ClientResponseError);
    expect((err as ClientResponseError).status).toBe(status);
    return err as ClientResponseError;
  }
  throw new Error(`expected ${status}`);
}

beforeAll(async () => {
  ts = await startTestServer();
  su = await ts.superuser();
  const users = await su.collections.getOne("users");
  await su.collections.update("users", { fields: [...users.fields, { name: "role", type: "select", values: ["admin", "member"], maxSelect: 1 }] });
  // The seed's posts collection with the seed's rules
  await su.collections.create({
    name: "posts",
    type: "base",
    listRule: "published = true",
    viewRule: "published = true",
    createRule: '@request.auth.id != ""',
    updateRule: 'author = @request.auth.id || @request.auth.role = "admin"',
    deleteRule: '@request.auth.role = "admin"',
    fields: [
      { name: "title", type: "text", required: true },
      { name: "content", type: "editor", required: true },
      { name: "slug", type: "text" },
      { name: "tags", type: "select", values: ["tech", "tutorial", "news"], maxSelect: 3 },
      { name: "author", type: "relation", collectionId: "_pb_users_auth_", maxSelect: 1 },
      { name: "published", type: "bool" },
      { name: "views", type: "number" },
      { name: "secret", type: "text", hidden: true },
      { name: "created", type: "autodate", onCreate: true },
      { name: "updated", type: "autodate", onCreate: true, onUpdate: true },
    ],
    indexes: ["CREATE UNIQUE INDEX idx_posts_slug ON posts (slug) WHERE slug != ''"],
  });
});
afterAll(async () => {
  await ts.stop();
});

async function newUser(email: string, extra: { [k: string]: unknown } = {}): Promise<PocketBase> {
  const pb = ts.client();
  await pb.collection("users").create({ email, password: "securepassword123", passwordConfirm: "securepassword123", name: email.split("@")[0], ...extra });
  await pb.collection("users").authWithPassword(email, "securepassword123");
  return pb;
}

describe("the seed's SDK calls, as written", () => {
  test("create, list with filter/sort/expand, getOne, getFirstListItem, update views + 1, delete", async () => {
    const pb = await newUser("author@example.com");
    const newPost = await pb.collection("posts").create({
      title: "My First Post",
      content: "<p>Hello PocketBase!</p>",
      published: true,
      author: pb.authStore.record?.id,
    });
    expect(newPost.author).toBe(pb.authStore.record!.id);
    await pb.collection("posts").create({ title: "Hello", content: "x", slug: "hello-world", published: true, author: pb.authStore.record?.id });
    await pb.collection("posts").create({ title: "Draft", content: "x", published: false, author: pb.authStore.record?.id });

    const posts = await pb.collection("posts").getList(1, 20, { filter: "published = true", sort: "-created", expand: "author" });
    expect(posts.totalItems).toBe(2);
    expect(posts.items.map((p) => p.title)).toEqual(["Hello", "My First Post"]);
    expect(posts.items[0]!.expand!.author.email).toBe("author@example.com");

    const post = await pb.collection("posts").getOne(newPost.id, { expand: "author" });
    expect(post.expand!.author.id).toBe(pb.authStore.record!.id);

    const featured = await pb.collection("posts").getFirstListItem('slug = "hello-world"');
    expect(featured.title).toBe("Hello");
    await expectStatus(pb.collection("posts").getFirstListItem('slug = "nope"'), 404);

    const updated = await pb.collection("posts").update(newPost.id, { title: "Updated Title", views: post.views + 1 });
    expect(updated.title).toBe("Updated Title");
    expect(updated.views).toBe(1);

    // delete needs the admin role
    await expectStatus(pb.collection("posts").delete(newPost.id), 404);
    const admin = await newUser("admin@example.com");
    await su.collection("users").update(admin.authStore.record!.id, { role: "admin" });
    await admin.collection("posts").delete(newPost.id);
    await expectStatus(su.collection("posts").getOne(newPost.id), 404);
  });

  test("getFullList with more than 1000 records", async () => {
    const c = ts.app.findCollectionByNameOrId("posts");
    ts.app.runInTransaction((tx) => {
      for (let i = 0; i < 1234; i++) tx.save(new Record(c, { title: `bulk ${i}`, content: "x", published: true }));
    });
    const all = await ts.client().collection("posts").getFullList({ filter: 'title ~ "bulk "' });
    expect(all.length).toBe(1234);
    expect(new Set(all.map((r) => r.id)).size).toBe(1234);
  });
});

describe("rules and statuses", () => {
  test("null rule → 403, failing view → 404, failing create → 400, failing list → fewer items", async () => {
    await su.collections.create({ name: "locked", type: "base", fields: [{ name: "t", type: "text" }] });
    await expectStatus(ts.client().collection("locked").getList(), 403);
    await expectStatus(ts.client().collection("locked").create({ t: "x" }), 403);
    const draft = await su.collection("posts").create({ title: "hidden draft", content: "x", published: false });
    await expectStatus(ts.client().collection("posts").getOne(draft.id), 404);
    const e = await expectStatus(ts.client().collection("posts").create({ title: "guest", content: "x" }), 400);
    expect(e.message).toBe("Failed to create record.");
    const list = await ts.client().collection("posts").getList(1, 1000, { filter: 'title = "hidden draft"' });
    expect(list.items.length).toBe(0);
    const suList = await su.collection("posts").getList(1, 10, { filter: 'title = "hidden draft"' });
    expect(suList.items.length).toBe(1);
    expect(suList.items[0]!.secret).toBe("");
    expect(list.totalItems).toBe(0);
  });

  test("unknown collections and records", async () => {
    const e = await expectStatus(ts.client().collection("nope").getList(), 404);
    expect(e.message).toBe("Missing collection context.");
    await expectStatus(su.collection("posts").getOne("doesnotexist123"), 404);
    await expectStatus(su.collection("posts").update("doesnotexist123", { title: "x" }), 404);
  });
});

describe("list parameters", () => {
  test("perPage is clamped and echoed, skipTotal gives -1, sort variants", async () => {
    const res = await su.collection("posts").getList(1, 5000);
    expect(res.perPage).toBe(1000);
    const skip = await su.collection("posts").getList(2, 3, { skipTotal: true, sort: "@rowid" });
    expect(skip.totalItems).toBe(-1);
    expect(skip.totalPages).toBe(-1);
    expect(skip.items.length).toBe(3);
    const rnd = await su.collection("posts").getList(1, 5, { sort: "@random" });
    expect(rnd.items.length).toBe(5);
    await expectStatus(su.collection("posts").getList(1, 5, { sort: "a,b,c,d,e,f,g,h,i" }), 400);
    await expectStatus(su.collection("posts").getList(1, 5, { sort: "nope" }), 400);
    const bad = await fetch(`${ts.url}/api/collections/posts/records?page=abc`);
    expect(bad.status).toBe(400);
    const badSkip = await fetch(`${ts.url}/api/collections/posts/records?skipTotal=maybe`);
    expect(badSkip.status).toBe(400);
  });

  test("fields picker with excerpt, on lists and single records", async () => {
    const r = await su.collection("posts").create({ title: "Long", content: "<p>Hello <b>big</b> world of words</p>", published: true, slug: "long" });
    const one = await su.collection("posts").getOne(r.id, { fields: "id,content:excerpt(9,true)" });
    expect(one as unknown).toEqual({ id: r.id, content: "Hello big..." });
    const list = await su.collection("posts").getList(1, 1, { filter: 'slug = "long"', fields: "title" });
    expect(list.items as unknown).toEqual([{ title: "Long" }]);
    expect(list.page).toBe(1);
  });
});

describe("request hooks and enrich", () => {
  test("every action fires its request hook with the built-in behaviour last; onRecordEnrich shapes output", async () => {
    const fired: string[] = [];
    const names = ["recordsListRequest", "recordViewRequest", "recordCreateRequest", "recordUpdateRequest", "recordDeleteRequest"] as const;
    const ids = names.map((n) => ts.app.hooks[n].bind({ func: async (e) => { fired.push(n); await e.next(); } }, ["posts"]));
    const enrichId = ts.app.onRecordEnrich("posts").bindFunc((e) => {
      e.record.withCustomData(true).set("enriched", true);
      e.next();
    });
    try {
      const r = await su.collection("posts").create({ title: "hooked", content: "x", published: true });
      expect(r.enriched).toBe(true);
      await su.collection("posts").getOne(r.id);
      await su.collection("posts").getList(1, 1);
      await su.collection("posts").update(r.id, { title: "hooked 2" });
      await su.collection("posts").delete(r.id);
      expect(fired).toEqual(["recordCreateRequest", "recordViewRequest", "recordsListRequest", "recordUpdateRequest", "recordDeleteRequest"]);
    } finally {
      names.forEach((n, i) => ts.app.hooks[n].unbind(ids[i]!));
      ts.app.hooks.recordEnrich.unbind(enrichId);
    }
  });

  test("create and update request hooks see the body in e.record, and what they set is saved", async () => {
    const seen: string[] = [];
    const createId = ts.app.onRecordCreateRequest("posts").bindFunc(async (e) => {
      seen.push(`create:${e.record!.getString("title")}`);
      e.record!.set("slug", "from-create-hook");
      await e.next();
    });
    const updateId = ts.app.onRecordUpdateRequest("posts").bindFunc(async (e) => {
      seen.push(`update:${e.record!.getString("title")}`);
      e.record!.set("slug", "from-update-hook");
      await e.next();
    });
    try {
      const r = await su.collection("posts").create({ title: "body title", content: "x" });
      expect(r.slug).toBe("from-create-hook");
      const u = await su.collection("posts").update(r.id, { title: "new title" });
      expect(u.slug).toBe("from-update-hook");
      expect(u.title).toBe("new title");
      expect(seen).toEqual(["create:body title", "update:new title"]);
      expect((await su.collection("posts").getOne(r.id)).slug).toBe("from-update-hook");
      // bad input still fails inside the chain, and nothing is written
      await expectStatus(su.collection("posts").create({ title: "", content: "x" }), 400);
      await expectStatus(su.collection("posts").update(r.id, { published: "not a bool" }), 400);
      expect((await su.collection("posts").getOne(r.id)).title).toBe("new title");
    } finally {
      ts.app.hooks.recordCreateRequest.unbind(createId);
      ts.app.hooks.recordUpdateRequest.unbind(updateId);
    }
  });

  test("a request hook can replace the built-in behaviour", async () => {
    const id = ts.app.onRecordViewRequest("posts").bindFunc((e) => {
      e.json(200, { replaced: true });
    });
    try {
      const r = (await su.collection("posts").getList(1, 1)).items[0]!;
      expect(await su.collection("posts").getOne(r.id)).toEqual({ replaced: true } as never);
    } finally {
      ts.app.hooks.recordViewRequest.unbind(id);
    }
  });
});

describe("relation delete behaviour", () => {
  test("cascade delete, set-to-empty, and required references block the delete — all in one transaction", async () => {
    await su.collections.create({ name: "parents", type: "base", listRule: "", viewRule: "", fields: [{ name: "n", type: "text" }] });
    const parents = await su.collections.getOne("parents");
    await su.collections.create({
      name: "kids",
      type: "base",
      fields: [
        { name: "cascade", type: "relation", collectionId: parents.id, maxSelect: 1, cascadeDelete: true },
        { name: "loose", type: "relation", collectionId: parents.id, maxSelect: 5 },
      ],
    });
    await su.collections.create({ name: "strict", type: "base", fields: [{ name: "p", type: "relation", collectionId: parents.id, maxSelect: 1, required: true }] });
    const p1 = await su.collection("parents").create({ n: "p1" });
    const p2 = await su.collection("parents").create({ n: "p2" });
    const k1 = await su.collection("kids").create({ cascade: p1.id });
    const k2 = await su.collection("kids").create({ loose: [p1.id, p2.id] });
    await su.collection("parents").delete(p1.id);
    await expectStatus(su.collection("kids").getOne(k1.id), 404);
    expect((await su.collection("kids").getOne(k2.id)).loose).toEqual([p2.id]);

    const s = await su.collection("strict").create({ p: p2.id });
    const k3 = await su.collection("kids").create({ loose: [p2.id] });
    const err = await expectStatus(su.collection("parents").delete(p2.id), 400);
    expect(err.message).toContain("required relation reference");
    // nothing changed: the parent, the strict child and k3's reference are all still there
    expect((await su.collection("parents").getOne(p2.id)).n).toBe("p2");
    expect((await su.collection("strict").getOne(s.id)).p).toBe(p2.id);
    expect((await su.collection("kids").getOne(k3.id)).loose).toEqual([p2.id]);
  });
});

describe("concurrency", () => {
  test("200 parallel creates and updates all land, and nothing deadlocks", async () => {
    await su.collections.create({ name: "counters", type: "base", listRule: "", createRule: "", updateRule: "", fields: [{ name: "n", type: "number" }, { name: "label", type: "text" }] });
    const creates = await Promise.allSettled(Array.from({ length: 200 }, (_, i) => ts.client().collection("counters").create({ n: i, label: `c${i}` })));
    const ok = creates.filter((r) => r.status === "fulfilled") as PromiseFulfilledResult<{ id: string }>[];
    expect(ok.length).toBe(200);
    const updates = await Promise.allSettled(ok.map((r) => ts.client().collection("counters").update(r.value.id, { "n+": 1000 })));
    expect(updates.every((u) => u.status === "fulfilled")).toBe(true);
    const all = await su.collection("counters").getFullList();
    expect(all.length).toBe(200);
    expect(all.every((r) => r.n >= 1000)).toBe(true);
  });
});
