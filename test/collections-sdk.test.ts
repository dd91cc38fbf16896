import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import type PocketBase from "pocketbase";
import { ClientResponseError } from "pocketbase";
import { startTestServer, type TestServer } from "./helpers/test-server.ts";

let ts: TestServer;
let pb: PocketBase;

beforeAll(async () => {
  ts = await startTestServer();
  pb = await ts.superuser();
});
afterAll(async () => {
  await ts.stop();
});

/** The seed's `posts` collection in its old ("schema") form, exactly as the seed writes it. */
const SEED_POSTS_OLD = {
  name: "posts",
  type: "base",
  schema: [
    { name: "title", type: "text", required: true },
    { name: "content", type: "editor", required: true },
    { name: "slug", type: "text", unique: true },
    { name: "tags", type: "select", options: { values: ["tech", "tutorial", "news"], maxSelect: 5 } },
    { name: "author", type: "relation", options: { collectionId: "users", maxSelect: 1 } },
    { name: "cover", type: "file", options: { maxSelect: 1, maxSize: 5242880, mimeTypes: ["image/jpeg", "image/png", "image/webp"] } },
    { name: "published", type: "bool", default: false },
    { name: "views", type: "number", default: 0 },
  ],
};

async function expectApiError(p: Promise<unknown>, status: number): Promise<ClientResponseError> {
  try {
    await p;
  } catch (err) {
    expect(err).toBeInstanceOf(ClientResponseError);
    const e = err as ClientResponseError;
    expect(e.status).toBe(status);
    return e;
  }
  throw new Error(`expected a ${status} error`);
}

describe("superuser auth", () => {
  test("login returns a token and the record, refresh returns a new valid token", async () => {
    const client = ts.client();
    const auth = await client.collection("_superusers").authWithPassword("test@example.com", "1234567890");
    expect(auth.token.split(".")).toHaveLength(3);
    expect(auth.record.email).toBe("test@example.com");
    expect(client.authStore.isValid).toBe(true);
    expect(client.authStore.isSuperuser).toBe(true);
    const refreshed = await client.collection("_superusers").authRefresh();
    expect(refreshed.record.id).toBe(auth.record.id);
    expect(client.authStore.isValid).toBe(true);
  });

  test("wrong password is a 400 that reveals nothing", async () => {
    const a = await expectApiError(ts.client().collection("_superusers").authWithPassword("test@example.com", "wrong-password"), 400);
    const b = await expectApiError(ts.client().collection("_superusers").authWithPassword("nobody@example.com", "wrong-password"), 400);
    expect(a.response).toEqual(b.response);
  });

  test("guests and forged tokens get 401 on superuser-only routes", async () => {
    await expectApiError(ts.client().collections.getFullList(), 401);
    const forged = ts.client();
    forged.authStore.save(pb.authStore.token.slice(0, -3) + "abc", null);
    await expectApiError(forged.collections.getFullList(), 401);
    const bearer = await fetch(`${ts.url}/api/collections`, { headers: { Authorization: `bEaReR ${pb.authStore.token}` } });
    expect(bearer.status).toBe(200);
  });
});

