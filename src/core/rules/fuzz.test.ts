/**
 * Fuzzing: random and mutated filters thrown at the parser and (a portion) at the compiler and
 * the database. The only allowed outcomes are a clean parse / compile / query, or our own errors.
 */
import { expect, test } from "bun:test";
import { ApiError } from "../api-error.ts";
import { compileFilter } from "./compile-filter.ts";
import { buildListQuery } from "./list-query.ts";
import { RuleSyntaxError } from "./errors.ts";
import { parseFilter } from "./parser.ts";
import { authRequest, TEST_NOW, testCollection, testDatabase, testSchema } from "./test-fixtures.ts";
import { seededRandom } from "../../tools/seeded-random.ts";

const SEEDS = [
  `status = "active" || status = "pending"`,
  `title ~ "a_b" && (views > 1 || views <= -2.5)`,
  `author.name = "John" && author.team.name ?= 'x'`,
  `categories.name = "news" || categories.id ?!= "c1"`,
  `tags:each ?= "featured" && tags:length > 2 && tags ~ "a"`,
  `comments_via_post.user ?= @request.auth.id`,
  `@collection.memberships.user ?= @request.auth.id && @collection.memberships:m.group ?= group`,
  `@request.body.status:changed = false && @request.body.title:isset = true`,
  `@request.body.categories.name ?= "news" && @request.body.tags:each = "a"`,
  `created >= @todayStart && created <= @todayEnd || created > @now`,
  `meta.tier = "gold" && meta.items.0.x != null && location.lat > 1`,
  `geoDistance(location.lon, location.lat, 23.32, 42.69) < 25`,
  `strftime('%Y-%m', created, 'start of month') = "2026-01"`,
  `@request.headers.x_token = "a" && @request.query.q:lower = "b" // comment`,
  `@request.auth.team.name = "tech" && @request.auth.role:lower ?= 'admin'`,
  `title:lower ~ @request.body.title:lower && true = TRUE && null != false`,
];

const VOCAB = [
  "title", "status", "author", "author.name", "author.team.name", "tags", "tags:each", "tags:length", "categories", "categories.name",
  "categories.id", "meta", "meta.a.b", "meta.0", "location.lat", "location.lon", "group", "views", "created", "id", "comments_via_post.message",
  "comments_via_post.user.name", "users_via_x.y", "@collection.memberships.user", "@collection.memberships:a.group", "@collection.categories.name",
  "@request.auth.id", "@request.auth.team.name", "@request.auth.email", "@request.body.title", "@request.body.tags:each", "@request.body.author.name",
  "@request.body.status:changed", "@request.body.x:isset", "@request.query.a", "@request.headers.b", "@request.context", "@request.method",
  "@now", "@todayStart", "@year", "null", "true", "false", "title:lower", "title:nope", "x", "_a", "#b", "@", "a.", "a:",
  '"x"', "'y'", '"%"', '"a\\"b"', "'\\''", "''", '""', "1", "-1", "1.5", "-0.25", "5.", ".5",
  "=", "!=", ">", ">=", "<", "<=", "~", "!~", "?=", "?!=", "?>", "?>=", "?<", "?<=", "?~", "?!~", "==", "!", "?",
  "&&", "||", "&", "|", "(", ")", ",", "geoDistance(", "strftime(", "nope(", "// c\n", "\n", "\r\n", "\t", "'", '"', "\\", "$", ";", "--",
];

function randomFilter(rnd: () => number): string {
  const n = 1 + Math.floor(rnd() * 12);
  let s = "";
  for (let i = 0; i < n; i++) {
    s += VOCAB[Math.floor(rnd() * VOCAB.length)]!;
    if (rnd() < 0.7) s += " ";
  }
  return s;
}

function randomStructured(rnd: () => number, depth = 0): string {
  const pick = <T>(a: readonly T[]): T => a[Math.floor(rnd() * a.length)]!;
  const operand = (): string => (rnd() < 0.6 ? pick(VOCAB.slice(0, 45)) : pick(VOCAB.slice(52, 66)));
  const cond = (): string => `${operand()} ${pick(VOCAB.slice(66, 82))} ${operand()}`;
  const parts: string[] = [];
  const n = 1 + Math.floor(rnd() * 4);
  for (let i = 0; i < n; i++) parts.push(depth < 3 && rnd() < 0.2 ? `(${randomStructured(rnd, depth + 1)})` : cond());
  return parts.join(rnd() < 0.5 ? " && " : " || ");
}

