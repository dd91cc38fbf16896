import { describe, expect, test } from "bun:test";
import { ApiError } from "../api-error.ts";
import { compileFilter, type CompiledFilter } from "./compile-filter.ts";
import type { RequestInfo } from "./request-info.ts";
import { authRequest, TEST_NOW, testCollection, testSchema } from "./test-fixtures.ts";

const schema = testSchema();

function compile(expr: string, request: RequestInfo | null = null, coll = "posts"): CompiledFilter {
  return compileFilter(expr, { schema, collection: testCollection(coll), request, allowHiddenFields: true, client: false, now: TEST_NOW });
}

/** The normalised JSON array text of a multiple column (test copy of the emitted SQL). */
function ja(x: string): string {
  return `(CASE WHEN ${x} IS NULL OR ${x} = '' THEN '[]' WHEN json_valid(${x}) THEN (CASE WHEN json_type(${x}) = 'array' THEN ${x} ELSE json_array(${x}) END) ELSE json_array(${x}) END)`;
}
function jx(x: string, path: string): string {
  return `(CASE WHEN json_valid(${x}) THEN JSON_EXTRACT(${x}, '$${path}') ELSE JSON_EXTRACT(json_object('pb', ${x}), '$.pb${path}') END)`;
}
const CATS_JOINS = [
  `LEFT JOIN json_each(${ja(`"posts"."categories"`)}) "posts_categories_je"`,
  `LEFT JOIN "categories" "posts_categories" ON "posts_categories"."id" = "posts_categories_je"."value"`,
];