describe("collections", () => {
  test("the seed's posts collection in the old schema form is created, converted and usable", async () => {
    const c = await pb.collections.create(SEED_POSTS_OLD);
    const names = c.fields.map((f: { name: string }) => f.name);
    expect(names).toEqual(["id", "title", "content", "slug", "tags", "author", "cover", "published", "views", "created", "updated"]);
    const author = c.fields.find((f: { name: string }) => f.name === "author")!;
    expect(author.collectionId).toBe("_pb_users_auth_");
    expect(author.maxSelect).toBe(1);
    expect(c.indexes.some((ix: string) => /UNIQUE INDEX .* \(`slug`\)/.test(ix))).toBe(true);

    const rec = await pb.collection("posts").create({ title: "Hello", content: "<p>World</p>", slug: "hello-world", tags: ["tech"], published: true });
    expect(rec.views).toBe(0);
    expect(rec.tags).toEqual(["tech"]);
    expect(rec.created).toMatch(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}\.\d{3}Z$/);
    const updated = await pb.collection("posts").update(rec.id, { views: rec.views + 1 });
    expect(updated.views).toBe(1);
    const dup = await expectApiError(pb.collection("posts").create({ title: "x", content: "y", slug: "hello-world" }), 400);
    expect(dup.response.data.slug.code).toBe("validation_not_unique");
    await pb.collection("posts").delete(rec.id);
    await expectApiError(pb.collection("posts").getOne(rec.id), 404);
  });

  test("a collection in the modern fields form: create, update (rename + add field), delete", async () => {
    const c = await pb.collections.create({
      name: "notes",
      type: "base",
      fields: [
        { name: "title", type: "text", required: true, max: 100 },
        { name: "done", type: "bool" },
      ],
      listRule: "",
      viewRule: "",
    });
    expect(c.id).toMatch(/^pbc_\d+$/);
    await pb.collection("notes").create({ title: "keep me" });
    const titleField = c.fields.find((f: { name: string }) => f.name === "title")!;
    const renamed = await pb.collections.update("notes", {
      fields: [...c.fields.map((f: { name: string }) => (f.name === "title" ? { ...f, name: "heading" } : f)), { name: "priority", type: "number" }],
    });
    expect(renamed.fields.find((f: { id: string }) => f.id === titleField.id)!.name).toBe("heading");
    const list = await ts.client().collection("notes").getFullList();
    expect(list[0]!.heading).toBe("keep me");
    expect(list[0]!.priority).toBe(0);
    await pb.collections.delete("notes");
    await expectApiError(pb.collections.getOne("notes"), 404);
  });

  test("an auth collection gets its system fields and indexes and its users can log in", async () => {
    const c = await pb.collections.create({ name: "members", type: "auth", fields: [{ name: "nick", type: "text" }], createRule: "", viewRule: "id = @request.auth.id" });
    const names = c.fields.map((f: { name: string }) => f.name);
    for (const n of ["id", "password", "tokenKey", "email", "emailVisibility", "verified", "nick"]) expect(names).toContain(n);
    expect(c.authToken).toEqual({ duration: 432000 });
    expect(JSON.stringify(c)).not.toContain("secret");
    const client = ts.client();
    await client.collection("members").create({ email: "m@example.com", password: "12345678", passwordConfirm: "12345678", nick: "m" });
    const auth = await client.collection("members").authWithPassword("m@example.com", "12345678");
    expect(auth.record.nick).toBe("m");
    expect(auth.record.password).toBeUndefined();
    expect(auth.record.tokenKey).toBeUndefined();
  });

  test("a view collection infers its fields and serves rows", async () => {
    await pb.collections.create({ name: "scores", type: "base", fields: [{ name: "player", type: "text" }, { name: "points", type: "number" }] });
    await pb.collection("scores").create({ player: "a", points: 3 });
    await pb.collection("scores").create({ player: "a", points: 4 });
    await pb.collection("scores").create({ player: "b", points: 1 });
    const v = await pb.collections.create({
      name: "totals",
      type: "view",
      viewQuery: "SELECT (ROW_NUMBER() OVER()) as id, player, SUM(points) as total, count(*) as games FROM scores GROUP BY player",
    });
    const byName = Object.fromEntries(v.fields.map((f: { name: string; type: string }) => [f.name, f.type]));
    expect(byName).toEqual({ id: "text", player: "text", total: "json", games: "number" });
    const rows = await pb.collection("totals").getFullList({ sort: "player" });
    expect(rows.map((r) => [r.player, r.total, r.games])).toEqual([["a", 7, 2], ["b", 1, 1]]);
    const err = await expectApiError(pb.collection("totals").create({ player: "x" }), 400);
    expect(err.message).toBe("Unsupported collection type.");
  });

  test("import with and without deleteMissing", async () => {
    await pb.collections.create({ name: "imp_a", type: "base", fields: [{ name: "a1", type: "text" }, { name: "a2", type: "text" }] });
    await pb.collections.create({ name: "imp_gone", type: "base", fields: [{ name: "g", type: "text" }] });
    const a = await pb.collections.getOne("imp_a");
    const onlyA1 = { ...a, fields: a.fields.filter((f: { name: string }) => f.name !== "a2") };
    const newB = { name: "imp_b", type: "base", fields: [{ name: "ref", type: "relation", collectionId: a.id, maxSelect: 1 }] };
    await pb.collections.import([onlyA1, newB as never], false);
    let all = (await pb.collections.getFullList()).map((c) => c.name);
    expect(all).toContain("imp_gone");
    expect(all).toContain("imp_b");
    expect((await pb.collections.getOne("imp_a")).fields.map((f: { name: string }) => f.name)).toContain("a2");

    const keep = (await pb.collections.getFullList()).filter((c) => c.name !== "imp_gone").map((c) => (c.name === "imp_a" ? { ...c, fields: c.fields.filter((f: { name: string }) => f.name !== "a2") } : c));
    await pb.collections.import(keep, true);
    all = (await pb.collections.getFullList()).map((c) => c.name);
    expect(all).not.toContain("imp_gone");
    expect(all).toContain("_superusers");
    expect((await pb.collections.getOne("imp_a")).fields.map((f: { name: string }) => f.name)).not.toContain("a2");

    const bad = await expectApiError(pb.collections.import([{ name: "bad name!", type: "base" } as never], false), 400);
    expect(bad.response.data.collections.code).toBe("validation_collections_import_failure");
  });

  test("list collections with filter and sort; scaffolds", async () => {
    const res = await pb.collections.getList(1, 50, { filter: "system = true", sort: "-name" });
    const names = res.items.map((c) => c.name);
    expect(names).toEqual([...names].sort().reverse());
    expect(names).toContain("_superusers");
    expect(names).not.toContain("users");
    const scaffolds = await pb.collections.getScaffolds();
    expect(Object.keys(scaffolds).sort()).toEqual(["auth", "base", "view"]);
  });
});

