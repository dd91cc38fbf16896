import { describe, expect, test } from "bun:test";
import { ApiError } from "../api-error.ts";
import { buildListQuery, normalizePaging, type ListQueryOptions } from "./list-query.ts";
import { compileSort } from "./sort.ts";
import { authRequest, TEST_NOW, testCollection, testDatabase, testSchema } from "./test-fixtures.ts";

const db = testDatabase();
const schema = testSchema();

function run(opts: Partial<ListQueryOptions>, coll = "posts"): { ids: string[]; total: number | null; sql: string; countSql: string | null } {
  const q = buildListQuery({ schema, collection: testCollection(coll), now: TEST_NOW, ...opts });
  const rows = db.query(q.selectSql).all(...q.selectParams) as { id: string }[];
  const total = q.countSql ? (Object.values(db.query(q.countSql).get(...q.countParams) as object)[0] as number) : null;
  return { ids: rows.map((r) => r.id), total, sql: q.selectSql, countSql: q.countSql };
}

function apiError(fn: () => unknown): ApiError {
  try {
    fn();
  } catch (e) {
    if (e instanceof ApiError) return e;
    throw e;
  }
  throw new Error("expected an ApiError");
}

describe("buildListQuery", () => {
  test("no filter, no sort: natural order, plain COUNT(*)", () => {
    const q = buildListQuery({ schema, collection: testCollection("posts") });
    expect(q.selectSql).toBe(`SELECT "posts".* FROM "posts" LIMIT 30 OFFSET 0`);
    expect(q.countSql).toBe(`SELECT COUNT(*) FROM "posts"`);
    expect(q.selectParams).toEqual([]);
  });
  test("filter + rule + sort; fan-out conditions become one EXISTS, no DISTINCT, COUNT(*)", () => {
    // equivalence with the joined form on random data: semi-join.test.ts
    const q = buildListQuery({
      schema,
      collection: testCollection("posts"),
      filter: `categories.name ?= "news"`,
      rules: [`status != "draft"`],
      sort: `-created`,
      now: TEST_NOW,
    });
    expect(q.selectSql).toStartWith(`SELECT "posts".* FROM "posts" WHERE ("posts"."status" IS NOT ?1) AND EXISTS (SELECT 1 FROM (SELECT 1) LEFT JOIN json_each(`);
    expect(q.selectSql).toEndWith(`WHERE "posts_categories"."name" = ?2) ORDER BY "posts"."created" DESC LIMIT 30 OFFSET 0`);
    expect(q.countSql).toStartWith(`SELECT COUNT(*) FROM "posts" WHERE ("posts"."status" IS NOT ?1) AND EXISTS (`);
    expect(q.selectParams).toEqual(["draft", "news"]);
    expect(q.countParams).toEqual(["draft", "news"]);
  });
  test("a sort through a fan-out join keeps the joined form: DISTINCT and COUNT(DISTINCT rowid)", () => {
    const q = buildListQuery({ schema, collection: testCollection("posts"), filter: `categories.name ?= "news"`, rules: [`status != "draft"`], sort: `categories.name` });
    expect(q.selectSql).toStartWith(`SELECT DISTINCT "posts".* FROM "posts" LEFT JOIN json_each(`);
    expect(q.selectSql).toEndWith(`WHERE ("posts"."status" IS NOT ?1) AND ("posts_categories"."name" = ?2) ORDER BY "posts_categories"."name" ASC LIMIT 30 OFFSET 0`);
    expect(q.countSql).toStartWith(`SELECT COUNT(DISTINCT "posts".rowid) FROM "posts" LEFT JOIN`);
  });
  test("a back-relation or @collection condition keeps the joined form (SQLite may start from that table)", () => {
    for (const filter of [`comments_via_post.user ?= "u2" && categories.name ?= "news"`, `@collection.memberships.group ?= group`]) {
      const q = buildListQuery({ schema, collection: testCollection("posts"), filter });
      expect(q.selectSql).toStartWith(`SELECT DISTINCT "posts".* FROM "posts" LEFT JOIN`);
      expect(q.selectSql).not.toContain("EXISTS");
    }
  });
  test("results, totals and paging", () => {
    expect(run({ filter: `categories.name ?= "news"`, sort: "-created" })).toMatchObject({ ids: ["p1", "p2"], total: 2 });
    expect(run({ sort: "-views" })).toMatchObject({ ids: ["p1", "p4", "p2", "p3"], total: 4 });
    expect(run({ sort: "-views", page: 2, perPage: 3 })).toMatchObject({ ids: ["p3"], total: 4 });
    expect(run({ sort: "status,-title" }).ids).toEqual(["p4", "p1", "p3", "p2"]);
    expect(run({ sort: "-views", skipTotal: true })).toMatchObject({ total: null, countSql: null });
    expect(run({ filter: "", rules: [""], sort: "" }).ids).toHaveLength(4);
  });
  test("a non-fan-out join keeps COUNT(*)", () => {
    expect(run({ filter: `author.name = "John"` })).toMatchObject({ ids: ["p1"], total: 1, countSql: expect.stringContaining("SELECT COUNT(*)") });
  });
  test("sort-only joins are not in the COUNT and their params are not passed to it", () => {
    const q = buildListQuery({ schema, collection: testCollection("posts"), filter: `title != "x"`, sort: "author.name,-categories.name", rules: [] });
    expect(q.countSql).toBe(`SELECT COUNT(*) FROM "posts" WHERE ("posts"."title" IS NOT ?1)`);
    expect(q.selectSql).toContain(`ORDER BY "posts_author"."name" ASC, "posts_categories"."name" DESC`);
    expect(db.query(q.selectSql).all(...q.selectParams)).toHaveLength(4);
  });
  test("the listRule with @request.auth (rules are never client-mode)", () => {
    const rules = [`@request.auth.id != "" && author = @request.auth.id`];
    expect(run({ rules, request: authRequest("u1"), clientFilter: true }).ids).toEqual(["p1"]);
    expect(run({ rules, request: authRequest(null), clientFilter: true }).ids).toEqual([]);
  });
  test("client filter: 403 for @request/@collection in filter or sort, 400 for hidden fields", () => {
    expect(apiError(() => run({ filter: `title = @request.auth.id`, clientFilter: true })).status).toBe(403);
    expect(apiError(() => run({ sort: `@collection.x.y`, clientFilter: true })).status).toBe(403);
    expect(apiError(() => run({ filter: `secret = ""`, clientFilter: true }, "users")).status).toBe(400);
    expect(apiError(() => run({ sort: `secret`, clientFilter: true }, "users")).status).toBe(400);
    expect(run({ filter: `secret = "s1"` }, "users").ids).toEqual(["u1"]);
  });
  test("paging normalisation", () => {
    expect(normalizePaging(0, 0)).toEqual({ page: 1, perPage: 30 });
    expect(normalizePaging(-3, 5000)).toEqual({ page: 1, perPage: 1000 });
    expect(normalizePaging(3, 10)).toEqual({ page: 3, perPage: 10 });
    expect(buildListQuery({ schema, collection: testCollection("posts"), page: 3, perPage: 10 }).selectSql).toEndWith("LIMIT 10 OFFSET 20");
  });
  test("view collections count DISTINCT id", () => {
    const view = { ...testCollection("posts"), type: "view" as const };
    const q = buildListQuery({ schema, collection: view, filter: `tags:each ?= "a"` });
    expect(q.countSql).toStartWith(`SELECT COUNT(DISTINCT "posts"."id") FROM "posts"`);
  });
  test("errors: invalid filter → 400 with a clean message", () => {
    const e = apiError(() => run({ filter: `title = ` }));
    expect(e.status).toBe(400);
    expect(e.message).toBe("Invalid filter parameters.");
    expect(e.cause).toBeInstanceOf(Error);
    expect(apiError(() => run({ rules: [`nope = 1`] })).message).toBe("Invalid rule.");
  });
});

