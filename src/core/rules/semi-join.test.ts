/**
 * The semi-join rewrite (semi-join.ts) and the anchored match-all sub-queries against the
 * reference form they replaced (`plainJoins`: LEFT JOINs + DISTINCT, sub-queries re-reading the
 * row by id), on randomly generated data full of edge cases: empty and missing relations,
 * dangling ids, duplicate ids in a multiple relation, scalar/invalid JSON in multiple columns,
 * NULL and '' values. Same rows, same totals, same pages; same create-rule verdicts.
 */
import { Database } from "bun:sqlite";
import { describe, expect, test } from "bun:test";
import { ApiError } from "../api-error.ts";
import type { CollectionConfig } from "../collections/collection-types.ts";
import type { SqlValue } from "../fields/field-kind.ts";
import { buildListQuery, type ListQueryOptions } from "./list-query.ts";
import type { RequestInfo } from "./request-info.ts";
import { compileCreateRuleCheck } from "./rule-check.ts";
import { createSchemaLookup } from "./schema.ts";
import { TEST_NOW, testCollections } from "./test-fixtures.ts";
import { seededRandom } from "../../tools/seeded-random.ts";

type Rnd = () => number;
const pick = <T>(rnd: Rnd, a: readonly T[]): T => a[Math.floor(rnd() * a.length)]!;

const NAMES = ["news", "tech", "News", "", null, "John", "a"];
const USER_REFS = ["u1", "u2", "u3", "u4", "", null, "u404"];
const CAT_REFS = ["c1", "c2", "c3", "c4", "", null, "c404"];
const POST_REFS = ["p1", "p2", "p3", "p4", "p5", "", null, "p404"];

/** A multiple column's text: arrays (with duplicates, dangling ids), '', NULL, a scalar, invalid JSON. */
function multiText(rnd: Rnd, pool: readonly (string | null)[]): string | null {
  const r = rnd();
  if (r < 0.1) return null;
  if (r < 0.2) return "";
  if (r < 0.25) return JSON.stringify(pick(rnd, pool) ?? "x"); // a JSON scalar
  if (r < 0.3) return String(pick(rnd, pool) ?? "x"); // not JSON at all (or a bare id)
  const n = Math.floor(rnd() * 4);
  return JSON.stringify(Array.from({ length: n }, () => pick(rnd, pool)).filter((v) => v !== null));
}

/** A fresh in-memory database with nullable columns and random rows. */
function randomDatabase(seed: number): Database {
  const rnd = seededRandom(seed);
  const db = new Database(":memory:");
  for (const c of testCollections()) {
    db.run(`CREATE TABLE "${c.name}" (${c.fields.map((f) => `"${f.name}" ${f.name === "id" ? "TEXT PRIMARY KEY NOT NULL" : f.type === "number" ? "NUMERIC" : "TEXT"}`).join(", ")})`);
  }
  const insert = (table: string, row: Record<string, SqlValue>): void => {
    const keys = Object.keys(row);
    db.query(`INSERT INTO "${table}" (${keys.map((k) => `"${k}"`).join(", ")}) VALUES (${keys.map(() => "?").join(", ")})`).run(...(keys.map((k) => row[k]) as []));
  };
  const maybe = <T>(v: T): T | null => (rnd() < 0.1 ? null : v);
  for (let i = 1; i <= 4; i++) insert("categories", { id: `c${i}`, name: pick(rnd, NAMES) });
  for (let i = 1; i <= 4; i++) {
    insert("users", {
      id: `u${i}`,
      email: `u${i}@example.com`,
      emailVisibility: pick(rnd, [0, 1, null]),
      verified: pick(rnd, [0, 1]),
      name: pick(rnd, NAMES),
      role: pick(rnd, ["admin", "user", "", null]),
      secret: maybe(`s${i}`),
      team: pick(rnd, CAT_REFS),
    });
  }
  for (let i = 1; i <= 8; i++) {
    insert("posts", {
      id: `p${i}`,
      title: pick(rnd, ["Hello", "a_b", "100%", "", null, "news"]),
      status: pick(rnd, ["active", "draft", "", null]),
      author: pick(rnd, USER_REFS),
      tags: multiText(rnd, ["a", "b", "featured", "a", ""]),
      categories: multiText(rnd, CAT_REFS),
      meta: pick(rnd, ['{"tier":"gold"}', '{"tier":null}', "[]", "", null, "x"]),
      location: pick(rnd, ['{"lon":23.3,"lat":42.7}', '{"lon":0,"lat":0}', null]),
      group: pick(rnd, ["g1", "g2", "", null]),
      views: pick(rnd, [0, 5, 10, null]),
      created: pick(rnd, ["2026-01-05 10:00:00.000Z", "2025-12-31 23:59:59.999Z", "", null]),
    });
  }
  for (let i = 1; i <= 10; i++) insert("comments", { id: `k${i}`, post: pick(rnd, POST_REFS), user: pick(rnd, USER_REFS), message: pick(rnd, ["hi", "hello", "", null]) });
  for (let i = 1; i <= 5; i++) insert("memberships", { id: `m${i}`, user: pick(rnd, USER_REFS), group: pick(rnd, ["g1", "g2", "", null]) });
  const profileUsers = ["u1", "u2", "u404"];
  for (let i = 0; i < profileUsers.length; i++) if (rnd() < 0.7) insert("profiles", { id: `pr${i}`, user: profileUsers[i]!, bio: pick(rnd, ["hey", "", null]) });
  return db;
}