describe("bad collection input is refused with field codes and changes nothing", () => {
  async function snapshot() {
    return JSON.stringify(await pb.collections.getFullList({ sort: "name" }));
  }

  test("duplicate name, bad field option, bad view query, invalid index, renamed system field", async () => {
    await pb.collections.create({ name: "stable", type: "base", fields: [{ name: "t", type: "text" }] });
    await pb.collection("stable").create({ t: "data" });
    const before = await snapshot();

    const dup = await expectApiError(pb.collections.create({ name: "STABLE", type: "base" }), 400);
    expect(dup.response.data.name.code).toBe("validation_collection_name_exists");

    const badOpt = await expectApiError(pb.collections.create({ name: "bad_opt", type: "base", fields: [{ name: "s", type: "select", values: [] }] }), 400);
    expect(badOpt.response.data.fields["1"].values.code).toBeString();

    const badView = await expectApiError(pb.collections.create({ name: "bad_view", type: "view", viewQuery: "SELECT title FROM nowhere" }), 400);
    expect(badView.response.data.viewQuery.code).toBe("validation_invalid_view_query");
    const starView = await expectApiError(pb.collections.create({ name: "bad_view2", type: "view", viewQuery: "SELECT * FROM stable" }), 400);
    expect(starView.response.data.viewQuery.code).toBe("validation_invalid_view_query");

    const badIndex = await expectApiError(pb.collections.update("stable", { indexes: ["CREATE INDEX idx_x ON stable (nope_column)"] }), 400);
    expect(badIndex.response.data.indexes["0"].code).toBe("validation_invalid_index_expression");
    const garbageIndex = await expectApiError(pb.collections.update("stable", { indexes: ["DROP TABLE stable"] }), 400);
    expect(garbageIndex.response.data.indexes["0"].code).toBe("validation_invalid_index_expression");

    const users = await pb.collections.getOne("users");
    const renamed = users.fields.map((f: { name: string }) => (f.name === "email" ? { ...f, name: "mail" } : f));
    const sys = await expectApiError(pb.collections.update("users", { fields: renamed }), 400);
    expect(JSON.stringify(sys.response.data)).toContain("validation_system_field_change");

    const badRule = await expectApiError(pb.collections.update("stable", { listRule: "t = " }), 400);
    expect(badRule.response.data.listRule.code).toBe("validation_invalid_rule");
    const badType = await expectApiError(pb.collections.update("stable", { type: "auth" }), 400);
    expect(badType.response.data.type.code).toBe("validation_collection_type_change");

    expect(await snapshot()).toBe(before);
    expect((await pb.collection("stable").getFullList())[0]!.t).toBe("data");
    expect(ts.app.db().hasTable("bad_opt")).toBe(false);
    expect(ts.app.db().hasTable("bad_view")).toBe(false);
  });

  test("system collections cannot be deleted; referenced collections cannot be deleted", async () => {
    await expectApiError(pb.collections.delete("_superusers"), 400);
    const ref = await expectApiError(pb.collections.delete("users"), 400);
    expect(ref.message).toContain("posts");
  });
});