describe("golden SQL: the examples of the model reference §3.11", () => {
  test("1: @request.auth.id != '' (auth and guest)", () => {
    expect(compile(`@request.auth.id != ""`, authRequest("u1"))).toEqual({ where: `?1 IS NOT ''`, joins: [], params: ["u1"], distinct: false });
    expect(compile(`@request.auth.id != ""`, authRequest(null))).toEqual({ where: `'' IS NOT ''`, joins: [], params: [], distinct: false });
  });
  test("2: author = @request.auth.id (auth and guest)", () => {
    expect(compile(`author = @request.auth.id`, authRequest("u1"))).toMatchObject({ where: `"posts"."author" = ?1`, params: ["u1"] });
    expect(compile(`author = @request.auth.id`, null)).toMatchObject({ where: `("posts"."author" = '' OR "posts"."author" IS NULL)`, params: [] });
  });
  test("3: flat || list", () => {
    expect(compile(`status = "active" || status = "pending"`)).toMatchObject({ where: `"posts"."status" = ?1 OR "posts"."status" = ?2`, params: ["active", "pending"] });
  });
  test("4-6: LIKE wrapping and escaping", () => {
    expect(compile(`title ~ "abc"`)).toMatchObject({ where: `"posts"."title" LIKE ?1 ESCAPE '\\'`, params: ["%abc%"] });
    expect(compile(`title ~ "Lorem%"`)).toMatchObject({ where: `"posts"."title" LIKE ?1 ESCAPE '\\'`, params: ["Lorem%"] });
    expect(compile(`title !~ "a_b"`)).toMatchObject({ where: `"posts"."title" NOT LIKE ?1 ESCAPE '\\'`, params: ["%a\\_b%"] });
    expect(compile(`title ~ "50\\%"`)).toMatchObject({ params: ["%50\\\\\\%%"] });
  });
  test("7: single relation join", () => {
    expect(compile(`author.name = "John"`)).toEqual({
      where: `"posts_author"."name" = ?1`,
      joins: [`LEFT JOIN "users" "posts_author" ON "posts_author"."id" = "posts"."author"`],
      params: ["John"],
      distinct: false,
    });
  });
  test("8: any-of over a multiple relation", () => {
    expect(compile(`categories.name ?= "news"`)).toEqual({ where: `"posts_categories"."name" = ?1`, joins: CATS_JOINS, params: ["news"], distinct: true });
  });
  test("9: plain operator over a multiple relation = all must match", () => {
    // the values hang off the outer row from a one-row anchor (equivalence: semi-join.test.ts)
    const sub =
      `SELECT "__mm_posts_categories"."name" AS "v" FROM (SELECT 1) ` +
      `LEFT JOIN json_each(${ja(`"posts"."categories"`)}) "__mm_posts_categories_je" ` +
      `LEFT JOIN "categories" "__mm_posts_categories" ON "__mm_posts_categories"."id" = "__mm_posts_categories_je"."value"`;
    expect(compile(`categories.name = "news"`)).toEqual({
      where: `("posts_categories"."name" = ?1 AND NOT EXISTS (SELECT 1 FROM (${sub}) "__ml" WHERE NOT ("__ml"."v" = ?1)))`,
      joins: CATS_JOINS,
      params: ["news"],
      distinct: true,
    });
  });
  test("10: :each and LIKE on the raw JSON text", () => {
    expect(compile(`tags:each ?= "featured" || tags ~ "featured"`)).toEqual({
      where: `"posts_tags_je"."value" = ?1 OR "posts"."tags" LIKE ?2 ESCAPE '\\'`,
      joins: [`LEFT JOIN json_each(${ja(`"posts"."tags"`)}) "posts_tags_je"`],
      params: ["featured", "%featured%"],
      distinct: true,
    });
  });
  test("11: :length", () => {
    expect(compile(`tags:length > 2`)).toEqual({ where: `json_array_length(${ja(`"posts"."tags"`)}) > ?1`, joins: [], params: [2], distinct: false });
  });
  test("12: back-relation", () => {
    expect(compile(`comments_via_post.user ?= @request.auth.id`, authRequest("u1"))).toEqual({
      where: `"posts_comments_via_post"."user" = ?1`,
      joins: [`LEFT JOIN "comments" "posts_comments_via_post" ON "posts_comments_via_post"."post" = "posts"."id"`],
      params: ["u1"],
      distinct: true,
    });
  });
  test("13: @collection joins share one alias; :alias adds another", () => {
    expect(compile(`@collection.memberships.user ?= @request.auth.id && @collection.memberships.group ?= group`, authRequest("u1"))).toEqual({
      where: `"__collection_memberships"."user" = ?1 AND COALESCE("__collection_memberships"."group", '') = COALESCE("posts"."group", '')`,
      joins: [`LEFT JOIN "memberships" "__collection_memberships"`],
      params: ["u1"],
      distinct: true,
    });
    expect(compile(`@collection.memberships.group ?= group && @collection.memberships:other.user ?= "u2"`).joins).toEqual([
      `LEFT JOIN "memberships" "__collection_memberships"`,
      `LEFT JOIN "memberships" "__collection_alias_other"`,
    ]);
  });
  test("14: :isset", () => {
    expect(compile(`@request.body.role:isset = false`, authRequest("u1", { body: { title: "x" } })).where).toBe(`FALSE = 0`);
    expect(compile(`@request.body.role:isset = false`, authRequest("u1", { body: { role: null } })).where).toBe(`TRUE = 0`);
  });
  test("15: :changed", () => {
    expect(compile(`@request.body.status:changed = false`, authRequest("u1", { body: { status: "x" } }))).toMatchObject({
      where: `(TRUE = 1 AND ?1 IS NOT "posts"."status") = 0`,
      params: ["x"],
    });
    expect(compile(`@request.body.status:changed = false`, authRequest("u1")).where).toBe(`(FALSE = 1 AND ("posts"."status" IS NOT '' AND "posts"."status" IS NOT NULL)) = 0`);
  });
  test("16: datetime macros are bound", () => {
    expect(compile(`created >= @todayStart && created <= @todayEnd`)).toMatchObject({
      where: `"posts"."created" >= ?1 AND "posts"."created" <= ?2`,
      params: ["2026-01-20 00:00:00.000Z", "2026-01-20 23:59:59.999Z"],
    });
  });
  test("17: JSON path uses IS", () => {
    expect(compile(`meta.tier = "gold"`)).toMatchObject({ where: `${jx(`"posts"."meta"`, ".tier")} IS ?1`, params: ["gold"] });
    expect(compile(`meta.items.0.x != 1`).where).toBe(`${jx(`"posts"."meta"`, ".items[0].x")} IS NOT ?1`);
    expect(compile(`meta = null`).where).toBe(`${jx(`"posts"."meta"`, "")} IS NULL`);
  });
  test("18: geoDistance", () => {
    const lon = jx(`"posts"."location"`, ".lon");
    const lat = jx(`"posts"."location"`, ".lat");
    expect(compile(`geoDistance(location.lon, location.lat, 23.32, 42.69) < 25`)).toMatchObject({
      where:
        `(6371 * acos(max(-1.0, min(1.0, cos(radians(${lat})) * cos(radians(?2)) * cos(radians(?1) - radians(${lon})) + ` +
        `sin(radians(${lat})) * sin(radians(?2)))))) < ?3`,
      params: [23.32, 42.69, 25],
    });
  });
  test("19: strftime", () => {
    expect(compile(`strftime('%Y-%m', created) = "2026-01"`)).toMatchObject({ where: `strftime(?1, "posts"."created") = ?2`, params: ["%Y-%m", "2026-01"] });
    expect(compile(`strftime('%Y', created, 'start of month', '+1 day') != ''`)).toMatchObject({
      where: `(strftime(?1, "posts"."created", ?2, ?3) IS NOT '' AND strftime(?1, "posts"."created", ?2, ?3) IS NOT NULL)`,
      params: ["%Y", "start of month", "+1 day"],
    });
  });
  test("20: headers in snake case", () => {
    expect(compile(`@request.headers.x_api_key = "secret"`, authRequest(null, { headers: { "X-Api-Key": "secret" } }))).toMatchObject({
      where: `?1 = ?2`,
      params: ["secret", "secret"],
    });
  });
  test("21: :lower on both sides", () => {
    expect(compile(`email:lower = @request.body.email:lower`, authRequest(null, { body: { email: "JOHN@example.com" } }), "users")).toMatchObject({
      where: `LOWER("users"."email") = LOWER(?1)`,
      params: ["JOHN@example.com"],
    });
  });
  test("22: static auth value OR joined auth field", () => {
    expect(compile(`@request.auth.collectionName = "staff" || @request.auth.role = "admin"`, authRequest("u1"))).toEqual({
      where: `?1 = ?2 OR "__auth_users"."role" = ?4`,
      joins: [`LEFT JOIN "users" "__auth_users" ON "__auth_users"."id" = ?3`],
      params: ["users", "staff", "u1", "admin"],
      distinct: false,
    });
  });
});