const OPERANDS = [
  "title", "status", "author", "author.name", "author.role", "author.team.name", "author.team.id", "author.email", "tags", "tags:each", "tags:length",
  "categories", "categories.name", "categories.id", "categories:each", "categories.name:lower", "categories:length", "meta.tier", "group",
  "views", "created", "id", "@request.auth.id", "@request.auth.team.name", "@request.body.categories.name", "@request.body.tags:each", "strftime('%Y', created)",
];
/** Operands through joins that search another table: such queries keep the joined form. */
const SEARCHING = [
  "comments_via_post.message", "comments_via_post.user", "comments_via_post.user.name", "comments_via_post.user.team.name", "author.profiles_via_user.bio",
  "@collection.memberships.user", "@collection.memberships.group", "@collection.memberships:m.group", "@collection.categories.name",
];
const VALUES = [`"news"`, `"tech"`, `""`, `null`, `"a"`, `"featured"`, `5`, `"John"`, `"u1"`, `"c1"`, `true`, `"g1"`, `"%e%"`, `"gold"`];
const OPS = ["=", "!=", ">", "<=", "~", "!~", "?=", "?!=", "?>", "?~", "?!~"];

function randomCond(rnd: Rnd): string {
  const operand = (): string => pick(rnd, rnd() < 0.08 ? SEARCHING : OPERANDS);
  const left = operand();
  const right = rnd() < 0.7 ? pick(rnd, VALUES) : operand();
  return rnd() < 0.5 ? `${left} ${pick(rnd, OPS)} ${right}` : `${right} ${pick(rnd, OPS)} ${left}`;
}

function randomExpr(rnd: Rnd, depth = 0): string {
  const n = 1 + Math.floor(rnd() * 3);
  const parts: string[] = [];
  for (let i = 0; i < n; i++) parts.push(depth < 2 && rnd() < 0.25 ? `(${randomExpr(rnd, depth + 1)})` : randomCond(rnd));
  let s = parts[0]!;
  for (let i = 1; i < parts.length; i++) s += (rnd() < 0.7 ? " && " : " || ") + parts[i];
  return s;
}

function request(rnd: Rnd, users: CollectionConfig): RequestInfo | null {
  const id = pick(rnd, ["u1", "u2", null]);
  const body = { categories: pick(rnd, [["c1", "c2"], ["c404"], [], "c3"]), tags: pick(rnd, [["a"], [], ["a", "b"]]) };
  if (rnd() < 0.2) return null;
  return { auth: id ? { collection: users, record: { id, team: "c1" } } : null, body, query: {}, headers: {}, method: "GET", context: "default" };
}

type Outcome = { error: number } | { rows: string[]; total: number | null; semi: boolean };