describe("compileSort", () => {
  const sort = (s: string) => compileSort(s, { schema, collection: testCollection("posts"), allowHiddenFields: true, client: false });
  test("directions, specials, :lower, JSON paths", () => {
    expect(sort(`-created,+title, status`).orderBy).toBe(`"posts"."created" DESC, "posts"."title" ASC, "posts"."status" ASC`);
    expect(sort(`@random,-@rowid`).orderBy).toBe(`RANDOM() ASC, "posts"._rowid_ DESC`);
    expect(sort(`title:lower`).orderBy).toBe(`LOWER("posts"."title") ASC`);
    expect(sort(`-meta.tier`).orderBy).toBe(
      `(CASE WHEN json_valid("posts"."meta") THEN JSON_EXTRACT("posts"."meta", '$.tier') ELSE JSON_EXTRACT(json_object('pb', "posts"."meta"), '$.pb.tier') END) DESC`,
    );
    expect(sort(`author.name`)).toMatchObject({ orderBy: `"posts_author"."name" ASC`, joins: [`LEFT JOIN "users" "posts_author" ON "posts_author"."id" = "posts"."author"`] });
    expect(sort(``).orderBy).toBe("");
  });
  test("invalid sorts are 400", () => {
    for (const s of [`nope`, `@now`, `null`, `@request.auth.id`, `title desc`, `"title"`, `-`, `a,b,c,d,e,f,g,h,i`, "x".repeat(256), `title = 1`, `geoDistance(1,2,3,4)`]) {
      expect(apiError(() => sort(s)).status).toBe(400);
    }
  });
  test("at most 8 fields", () => {
    expect(() => sort(`id,title,status,author,tags,categories,meta,views`)).not.toThrow();
  });
});