describe("golden SQL: other constructs", () => {
  test("parentheses group; && binds tighter than || by SQL precedence", () => {
    expect(compile(`(status = "a" || status = "b") && title = "c" || views > 1`).where).toBe(
      `("posts"."status" = ?1 OR "posts"."status" = ?2) AND "posts"."title" = ?3 OR "posts"."views" > ?4`,
    );
  });
  test("null-safe equality variants", () => {
    expect(compile(`title = ""`).where).toBe(`("posts"."title" = '' OR "posts"."title" IS NULL)`);
    expect(compile(`title != null`).where).toBe(`("posts"."title" IS NOT '' AND "posts"."title" IS NOT NULL)`);
    expect(compile(`null = ""`).where).toBe(`'' = ''`);
    expect(compile(`'' != null`).where).toBe(`'' IS NOT ''`);
    expect(compile(`title = status`).where).toBe(`COALESCE("posts"."title", '') = COALESCE("posts"."status", '')`);
    expect(compile(`title != status`).where).toBe(`COALESCE("posts"."title", '') IS NOT COALESCE("posts"."status", '')`);
    expect(compile(`"x" = title`)).toMatchObject({ where: `?1 = "posts"."title"`, params: ["x"] });
    expect(compile(`title = true`).where).toBe(`"posts"."title" = 1`);
    expect(compile(`title != FALSE`).where).toBe(`"posts"."title" IS NOT 0`);
    expect(compile(`views >= null`).where).toBe(`"posts"."views" >= NULL`);
  });
  test("LIKE against a column", () => {
    expect(compile(`title ~ status`).where).toBe(`"posts"."title" LIKE ('%' || "posts"."status" || '%') ESCAPE '\\'`);
    expect(compile(`title ?!~ status`).where).toBe(`"posts"."title" NOT LIKE ('%' || "posts"."status" || '%') ESCAPE '\\'`);
  });
  test("rel.id needs no join on a single relation; uses json_each on a multiple one", () => {
    expect(compile(`author.id = "u1"`)).toMatchObject({ where: `"posts"."author" = ?1`, joins: [] });
    expect(compile(`categories.id ?= "c1"`)).toMatchObject({ where: `"posts_categories_je"."value" = ?1`, joins: [CATS_JOINS[0]] });
  });
  test("the same path shares one join", () => {
    const out = compile(`author.name = "a" && author.role = "b"`);
    expect(out.joins).toHaveLength(1);
  });
  test("two-hop relation", () => {
    expect(compile(`author.team.name = "x"`).joins).toEqual([
      `LEFT JOIN "users" "posts_author" ON "posts_author"."id" = "posts"."author"`,
      `LEFT JOIN "categories" "posts_author_team" ON "posts_author_team"."id" = "posts_author"."team"`,
    ]);
  });
  test("back-relation via a unique single field is single-valued", () => {
    const out = compile(`profiles_via_user.bio = "hey"`, null, "users");
    expect(out).toEqual({
      where: `"users_profiles_via_user"."bio" = ?1`,
      joins: [`LEFT JOIN "profiles" "users_profiles_via_user" ON "users_profiles_via_user"."user" = "users"."id"`],
      params: ["hey"],
      distinct: false,
    });
  });
  test("a multiple field referenced directly is its JSON text", () => {
    expect(compile(`tags = "a"`)).toMatchObject({ where: `"posts"."tags" = ?1`, joins: [] });
    expect(compile(`tags ?= "a"`)).toMatchObject({ where: `"posts"."tags" = ?1`, joins: [] });
  });
  test("@request.body values: number conversion, arrays as JSON, missing as NULL", () => {
    expect(compile(`views = @request.body.views`, authRequest(null, { body: { views: "12.5" } })).params).toEqual([12.5]);
    expect(compile(`title = @request.body.title`, authRequest(null, { body: { title: "12" } })).params).toEqual(["12"]);
    expect(compile(`tags = @request.body.tags`, authRequest(null, { body: { tags: ["a", "b"] } })).params).toEqual(['["a","b"]']);
    expect(compile(`title = @request.body.nope`, authRequest(null)).where).toBe(`("posts"."title" = '' OR "posts"."title" IS NULL)`);
    expect(compile(`@request.body.tags:length = 2`, authRequest(null, { body: { tags: ["a", "b"] } }))).toMatchObject({ where: `?1 = ?2`, params: [2, 2] });
  });
  test("@request.body.<relation>.<field> joins the submitted ids", () => {
    const out = compile(`@request.body.author.role = "admin"`, authRequest(null, { body: { author: "u1" } }));
    expect(out).toEqual({
      where: `"__body_author"."role" = ?2`,
      joins: [`LEFT JOIN json_each(?1) "__body_author_je"`, `LEFT JOIN "users" "__body_author" ON "__body_author"."id" = "__body_author_je"."value"`],
      params: ['["u1"]', "admin"],
      distinct: true,
    });
  });
  test("@request.body.<multi>:each", () => {
    const out = compile(`@request.body.tags:each ?= "a"`, authRequest(null, { body: { tags: ["a", "b"] } }));
    expect(out).toMatchObject({ where: `"__body_tags_je"."value" = ?2`, joins: [`LEFT JOIN json_each(?1) "__body_tags_je"`], params: ['["a","b"]', "a"] });
  });
  test("@request.context/method/query", () => {
    const r = authRequest(null, { context: "realtime", method: "POST", query: { page: "2" } });
    expect(compile(`@request.context = "realtime" && @request.method = "POST" && @request.query.page = "2"`, r).params).toEqual([
      "realtime",
      "realtime",
      "POST",
      "POST",
      "2",
      "2",
    ]);
  });
  test("request-less evaluation: every @request.* is NULL", () => {
    expect(compile(`@request.auth.role = "admin"`).where).toBe(`'' = ?1`);
    expect(compile(`@request.context:isset = true`).where).toBe(`FALSE = 1`);
  });
  test("comments are ignored, CRLF accepted", () => {
    expect(compile(`// leading\r\ntitle = "a" // trailing\r\n&& status = 'b'\r\n// end`).where).toBe(`"posts"."title" = ?1 AND "posts"."status" = ?2`);
  });
  test("escaped quotes; other backslashes stay literal", () => {
    expect(compile(`title = "a\\"b\\n" || title = 'it\\'s "x"'`).params).toEqual([`a"b\\n`, `it's "x"`]);
  });
  test("negative and decimal numbers", () => {
    expect(compile(`views > -1.5 && views < 10`).params).toEqual([-1.5, 10]);
  });
  test("macros", () => {
    const out = compile(`created < @now && created > @yesterday && created < @tomorrow && created > @monthStart && created < @monthEnd && created > @yearStart && created < @yearEnd && views != @second && views != @minute && views != @hour && views != @weekday && views != @day && views != @month && views != @year`);
    expect(out.params).toEqual([
      "2026-01-20 12:34:56.789Z",
      "2026-01-19 12:34:56.789Z",
      "2026-01-21 12:34:56.789Z",
      "2026-01-01 00:00:00.000Z",
      "2026-01-31 23:59:59.999Z",
      "2026-01-01 00:00:00.000Z",
      "2026-12-31 23:59:59.999Z",
      56,
      34,
      12,
      2,
      20,
      1,
      2026,
    ]);
  });
});