describe("settings", () => {
  test("read, update with masking and validation", async () => {
    const s = await pb.settings.getAll();
    expect(s.meta.appName).toBe("Acme");
    expect(s.smtp.password).toBeUndefined();
    const next = await pb.settings.update({ meta: { appName: "Satchel Test" }, smtp: { password: "secret-pass" } });
    expect(next.meta.appName).toBe("Satchel Test");
    expect(next.smtp.password).toBeUndefined();
    expect(ts.app.settings().smtp.password).toBe("secret-pass");
    const bad = await expectApiError(pb.settings.update({ meta: { appURL: "not a url" } }), 400);
    expect(bad.response.data.meta.appURL.code).toBeString();
    expect((await pb.settings.getAll()).meta.appURL).toBe("http://localhost:8090");
    await expectApiError(ts.client().settings.getAll(), 401);
  });
});

describe("http edge", () => {
  test("health, unknown routes, security headers, CORS preflight", async () => {
    const h = await fetch(`${ts.url}/api/health`);
    expect(await h.json()).toEqual({ message: "API is healthy.", code: 200, data: {} });
    expect(h.headers.get("x-content-type-options")).toBe("nosniff");
    expect(h.headers.get("x-frame-options")).toBe("SAMEORIGIN");
    const nf = await fetch(`${ts.url}/api/nope`);
    expect(nf.status).toBe(404);
    expect(await nf.json()).toEqual({ status: 404, message: "The requested resource wasn't found.", data: {} });
    const pre = await fetch(`${ts.url}/api/health`, { method: "OPTIONS", headers: { Origin: "http://example.com", "Access-Control-Request-Method": "POST", "Access-Control-Request-Headers": "authorization" } });
    expect(pre.status).toBe(204);
    expect(pre.headers.get("access-control-allow-origin")).toBe("*");
    expect(pre.headers.get("access-control-allow-headers")).toBe("authorization");
  });

  test("malformed and oversized bodies get clean 4xx", async () => {
    const auth = { Authorization: pb.authStore.token };
    const bad = await fetch(`${ts.url}/api/collections`, { method: "POST", headers: { ...auth, "content-type": "application/json" }, body: "{not json" });
    expect(bad.status).toBe(400);
    expect((await bad.json()).message).toBe("Failed to read the submitted data.");
    const big = await fetch(`${ts.url}/api/collections`, { method: "POST", headers: { ...auth, "content-type": "application/json" }, body: JSON.stringify({ name: "x".repeat(33 << 20) }) });
    expect(big.status).toBe(413);
    const weird = await fetch(`${ts.url}/api/collections`, { method: "POST", headers: { ...auth, "content-type": "text/csv" }, body: "a,b" });
    expect(weird.status).toBe(400);
  });
});