function run(db: Database, opts: ListQueryOptions): Outcome {
  let q;
  try {
    q = buildListQuery(opts);
  } catch (e) {
    if (e instanceof ApiError) return { error: e.status };
    throw e;
  }
  const rows = (db.query(q.selectSql).all(...(q.selectParams as [])) as { id: string }[]).map((r) => r.id);
  const total = q.countSql ? (Object.values(db.query(q.countSql).get(...(q.countParams as [])) as object)[0] as number) : null;
  return { rows, total, semi: q.selectSql.includes("EXISTS (SELECT 1 FROM (SELECT 1)") };
}

describe("semi-join and anchored match-all vs the reference form, on random data", () => {
  const base = testCollections();
  // client mode: joined collections constrained by their listRule (visibility joins)
  const restricted = base.map((c) => (c.name === "categories" ? { ...c, listRule: `name != "tech"` } : c.name === "users" ? { ...c, listRule: `role != "admin"` } : c));
  const schemas = [createSchemaLookup(base), createSchemaLookup(restricted)];
  const users = base.find((c) => c.name === "users")!;

  test("lists: same rows (as sets, and as ordered pages), same totals, same errors", () => {
    let compared = 0;
    let semi = 0;
    let errors = 0;
    for (const seed of [1, 2, 3, 4, 5, 6]) {
      const db = randomDatabase(seed);
      const rnd = seededRandom(seed * 7919);
      for (let i = 0; i < 250; i++) {
        const client = rnd() < 0.25;
        const schema = client ? schemas[1]! : schemas[0]!;
        const ordered = rnd() < 0.5;
        const opts: ListQueryOptions = {
          schema,
          collection: schema.findCollection(rnd() < 0.9 ? "posts" : "users")!,
          rules: rnd() < 0.5 ? [randomExpr(rnd)] : [],
          filter: rnd() < 0.8 ? randomExpr(rnd) : "",
          sort: ordered ? pick(rnd, ["id", "-views,id", "author.name,-id", "categories.name,id", "title:lower,id"]) : "",
          clientFilter: client,
          request: request(rnd, users),
          now: TEST_NOW,
          ...(ordered ? { page: 1 + Math.floor(rnd() * 3), perPage: 2 } : { perPage: 1000 }),
        };
        if (opts.collection.name === "users") {
          opts.rules = [];
          opts.filter = pick(rnd, [`posts_via_author.categories.name ?= "news"`, `posts_via_author.tags:each = "a"`, `profiles_via_user.bio != "" && team.name ?= "news"`, `posts_via_author.views > 1 || name = "John"`]);
          opts.sort = ordered ? "id" : "";
        }
        const label = JSON.stringify({ seed, i, rules: opts.rules, filter: opts.filter, sort: opts.sort, client, page: opts.page });
        const want = run(db, { ...opts, plainJoins: true });
        const got = run(db, opts);
        if ("error" in want) {
          errors++;
          expect(got, label).toEqual(want);
          continue;
        }
        if ("error" in got) throw new Error(`${label}: ${got.error}`);
        if (got.semi) semi++;
        compared++;
        expect({ rows: ordered ? got.rows : [...got.rows].sort(), total: got.total }, label).toEqual({ rows: ordered ? want.rows : [...want.rows].sort(), total: want.total });
      }
      db.close();
    }
    console.log(`semi-join equivalence: ${compared} lists compared (${semi} rewritten), ${errors} refused by both`);
    // the comparison must actually exercise the rewrite, not only errors or single-valued filters
    expect(compared).toBeGreaterThan(900);
    expect(semi).toBeGreaterThan(300);
    expect(errors).toBeLessThan(compared);
  });

  test("create-rule checks: the anchored match-all sub-query gives the same verdicts", () => {
    let checked = 0;
    for (const seed of [11, 12, 13]) {
      const db = randomDatabase(seed);
      const rnd = seededRandom(seed);
      const posts = schemas[0]!.findCollection("posts")!;
      for (let i = 0; i < 250; i++) {
        const rule = randomExpr(rnd);
        const values = { id: "new1", title: pick(rnd, ["Hello", "", null]), author: pick(rnd, USER_REFS), tags: pick(rnd, [["a"], [], ["a", "a"], null]), categories: pick(rnd, [["c1", "c3"], ["c404"], [], ["c2", "c2"], null]), views: pick(rnd, [0, 5, null]) };
        const opts = { schema: schemas[0]!, collection: posts, rule, values, request: request(rnd, users), now: TEST_NOW };
        let want;
        try {
          want = compileCreateRuleCheck({ ...opts, plainJoins: true });
        } catch (e) {
          if (!(e instanceof ApiError)) throw e;
          expect(() => compileCreateRuleCheck(opts)).toThrow(ApiError);
          continue;
        }
        const got = compileCreateRuleCheck(opts);
        const pass = (q: { sql: string; params: SqlValue[] }): boolean => db.query(q.sql).get(...(q.params as [])) !== null;
        expect(pass(got), rule).toBe(pass(want));
        checked++;
      }
      db.close();
    }
    expect(checked).toBeGreaterThan(500);
  });

  test("hand-picked: same-row semantics survive inside the EXISTS; OR lists stay whole", () => {
    const db = new Database(":memory:");
    db.run(`CREATE TABLE posts (id TEXT PRIMARY KEY, title TEXT, status TEXT, author TEXT, tags TEXT, categories TEXT, meta TEXT, location TEXT, "group" TEXT, views NUMERIC, created TEXT)`);
    db.run(`CREATE TABLE categories (id TEXT PRIMARY KEY, name TEXT)`);
    db.run(`CREATE TABLE memberships (id TEXT PRIMARY KEY, user TEXT, "group" TEXT)`);
    db.run(`INSERT INTO categories VALUES ('c1','news'), ('c2','tech')`);
    db.run(`INSERT INTO memberships VALUES ('m1','u1','g1'), ('m2','u2','g2')`);
    db.run(`INSERT INTO posts (id, status, categories, "group") VALUES ('p1','active','["c1","c2"]','g1'), ('p2','draft','["c1"]','g2'), ('p3','active','[]',''), ('p4','active','["c404"]','g1')`);
    const schema = schemas[0]!;
    const posts = schema.findCollection("posts")!;
    const ids = (filter: string, plainJoins = false): string[] => {
      const q = buildListQuery({ schema, collection: posts, filter, sort: "id", plainJoins });
      return (db.query(q.selectSql).all(...(q.selectParams as [])) as { id: string }[]).map((r) => r.id);
    };
    const cases: [string, string[]][] = [
      // one category row must be both news and tech: none is
      [`categories.name ?= "news" && categories.name ?= "tech"`, []],
      [`categories.name ?= "news" && categories.id ?= "c2"`, []],
      [`categories.name ?= "news" || categories.name ?= "tech"`, ["p1", "p2"]],
      [`status = "active" && categories.name ?= "news"`, ["p1"]],
      [`status = "active" || categories.name ?= "news"`, ["p1", "p2", "p3", "p4"]],
      [`categories.name = "news"`, ["p2"]],
      [`categories.name != "news"`, ["p3", "p4"]],
      [`categories.name ?= null`, ["p3", "p4"]],
      [`@collection.memberships.user ?= "u1" && @collection.memberships.group ?= group`, ["p1", "p4"]],
      [`@collection.memberships.user ?= "u1" && @collection.memberships.group ?= "g2"`, []],
    ];
    for (const [f, want] of cases) {
      expect(ids(f), f).toEqual(want);
      expect(ids(f, true), f).toEqual(want);
    }
    const q = buildListQuery({ schema, collection: posts, filter: `status = "active" && categories.name ?= "news"` });
    expect(q.selectSql).toBe(
      `SELECT "posts".* FROM "posts" WHERE ("posts"."status" = ?1) AND EXISTS (SELECT 1 FROM (SELECT 1) ` +
        `LEFT JOIN json_each((CASE WHEN "posts"."categories" IS NULL OR "posts"."categories" = '' THEN '[]' WHEN json_valid("posts"."categories") THEN (CASE WHEN json_type("posts"."categories") = 'array' THEN "posts"."categories" ELSE json_array("posts"."categories") END) ELSE json_array("posts"."categories") END)) "posts_categories_je" ` +
        `LEFT JOIN "categories" "posts_categories" ON "posts_categories"."id" = "posts_categories_je"."value" WHERE "posts_categories"."name" = ?2) LIMIT 30 OFFSET 0`,
    );
    expect(q.countSql).toStartWith(`SELECT COUNT(*) FROM "posts" WHERE ("posts"."status" = ?1) AND EXISTS (`);
    db.close();
  });
});