describe("client mode", () => {
  const client = (expr: string, coll = "posts", request: RequestInfo | null = null): CompiledFilter =>
    compileFilter(expr, { schema, collection: testCollection(coll), request, allowHiddenFields: false, client: true, now: TEST_NOW });
  test("@collection. and @request. are 403", () => {
    for (const [expr, msg] of [
      [`@collection.memberships.user ?= "x"`, "Only superusers can filter by @collection."],
      [`title = @request.auth.id`, "Only superusers can filter by @request."],
    ] as const) {
      try {
        client(expr);
        throw new Error("no error");
      } catch (e) {
        expect(e).toBeInstanceOf(ApiError);
        expect((e as ApiError).status).toBe(403);
        expect((e as ApiError).message).toBe(msg);
      }
    }
  });
  test("hidden fields are refused", () => {
    expect(() => client(`secret = "x"`, "users")).toThrow(ApiError);
    expect(() => compile(`secret = "x"`, null, "users")).not.toThrow();
  });
  test("email needs emailVisibility", () => {
    expect(client(`email = "a@b.c"`, "users").where).toBe(`("users"."email" = ?1 AND "users"."emailVisibility" = TRUE)`);
  });
  test("joined collections are constrained by their listRule; a null listRule is an error", () => {
    const out = client(`categories.name ?= "news"`);
    expect(out.joins[1]).toBe(`LEFT JOIN "categories" "posts_categories" ON "posts_categories"."id" = "posts_categories_je"."value"`);
    const e = (() => {
      try {
        client(`author.name = "x"`);
      } catch (err) {
        return err;
      }
    })();
    expect(e).toBeInstanceOf(ApiError);
    expect((e as ApiError).status).toBe(400);
  });
});