function mutate(rnd: () => number, s: string): string {
  let out = s;
  const k = 1 + Math.floor(rnd() * 4);
  for (let i = 0; i < k; i++) {
    const pos = Math.floor(rnd() * (out.length + 1));
    const r = rnd();
    if (r < 0.3) out = out.slice(0, pos) + out.slice(pos + 1 + Math.floor(rnd() * 3));
    else if (r < 0.6) out = out.slice(0, pos) + String.fromCharCode(Math.floor(rnd() * 128)) + out.slice(pos);
    else if (r < 0.8) out = out.slice(0, pos) + VOCAB[Math.floor(rnd() * VOCAB.length)]! + out.slice(pos);
    else {
      const a = Math.floor(rnd() * out.length);
      out = out.slice(0, pos) + out.slice(a, a + Math.floor(rnd() * 10)) + out.slice(pos);
    }
  }
  return out;
}

test("fuzz: 100,000+ inputs, only clean results or our own errors", () => {
  const seed = Number(process.env.RULES_FUZZ_SEED ?? 20260120);
  const rnd = seededRandom(seed);
  const schema = testSchema();
  const posts = testCollection("posts");
  const db = testDatabase();
  const requests = [null, authRequest("u1", { body: { title: "x", tags: ["a"], author: "u2", status: "s" }, headers: { "X-Token": "a" }, query: { a: "1" } }), authRequest(null)];
  let parsed = 0;
  let rejected = 0;
  let compiled = 0;
  let executed = 0;
  const t0 = performance.now();
  for (let i = 0; i < 110_000; i++) {
    const r = rnd();
    const input = r < 0.35 ? randomFilter(rnd) : r < 0.6 ? randomStructured(rnd) : mutate(rnd, rnd() < 0.5 ? SEEDS[Math.floor(rnd() * SEEDS.length)]! : randomStructured(rnd));
    try {
      parseFilter(input);
      parsed++;
    } catch (e) {
      if (!(e instanceof RuleSyntaxError)) throw new Error(`seed ${seed}: parser threw ${String(e)} for ${JSON.stringify(input)}`);
      rejected++;
    }
    if (i % 5 !== 0) continue;
    const client = rnd() < 0.2;
    const request = requests[Math.floor(rnd() * requests.length)]!;
    let out;
    try {
      out = compileFilter(input, { schema, collection: posts, request, allowHiddenFields: !client, client, now: TEST_NOW });
      compiled++;
    } catch (e) {
      const ok = e instanceof ApiError && (e.status === 403 || (e.status === 400 && e.cause instanceof RuleSyntaxError));
      if (!ok) throw new Error(`seed ${seed}: compiler threw ${String(e)} (cause ${String((e as Error).cause)}) for ${JSON.stringify(input)}`);
      continue;
    }
    if (i % 3 !== 0) continue;
    const sql = `SELECT DISTINCT "posts"."id" FROM "posts" ${out.joins.join(" ")} WHERE ${out.where}`;
    // the list query (semi-joins for fan-out conditions) must be valid SQL too
    const list = buildListQuery({ schema, collection: posts, filter: input, request, clientFilter: client, now: TEST_NOW });
    try {
      db.query(sql).all(...out.params);
      db.query(list.selectSql).all(...list.selectParams);
      db.query(list.countSql!).get(...list.countParams);
      executed++;
    } catch (e) {
      throw new Error(`seed ${seed}: SQLite rejected the SQL of ${JSON.stringify(input)}: ${String(e)}\n${sql}\n${list.selectSql}\n${JSON.stringify(out.params)}`);
    }
  }
  const ms = performance.now() - t0;
  console.log(`fuzz seed ${seed}: ${parsed} parsed, ${rejected} rejected, ${compiled} compiled, ${executed} executed in ${ms.toFixed(0)} ms`);
  expect(parsed + rejected).toBe(110_000);
  expect(parsed).toBeGreaterThan(10_000);
  expect(compiled).toBeGreaterThan(1_000);
  expect(executed).toBeGreaterThan(300);
}, 60_000);
