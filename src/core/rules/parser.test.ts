import { describe, expect, test } from "bun:test";
import { ApiError } from "../api-error.ts";
import { compileFilter } from "./compile-filter.ts";
import { RuleSyntaxError } from "./errors.ts";
import { tokenize } from "./lexer.ts";
import { parseCached, parseCacheSize, PARSE_CACHE_SIZE } from "./parse-cache.ts";
import { parseFilter } from "./parser.ts";
import { testCollection, testSchema } from "./test-fixtures.ts";

const schema = testSchema();
const compile = (expr: string) => compileFilter(expr, { schema, collection: testCollection("posts"), allowHiddenFields: true, client: false });

function status(fn: () => unknown): number | "ok" {
  try {
    fn();
    return "ok";
  } catch (e) {
    if (e instanceof ApiError) return e.status;
    throw e;
  }
}

describe("lexer", () => {
  test("tokens", () => {
    expect(tokenize(`a.b:lower?!=-1.5&&("x\\"y"||'z')`).map((t) => ("value" in t ? t.value : t.type))).toEqual([
      "a.b:lower",
      "?!=",
      -1.5,
      "&&",
      "(",
      'x"y',
      "||",
      "z",
      ")",
    ]);
  });
  test("all signs", () => {
    for (const s of ["=", "!=", ">", ">=", "<", "<=", "~", "!~", "?=", "?!=", "?>", "?>=", "?<", "?<=", "?~", "?!~"]) {
      expect(tokenize(`a ${s} b`)[1]).toMatchObject({ type: "sign", value: s });
    }
  });
  test("identifiers may start with @ _ # and may not end in . or :", () => {
    expect(tokenize("@a _b #c")).toHaveLength(3);
    for (const bad of ["a.", "a:", "@", "_", "#", "5.", ".5", "-", "a & b", "a | b", "a ! b", "a $ b", `"open`, `'open\\'`]) {
      expect(() => tokenize(bad)).toThrow(RuleSyntaxError);
    }
  });
  test("comments", () => {
    expect(tokenize("a // x = y\n= b // end")).toHaveLength(3);
    expect(tokenize("// only a comment")).toHaveLength(0);
  });
});

describe("parser", () => {
  test("flat group with joins, nested groups, function calls", () => {
    const ast = parseFilter(`a = 1 && (b = 2 || c ?= "x") || f(d, 'e', g(1)) > 0`);
    expect(ast.conditions).toBe(4);
    expect(ast.root.items.map((i) => i.join)).toEqual([null, "&&", "||"]);
    expect(ast.root.items[1]!.node.kind).toBe("group");
    expect(Object.isFrozen(ast.root)).toBe(true);
  });
  test("malformed expressions", () => {
    for (const bad of [
      "",
      "   ",
      "// nothing",
      "a",
      "a =",
      "= a",
      "a = b c = d",
      "a = b &&",
      "&& a = b",
      "(a = b",
      "a = b)",
      "()",
      "(a) = b",
      "a = (b)",
      "a == b",
      "f( = 1",
      "f(1,) = 1",
      "f(1 2) = 1",
      "a.b. = 1",
      "f(g(h(i(1)))) = 1",
      "a = 'x' 'y'",
    ]) {
      expect(() => parseFilter(bad), bad).toThrow(RuleSyntaxError);
    }
    expect(() => parseFilter("f(g(h(1))) = 1")).not.toThrow();
  });
  test("the cache keeps at most 500 entries and returns the same tree", () => {
    const a = parseCached("title = 'cache-me'");
    expect(parseCached("title = 'cache-me'")).toBe(a);
    for (let i = 0; i < PARSE_CACHE_SIZE + 50; i++) parseCached(`title = ${i}`);
    expect(parseCacheSize()).toBe(PARSE_CACHE_SIZE);
  });
});

describe("bad input through the compiler", () => {
  test("malformed or unresolvable filters are 400 with a generic message", () => {
    for (const bad of [
      `title =`,
      `nope = 1`,
      `title.x = 1`,
      `author.nope = 1`,
      `title:nope = 1`,
      `title:lower:each = 1`,
      `author:lower.name = 1`,
      `views:each = 1`,
      `title:length = 1`,
      `@nope = 1`,
      `@request.data.x = 1`,
      `@request.nope = 1`,
      `@request.auth = 1`,
      `@request.context.x = 1`,
      `@request.headers = 1`,
      `@request.body.nope:changed = true`,
      `@request.body.title:length = 1`,
      `@collection.nope.x = 1`,
      `@collection.posts = 1`,
      `comments_via_nope.x = 1`,
      `users_via_author.x = 1`,
      `comments_via_post = 1`,
      `nope(1) = 1`,
      `geoDistance(1,2,3) = 1`,
      `geoDistance(1,2,3,'x') = 1`,
      `strftime(created) = 1`,
      `strftime('%Y', created, 5) = 1`,
      `strftime('%Y', 1, 'a','b','c','d','e','f','g','h','i') = 1`,
      `meta.a:each = 1`,
    ]) {
      expect(status(() => compile(bad)), bad).toBe(400);
    }
    try {
      compile(`nope = 1`);
    } catch (e) {
      expect((e as ApiError).message).toBe("Invalid filter parameters.");
      expect(JSON.stringify((e as ApiError).toJSON())).not.toContain("nope");
    }
  });
  test("relation hop limit", () => {
    // posts → comments (back-relation) → posts → comments → …
    const chain = (n: number) => ["comments_via_post", ...Array(n - 1).fill(0).map((_, i) => (i % 2 === 0 ? "post" : "comments_via_post"))].join(".") + ".id != ''";
    expect(status(() => compile(chain(6)))).toBe("ok");
    expect(status(() => compile(chain(7)))).toBe(400);
  });
  test("limits: length, conditions, nesting", () => {
    expect(status(() => compile(`title = "${"x".repeat(3490)}"`))).toBe("ok"); // 3500 chars
    expect(status(() => compile(`title = "${"x".repeat(3491)}"`))).toBe(400);
    expect(status(() => compile(Array(200).fill(`views = 1`).join(" || ")))).toBe("ok");
    expect(status(() => compile(Array(201).fill(`views = 1`).join(" || ")))).toBe(400);
    expect(status(() => compile(`${"(".repeat(64)}views = 1${")".repeat(64)}`))).toBe("ok");
    expect(status(() => compile(`${"(".repeat(65)}views = 1${")".repeat(65)}`))).toBe(400);
  });
  test("10,000 nested parentheses fail fast, without a stack overflow", () => {
    const t0 = performance.now();
    const expr = `${"(".repeat(10000)}views = 1${")".repeat(10000)}`;
    expect(status(() => compileFilter(expr, { schema, collection: testCollection("posts"), allowHiddenFields: true, client: false, limits: false }))).toBe(400);
    expect(status(() => compile(expr))).toBe(400);
    expect(status(() => compile("(".repeat(100000)))).toBe(400);
    expect(status(() => compile("x".repeat(1_000_000)))).toBe(400);
    expect(performance.now() - t0).toBeLessThan(2000);
  });
});
