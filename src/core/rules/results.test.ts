import { describe, expect, test } from "bun:test";
import type { CollectionConfig } from "../collections/collection-types.ts";
import { compileFilter } from "./compile-filter.ts";
import type { RequestInfo } from "./request-info.ts";
import { createSchemaLookup, type SchemaLookup } from "./schema.ts";
import { authRequest, TEST_NOW, testCollection, testCollections, testDatabase, testSchema } from "./test-fixtures.ts";

const db = testDatabase();
const schema = testSchema();

/** The ids of `coll` rows matching `expr`, sorted. */
function ids(expr: string, opts: { request?: RequestInfo | null; coll?: string; client?: boolean; schema?: SchemaLookup } = {}): string[] {
  const s = opts.schema ?? schema;
  const collection = s.findCollection(opts.coll ?? "posts")!;
  const out = compileFilter(expr, { schema: s, collection, request: opts.request ?? null, allowHiddenFields: !opts.client, client: opts.client ?? false, now: TEST_NOW });
  const sql = `SELECT DISTINCT "${collection.name}"."id" AS id FROM "${collection.name}" ${out.joins.join(" ")} WHERE ${out.where}`;
  return (db.query(sql).all(...out.params) as { id: string }[]).map((r) => r.id).sort();
}

describe("results on real data", () => {
  test("plain comparisons and flat precedence", () => {
    expect(ids(`status = "active" || status = "pending"`)).toEqual(["p1", "p2", "p4"]);
    expect(ids(`status = "active" && views > 8 || status = "draft"`)).toEqual(["p1", "p3"]);
    expect(ids(`status = "active" && (views > 8 || status = "draft")`)).toEqual(["p1"]);
    expect(ids(`views >= 5 && views <= 7`)).toEqual(["p2", "p4"]);
  });
  test("null-safe equality", () => {
    expect(ids(`author = null`)).toEqual(["p3"]);
    expect(ids(`author = ""`)).toEqual(["p3"]);
    expect(ids(`author != ""`)).toEqual(["p1", "p2", "p4"]);
    expect(ids(`meta = null`)).toEqual(["p3"]);
    expect(ids(`meta != null`)).toEqual(["p1", "p2", "p4"]);
    expect(ids(`group = ""`)).toEqual(["p3"]);
  });
  test("LIKE: contains, escaping, verbatim %, column pattern", () => {
    expect(ids(`title ~ "a_b"`)).toEqual(["p2"]);
    expect(ids(`title !~ "a_b"`)).toEqual(["p1", "p3", "p4"]);
    expect(ids(`title ~ "100%"`)).toEqual(["p3"]);
    expect(ids(`title ~ "%sure"`)).toEqual(["p3"]);
    expect(ids(`title ~ "HELLO"`)).toEqual(["p1"]);
    expect(ids(`title ~ "0%"`)).toEqual([]);
    expect(ids(`title ~ status`)).toEqual([]);
    expect(ids(`"Hello world!" ~ title`)).toEqual(["p1"]);
  });
  test("single relation", () => {
    expect(ids(`author.name = "John"`)).toEqual(["p1"]);
    expect(ids(`author.name != "John"`)).toEqual(["p2", "p3", "p4"]);
    expect(ids(`author.team.name = "news"`)).toEqual(["p4"]);
  });
  test("multiple relation: any vs all", () => {
    expect(ids(`categories.name ?= "news"`)).toEqual(["p1", "p2"]);
    expect(ids(`categories.name = "news"`)).toEqual(["p1"]);
    expect(ids(`categories.name != "news"`)).toEqual(["p3", "p4"]);
    expect(ids(`categories.name ?!= "news"`)).toEqual(["p2", "p3", "p4"]);
    expect(ids(`categories.id ?= "c2"`)).toEqual(["p2", "p4"]);
    expect(ids(`categories.name ~ "e"`)).toEqual(["p1", "p2", "p4"]);
  });
  test("multiple select: raw text, :each, :length", () => {
    expect(ids(`tags = "a"`)).toEqual([]);
    expect(ids(`tags ?= "a"`)).toEqual([]);
    expect(ids(`tags ~ "featured"`)).toEqual(["p1", "p4"]);
    expect(ids(`tags:each ?= "featured"`)).toEqual(["p1", "p4"]);
    expect(ids(`tags:each = "featured"`)).toEqual(["p4"]);
    expect(ids(`tags:each = "a"`)).toEqual(["p2"]);
    expect(ids(`tags:each != "a"`)).toEqual(["p3", "p4"]);
    expect(ids(`tags:length > 1`)).toEqual(["p1"]);
    expect(ids(`tags:length = 0`)).toEqual(["p3"]);
    expect(ids(`categories:length = 2`)).toEqual(["p1", "p2"]);
    expect(ids(`tags = '["a"]'`)).toEqual(["p2"]);
  });
  test("back-relations", () => {
    expect(ids(`comments_via_post.user ?= "u2"`)).toEqual(["p1", "p2"]);
    expect(ids(`comments_via_post.message ?~ "hi"`)).toEqual(["p1", "p2"]);
    expect(ids(`comments_via_post.message ~ "h"`)).toEqual(["p1", "p2"]);
    expect(ids(`comments_via_post.message ~ "hi"`)).toEqual(["p2"]);
    expect(ids(`comments_via_post.user.name ?= "John"`)).toEqual(["p1"]);
    expect(ids(`profiles_via_user.bio = "hey"`, { coll: "users" })).toEqual(["u1"]);
    expect(ids(`posts_via_author.categories.name ?= "tech"`, { coll: "users" })).toEqual(["u2", "u3"]);
  });
  test("@collection joins (example 13)", () => {
    const e = `@collection.memberships.user ?= @request.auth.id && @collection.memberships.group ?= group`;
    expect(ids(e, { request: authRequest("u1") })).toEqual(["p1", "p4"]);
    expect(ids(e, { request: authRequest("u2") })).toEqual(["p2"]);
    expect(ids(e, { request: authRequest("u3") })).toEqual([]);
    // the same alias = the same membership row; a second alias is independent
    expect(ids(`@collection.memberships.user ?= "u1" && @collection.memberships.group ?= "g2"`)).toEqual([]);
    expect(ids(`@collection.memberships.user ?= "u1" && @collection.memberships:x.group ?= "g2"`)).toEqual(["p1", "p2", "p3", "p4"]);
    // plain operator: every row of the collection
    expect(ids(`@collection.memberships.group = group`)).toEqual([]);
    expect(ids(`@collection.memberships.group ~ "g"`)).toEqual(["p1", "p2", "p3", "p4"]);
  });
  test("@request.auth (static and joined), guests", () => {
    expect(ids(`author = @request.auth.id`, { request: authRequest("u1") })).toEqual(["p1"]);
    expect(ids(`author = @request.auth.id`, { request: authRequest(null) })).toEqual(["p3"]);
    expect(ids(`@request.auth.id != "" && author = @request.auth.id`, { request: authRequest(null) })).toEqual([]);
    expect(ids(`@request.auth.role = "admin"`, { request: authRequest("u1") })).toEqual(["p1", "p2", "p3", "p4"]);
    expect(ids(`@request.auth.role = "admin"`, { request: authRequest("u2") })).toEqual([]);
    expect(ids(`@request.auth.team.name = "tech" && status = "active"`, { request: authRequest("u1") })).toEqual(["p1", "p4"]);
    expect(ids(`@request.auth.secret = "s2"`, { request: authRequest("u2") })).toHaveLength(4);
    expect(ids(`@request.auth.verified = true`, { request: authRequest("u2") })).toEqual([]);
    expect(ids(`@request.auth.verified = false`, { request: authRequest("u2") })).toHaveLength(4);
    expect(ids(`@request.auth.collectionName = "users"`, { request: authRequest("u3") })).toHaveLength(4);
  });
  test("@request.body: :isset, :changed, :length, :each, relations, numbers", () => {
    const body = (b: Record<string, unknown>) => ({ request: authRequest("u1", { body: b }) });
    expect(ids(`@request.body.status:isset = false`, body({}))).toHaveLength(4);
    expect(ids(`@request.body.status:isset = false`, body({ status: "" }))).toEqual([]);
    expect(ids(`@request.body.status:changed = false`, body({ status: "active" }))).toEqual(["p1", "p4"]);
    expect(ids(`@request.body.status:changed = true`, body({ status: "active" }))).toEqual(["p2", "p3"]);
    expect(ids(`@request.body.status:changed = false`, body({}))).toHaveLength(4);
    expect(ids(`@request.body.tags:length > 1`, body({ tags: ["a", "b"] }))).toHaveLength(4);
    expect(ids(`@request.body.tags:each ?= "b"`, body({ tags: ["a", "b"] }))).toHaveLength(4);
    expect(ids(`@request.body.tags:each = "b"`, body({ tags: ["a", "b"] }))).toEqual([]);
    expect(ids(`@request.body.tags:each ?= tags:each`, body({ tags: ["featured"] }))).toEqual(["p1", "p4"]);
    expect(ids(`@request.body.author.role = "admin"`, body({ author: "u1" }))).toHaveLength(4);
    expect(ids(`@request.body.categories.name = "news"`, body({ categories: ["c1", "c3"] }))).toHaveLength(4);
    expect(ids(`@request.body.categories.name = "news"`, body({ categories: ["c1", "c2"] }))).toEqual([]);
    expect(ids(`@request.body.categories.name ?= "tech"`, body({ categories: ["c1", "c2"] }))).toHaveLength(4);
    expect(ids(`views < @request.body.views`, body({ views: "6" }))).toEqual(["p2", "p3"]);
  });
  test("JSON paths, geoDistance, strftime, macros", () => {
    expect(ids(`meta.tier = "gold"`)).toEqual(["p1", "p4"]);
    expect(ids(`meta.tier != "gold"`)).toEqual(["p2", "p3"]);
    expect(ids(`meta.items.0.x = 1`)).toEqual(["p4"]);
    expect(ids(`location.lat > 40`)).toEqual(["p1", "p4"]);
    expect(ids(`geoDistance(location.lon, location.lat, 23.32, 42.69) < 25`)).toEqual(["p1", "p4"]);
    expect(ids(`geoDistance(location.lon, location.lat, 23.32, 42.69) < 1`)).toEqual(["p1"]);
    expect(ids(`strftime('%Y-%m', created) = "2026-01"`)).toEqual(["p1", "p3", "p4"]);
    expect(ids(`strftime('%Y', created) = "2025"`)).toEqual(["p2"]);
    expect(ids(`created >= @todayStart && created <= @todayEnd`)).toEqual(["p3", "p4"]);
    expect(ids(`created > @now`)).toEqual(["p4"]);
    expect(ids(`created < @yearStart`)).toEqual(["p2"]);
  });
  test("injection-shaped values are bound, not executed", () => {
    expect(ids(`title = "x' OR 1=1 --"`)).toEqual([]);
    expect(ids(`title = 'x\\' OR \\'1\\'=\\'1'`)).toEqual([]);
    expect(ids(`title = "Robert'); DROP TABLE posts;--"`)).toEqual([]);
    expect(ids(`title = @request.body.t`, { request: authRequest(null, { body: { t: `" OR 1=1 --` } }) })).toEqual([]);
    expect(db.query(`SELECT COUNT(*) AS n FROM posts`).get()).toEqual({ n: 4 });
  });
  test("client mode: joined listRule constrains joined rows; email visibility", () => {
    const cols: CollectionConfig[] = testCollections().map((c) =>
      c.name === "categories" ? { ...c, listRule: `name != "tech"` } : c.name === "users" ? { ...c, listRule: `@request.auth.id != ""` } : c,
    );
    const s = createSchemaLookup(cols);
    expect(ids(`categories.name ?= "tech"`, { schema: s })).toEqual(["p2", "p4"]);
    expect(ids(`categories.name ?= "tech"`, { schema: s, client: true })).toEqual([]);
    expect(ids(`categories.name ?= "news"`, { schema: s, client: true })).toEqual(["p1", "p2"]);
    expect(ids(`author.name = "John"`, { schema: s, client: true, request: authRequest(null) })).toEqual([]);
    expect(ids(`author.name = "John"`, { schema: s, client: true, request: authRequest("u2") })).toEqual(["p1"]);
    expect(ids(`email = "john@example.com"`, { coll: "users", client: true })).toEqual(["u1"]);
    expect(ids(`email = "jane@example.com"`, { coll: "users", client: true })).toEqual([]);
    expect(ids(`email = "jane@example.com"`, { coll: "users" })).toEqual(["u2"]);
  });
});

test("every test collection compiles a trivial filter", () => {
  for (const c of testCollections()) expect(() => compileFilter(`id != ""`, { schema, collection: testCollection(c.name), allowHiddenFields: true, client: false })).not.toThrow();
});
