import { describe, expect, test } from "bun:test";
import { sanitizeIdentifier, snakecase } from "./inflector.ts";

describe("snakecase", () => {
  test("file base names", () => {
    expect(snakecase("Hello World")).toBe("hello_world");
    expect(snakecase("Hello World.png")).toBe("hello_world_png");
    expect(snakecase("my-photo (1)")).toBe("my_photo_1");
    expect(snakecase("IMG_2024-01-02 at 10.30.15")).toBe("img_2024_01_02_at_10_30_15");
  });

  test("camelCase boundaries", () => {
    expect(snakecase("fooBar")).toBe("foo_bar");
    expect(snakecase("FooBar")).toBe("foo_bar");
    expect(snakecase("fooBarBaz")).toBe("foo_bar_baz");
    expect(snakecase("foo1Bar")).toBe("foo1_bar");
    expect(snakecase("HTTPServer")).toBe("httpserver");
    expect(snakecase("myHTTPServer")).toBe("my_httpserver");
    expect(snakecase("ABC")).toBe("abc");
  });

  test("underscores and separators collapse and are trimmed", () => {
    expect(snakecase("__x__")).toBe("x");
    expect(snakecase("a__b")).toBe("a_b");
    expect(snakecase("  --a  b--  ")).toBe("a_b");
    expect(snakecase("foo_Bar")).toBe("foo_bar");
    expect(snakecase("")).toBe("");
    expect(snakecase("!!!")).toBe("");
  });

  test("non-ASCII characters are separators", () => {
    expect(snakecase("café crème")).toBe("caf_cr_me");
    expect(snakecase("日本語")).toBe("");
    expect(snakecase("photo😀Final")).toBe("photo_final");
    expect(snakecase("ÀbcDef")).toBe("bc_def");
  });
});

describe("sanitizeIdentifier", () => {
  test("keeps only [\\w.*\\-@#]", () => {
    expect(sanitizeIdentifier("title")).toBe("title");
    expect(sanitizeIdentifier("a.b*c-d@e#f_g")).toBe("a.b*c-d@e#f_g");
    expect(sanitizeIdentifier("name; DROP TABLE x--")).toBe("nameDROPTABLEx--");
    expect(sanitizeIdentifier('`"[x]"`')).toBe("x");
    expect(sanitizeIdentifier("é ü 1")).toBe("1");
    expect(sanitizeIdentifier("")).toBe("");
  });
});
