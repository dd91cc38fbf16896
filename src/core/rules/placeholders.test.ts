import { describe, expect, test } from "bun:test";
import { ApiError } from "../api-error.ts";
import { compileFilter } from "./compile-filter.ts";
import { bindPlaceholders } from "./placeholders.ts";
import { testCollection, testDatabase, testSchema } from "./test-fixtures.ts";

describe("bindPlaceholders", () => {
  test("renders each kind of value", () => {
    expect(
      bindPlaceholders(`a = {:s} && b = {:n} && c = {:f} && d = {:t} && e = {:nil} && f = {:u} && g = {:o} && h = {:d} && i = {:missing}`, {
        s: `say "hi"`,
        n: 42,
        f: -1.5,
        t: true,
        nil: null,
        u: undefined,
        o: { a: [1, "x"] },
        d: new Date(Date.UTC(2026, 0, 2, 3, 4, 5, 6)),
      }),
    ).toBe(`a = "say \\"hi\\"" && b = 42 && c = -1.5 && d = true && e = null && f = null && g = "{\\"a\\":[1,\\"x\\"]}" && h = "2026-01-02 03:04:05.006Z" && i = {:missing}`);
    expect(bindPlaceholders(`a = {:n}`, { n: 1e21 })).toBe(`a = 1000000000000000000000`);
    expect(bindPlaceholders(`a = {:n}`, { n: 1e-7 })).toBe(`a = 0.0000001`);
    expect(bindPlaceholders(`a = {:n}`, { n: NaN })).toBe(`a = null`);
    expect(bindPlaceholders(`a = {:x}`, null)).toBe(`a = {:x}`);
  });
  test("bound strings round-trip through the parser and stay bound", () => {
    const db = testDatabase();
    const schema = testSchema();
    for (const s of [`Hello world`, `x" || title != "`, `it's`, `a\\b`, `"quoted"`, `100%`, `\\"`]) {
      const out = compileFilter(bindPlaceholders(`title = {:t}`, { t: s }), { schema, collection: testCollection("posts"), allowHiddenFields: true, client: false });
      expect(out.params).toEqual([s]);
      expect(db.query(`SELECT id FROM posts WHERE ${out.where}`).all(...out.params)).toHaveLength(s === "Hello world" ? 1 : 0);
    }
  });
  test("a text ending in a backslash cannot be written: 400", () => {
    expect(() => bindPlaceholders(`title = {:t}`, { t: `abc\\` })).toThrow(ApiError);
  });
});
