import { describe, expect, test } from "bun:test";
import { isGeneratablePattern, randomFromPattern } from "./random-from-pattern.ts";

function many(pattern: string, n = 50): string[] {
  return Array.from({ length: n }, () => randomFromPattern(pattern));
}

describe("randomFromPattern", () => {
  test("record id pattern", () => {
    const values = many("[a-z0-9]{15}");
    for (const v of values) expect(v).toMatch(/^[a-z0-9]{15}$/);
    expect(new Set(values).size).toBe(values.length);
  });

  test("token key pattern", () => {
    for (const v of many("[a-zA-Z0-9_]{50}")) expect(v).toMatch(/^[a-zA-Z0-9_]{50}$/);
  });

  test("literal prefix", () => {
    for (const v of many("users[0-9]{5}")) expect(v).toMatch(/^users[0-9]{5}$/);
  });

  test("escapes and literal dash", () => {
    for (const v of many("[A-Z]{3}-\\d{2}")) expect(v).toMatch(/^[A-Z]{3}-\d{2}$/);
    for (const v of many("\\w{4}\\.x")) expect(v).toMatch(/^\w{4}\.x$/);
  });

  test("ranges of quantifiers", () => {
    for (const v of many("a{2,4}b?c*d+")) expect(v).toMatch(/^a{2,4}b?c*d+$/);
    for (const v of many("x{3,}")) {
      expect(v.length).toBeGreaterThanOrEqual(3);
      expect(v.length).toBeLessThanOrEqual(13);
    }
  });

  test("groups, alternation, anchors, negated classes", () => {
    for (const v of many("^(foo|bar)-(?:[0-9]{2}|z)$")) expect(v).toMatch(/^(foo|bar)-(?:[0-9]{2}|z)$/);
    for (const v of many("[^a-z]{20}")) expect(v).toMatch(/^[^a-z]{20}$/);
    for (const v of many("(?i)[a-c]{3}")) expect(v).toMatch(/^[a-c]{3}$/);
  });

  test("class with escaped members and trailing dash", () => {
    for (const v of many("[\\w.-]{10}")) expect(v).toMatch(/^[\w.-]{10}$/);
  });

  test("empty pattern gives empty string", () => {
    expect(randomFromPattern("")).toBe("");
  });

  test("invalid patterns throw", () => {
    for (const p of ["[a-z", "(abc", "abc)", "*a", "[z-a]", "a{1001}", "\\q"]) {
      expect(() => randomFromPattern(p)).toThrow();
      expect(isGeneratablePattern(p)).toBe(false);
    }
    expect(isGeneratablePattern("[a-z0-9]{15}")).toBe(true);
  });
});
