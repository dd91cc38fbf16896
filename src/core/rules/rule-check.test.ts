import { describe, expect, test } from "bun:test";
import { compileCreateRuleCheck, compileRuleCheck, compileRuleFilterIds } from "./rule-check.ts";
import type { RequestInfo } from "./request-info.ts";
import { authRequest, TEST_NOW, testCollection, testDatabase, testSchema } from "./test-fixtures.ts";

const db = testDatabase();
const schema = testSchema();
const posts = testCollection("posts");

function passes(rule: string, recordId: string, request: RequestInfo | null): boolean {
  const q = compileRuleCheck({ schema, collection: posts, rule, recordId, request, now: TEST_NOW });
  return db.query(q.sql).get(...q.params) !== null;
}

function createPasses(rule: string, values: Record<string, unknown>, request: RequestInfo | null): boolean {
  const q = compileCreateRuleCheck({ schema, collection: posts, rule, values, request, now: TEST_NOW });
  return db.query(q.sql).get(...q.params) !== null;
}

describe("compileRuleCheck", () => {
  test("golden SQL", () => {
    expect(compileRuleCheck({ schema, collection: posts, rule: `author = @request.auth.id`, recordId: "p1", request: authRequest("u1") })).toEqual({
      sql: `SELECT 1 FROM "posts" WHERE "posts"."id" = ?1 AND ("posts"."author" = ?2) LIMIT 1`,
      params: ["p1", "u1"],
    });
    expect(compileRuleCheck({ schema, collection: posts, rule: ``, recordId: "p1" })).toEqual({
      sql: `SELECT 1 FROM "posts" WHERE "posts"."id" = ?1 LIMIT 1`,
      params: ["p1"],
    });
  });
  test("view/update/delete rules against stored rows", () => {
    const rule = `@request.auth.id != "" && author = @request.auth.id`;
    expect(passes(rule, "p1", authRequest("u1"))).toBe(true);
    expect(passes(rule, "p1", authRequest("u2"))).toBe(false);
    expect(passes(rule, "p3", authRequest(null))).toBe(false);
    expect(passes(`author = @request.auth.id`, "p3", authRequest(null))).toBe(true);
    expect(passes(`comments_via_post.user ?= @request.auth.id`, "p1", authRequest("u2"))).toBe(true);
    expect(passes(`comments_via_post.user ?= @request.auth.id`, "p2", authRequest("u1"))).toBe(false);
    expect(passes(`categories.name = "news"`, "p1", null)).toBe(true);
    expect(passes(`categories.name = "news"`, "p2", null)).toBe(false);
    expect(passes(`@request.body.title:changed = false`, "p1", authRequest("u1", { body: { title: "Hello world" } }))).toBe(true);
    expect(passes(`@request.body.title:changed = false`, "p1", authRequest("u1", { body: { title: "other" } }))).toBe(false);
    expect(passes("", "nope", null)).toBe(false);
  });
  test("many ids at once", () => {
    const q = compileRuleFilterIds({ schema, collection: posts, rule: `status = "active"`, ids: ["p1", "p2", "p4", "zz"] });
    expect((db.query(q.sql).all(...q.params) as { id: string }[]).map((r) => r.id).sort()).toEqual(["p1", "p4"]);
  });
});

describe("compileCreateRuleCheck", () => {
  test("golden SQL", () => {
    const q = compileCreateRuleCheck({
      schema,
      collection: testCollection("categories"),
      rule: `name != ""`,
      values: { id: "cx", name: "new" },
    });
    expect(q).toEqual({
      sql: `WITH "categories__pb_create" AS (SELECT ?1 AS "id", ?2 AS "name") SELECT 1 FROM "categories__pb_create" AS "categories" WHERE (("categories"."name" IS NOT '' AND "categories"."name" IS NOT NULL)) LIMIT 1`,
      params: ["cx", "new"],
    });
  });
  test("rules against the would-be record, including relations and multi-value checks", () => {
    const base = { id: "pnew", title: "t", status: "active", author: "u1", tags: ["a", "featured"], categories: ["c1", "c3"], meta: { tier: "gold" }, views: 3 };
    const owner = `@request.auth.id != "" && author = @request.auth.id`;
    expect(createPasses(owner, base, authRequest("u1"))).toBe(true);
    expect(createPasses(owner, base, authRequest("u2"))).toBe(false);
    expect(createPasses(owner, base, authRequest(null))).toBe(false);
    expect(createPasses(`author.role = "admin"`, base, null)).toBe(true);
    expect(createPasses(`categories.name = "news"`, base, null)).toBe(true);
    expect(createPasses(`categories.name = "news"`, { ...base, categories: ["c1", "c2"] }, null)).toBe(false);
    expect(createPasses(`categories.name ?= "tech"`, { ...base, categories: ["c1", "c2"] }, null)).toBe(true);
    expect(createPasses(`tags:each = "a"`, base, null)).toBe(false);
    expect(createPasses(`tags:length = 2 && meta.tier = "gold"`, base, null)).toBe(true);
    expect(createPasses(`comments_via_post.id = ""`, base, null)).toBe(true);
    expect(createPasses(`@request.body.views:isset = false || @request.body.views < 5`, base, authRequest("u1", { body: { views: 3 } }))).toBe(true);
    expect(createPasses(``, base, null)).toBe(true);
  });
});
