import { describe, expect, test } from "bun:test";
import type { FieldOptionsContext, FieldValidateContext } from "./field-kind.ts";
import { castToString, formatPlainNumber, runeLength, textField } from "./text.ts";
import { newField } from "./field-defaults.ts";

const createCtx: FieldValidateContext = { isNew: true, original: "", countExisting: () => 0 };
const updateCtx = (original: string): FieldValidateContext => ({ isNew: false, original, countExisting: () => 0 });
const optCtx: FieldOptionsContext = { collectionType: "base", findCollection: () => null, previous: null };

const idField = newField("text", "id", {
  system: true, primaryKey: true, required: true, min: 15, max: 15,
  pattern: "^[a-z0-9]+$", autogeneratePattern: "[a-z0-9]{15}",
});

describe("text normalisation", () => {
  test("casts like Go cast.ToString", () => {
    expect(textField.normalize(newField("text", "t"), 123)).toBe("123");
    expect(textField.normalize(newField("text", "t"), 1.5)).toBe("1.5");
    expect(textField.normalize(newField("text", "t"), null)).toBe("");
    expect(textField.normalize(newField("text", "t"), undefined)).toBe("");
    expect(textField.normalize(newField("text", "t"), true)).toBe("true");
    expect(textField.normalize(newField("text", "t"), { a: 1 })).toBe("");
    expect(textField.normalize(newField("text", "t"), ["a"])).toBe("");
    expect(castToString(1e21)).toBe("1000000000000000000000");
    expect(castToString(1e-7)).toBe("0.0000001");
    expect(formatPlainNumber(-1.5e-9)).toBe("-0.0000000015");
    expect(formatPlainNumber(1.2345e25)).toBe("12345000000000000000000000");
  });

  test("fromDb tolerates NULL and numbers", () => {
    const f = newField("text", "t");
    expect(textField.fromDb(f, null)).toBe("");
    expect(textField.fromDb(f, 42)).toBe("42");
    expect(textField.fromDb(f, "x")).toBe("x");
    expect(textField.toJSON(f, "x")).toBe("x");
    expect(textField.toDb(f, "x")).toBe("x");
  });

  test("column types", () => {
    expect(textField.columnType(newField("text", "t"))).toBe("TEXT DEFAULT '' NOT NULL");
    expect(textField.columnType(idField)).toBe("TEXT PRIMARY KEY DEFAULT ('r'||lower(hex(randomblob(7)))) NOT NULL");
  });
});

describe("text validation", () => {
  test("required", () => {
    const f = newField("text", "t", { required: true });
    expect(textField.validateValue(f, "", createCtx)).toEqual({ code: "validation_required", message: "Cannot be blank." });
    expect(textField.validateValue(f, "a", createCtx)).toBeNull();
    expect(textField.validateValue(newField("text", "t"), "", createCtx)).toBeNull();
  });

  test("wrong type", () => {
    expect(textField.validateValue(newField("text", "t"), 5, createCtx)?.code).toBe("validation_invalid_value");
  });

  test("min/max count runes", () => {
    const f = newField("text", "t", { min: 3, max: 5 });
    expect(textField.validateValue(f, "ab", createCtx)).toEqual({
      code: "validation_min_text_constraint", message: "Must be at least 3 character(s).", params: { min: 3 },
    });
    expect(textField.validateValue(f, "abcdef", createCtx)).toEqual({
      code: "validation_max_text_constraint", message: "Must be less than 5 character(s).", params: { max: 5 },
    });
    expect(textField.validateValue(f, "😀😀😀😀😀", createCtx)).toBeNull();
    expect(textField.validateValue(f, "é😀", createCtx)?.code).toBe("validation_min_text_constraint");
    expect(runeLength("a😀b")).toBe(3);
    expect(runeLength("😀".repeat(10), 4)).toBeGreaterThan(4);
  });

  test("max 0 means 5000 runes; a 10 MB string is rejected quickly", () => {
    const f = newField("text", "t");
    expect(textField.validateValue(f, "x".repeat(5000), createCtx)).toBeNull();
    expect(textField.validateValue(f, "😀".repeat(5000), createCtx)).toBeNull();
    expect(textField.validateValue(f, "x".repeat(5001), createCtx)?.params).toEqual({ max: 5000 });
    const start = performance.now();
    expect(textField.validateValue(f, "x".repeat(10 * 1024 * 1024), createCtx)?.code).toBe("validation_max_text_constraint");
    expect(performance.now() - start).toBeLessThan(500);
  });

  test("pattern", () => {
    const f = newField("text", "t", { pattern: "^[a-z]+$" });
    expect(textField.validateValue(f, "abc", createCtx)).toBeNull();
    expect(textField.validateValue(f, "Abc", createCtx)).toEqual({ code: "validation_invalid_format", message: "Invalid value format." });
    expect(textField.validateValue(f, "", createCtx)).toBeNull();
    const insensitive = newField("text", "t", { pattern: "(?i)^[a-z]+\\z" });
    expect(textField.validateValue(insensitive, "ABC", createCtx)).toBeNull();
    const username = newField("text", "username", { pattern: "^[\\w][\\w\\.\\-]*$" });
    expect(textField.validateValue(username, "john.doe-1", createCtx)).toBeNull();
    expect(textField.validateValue(username, ".john", createCtx)?.code).toBe("validation_invalid_format");
  });

  test("primary key: default pattern", () => {
    expect(textField.validateValue(idField, "abcdefghij12345", createCtx)).toBeNull();
    expect(textField.validateValue(idField, "", createCtx)?.code).toBe("validation_required");
    expect(textField.validateValue(idField, "ABCDEFGHIJ12345", createCtx)?.code).toBe("validation_invalid_format");
    expect(textField.validateValue(idField, "abc", createCtx)?.code).toBe("validation_min_text_constraint");
  });

  test("primary key: custom pattern checks forbidden characters and reserved names", () => {
    const f = { ...idField, pattern: "^.+$", min: 1, max: 100 };
    expect(textField.validateValue(f, "a.b", createCtx)?.code).toBe("validation_forbidden_pk_character");
    expect(textField.validateValue(f, "a b", createCtx)?.code).toBe("validation_forbidden_pk_character");
    expect(textField.validateValue(f, "a$b", createCtx)?.code).toBe("validation_forbidden_pk_character");
    expect(textField.validateValue(f, "CON", createCtx)?.code).toBe("validation_reserved_pk");
    expect(textField.validateValue(f, "lpt9", createCtx)?.code).toBe("validation_reserved_pk");
    expect(textField.validateValue(f, "lpt10", createCtx)).toBeNull();
    expect(textField.validateValue(f, "Hello-World", createCtx)).toBeNull();
  });

  test("primary key cannot change on update", () => {
    expect(textField.validateValue(idField, "abcdefghij12345", updateCtx("abcdefghij12345"))).toBeNull();
    expect(textField.validateValue(idField, "zzzzzzzzzz12345", updateCtx("abcdefghij12345"))?.code).toBe("validation_pk_change");
  });
});

describe("text prepare and modifiers", () => {
  test("autogenerates on create when empty", () => {
    const v = textField.prepare!(idField, "", { isNew: true, now: "" });
    expect(v).toMatch(/^[a-z0-9]{15}$/);
    expect(textField.prepare!(idField, "given", { isNew: true, now: "" })).toBe("given");
    expect(textField.prepare!(idField, "", { isNew: false, now: "" })).toBe("");
    expect(textField.prepare!(newField("text", "t"), "", { isNew: true, now: "" })).toBe("");
  });

  test("autogenerate modifier appends to the given prefix", () => {
    const f = newField("text", "username", { autogeneratePattern: "[0-9]{5}" });
    expect(textField.applyModifier!(f, "old", "autogenerate", "user")).toMatch(/^user[0-9]{5}$/);
    expect(textField.applyModifier!(f, "old", "autogenerate", null)).toMatch(/^[0-9]{5}$/);
    expect(textField.applyModifier!(f, "old", "append", "x")).toBe("old");
  });
});

describe("text options", () => {
  test("valid configs", () => {
    expect(textField.validateOptions(newField("text", "title"), optCtx)).toBeNull();
    expect(textField.validateOptions(idField, optCtx)).toBeNull();
    expect(textField.validateOptions(newField("text", "tokenKey", { min: 30, max: 60, autogeneratePattern: "[a-zA-Z0-9_]{50}" }), optCtx)).toBeNull();
    expect(textField.validateOptions(newField("text", "t", { min: 10, max: 0 }), optCtx)).toBeNull();
  });

  test("bad min/max/pattern", () => {
    const errs = textField.validateOptions(newField("text", "t", { min: -1, max: 0, pattern: "([a-z" }), optCtx)!;
    expect(errs.min?.code).toBe("validation_min_greater_equal_than_required");
    expect(errs.pattern?.code).toBe("validation_invalid_regex");
    const errs2 = textField.validateOptions(newField("text", "t", { min: 10, max: 5 }), optCtx)!;
    expect(errs2.max?.code).toBe("validation_min_greater_equal_than_required");
    expect(errs2.max?.params).toEqual({ threshold: 10 });
    expect(textField.validateOptions(newField("text", "t", { min: 1.5 }), optCtx)!.min?.code).toBe("validation_invalid_value");
  });

  test("autogenerate pattern must produce valid values", () => {
    const errs = textField.validateOptions(newField("text", "t", { max: 5, autogeneratePattern: "[a-z]{10}" }), optCtx)!;
    expect(errs.autogeneratePattern?.code).toBe("validation_invalid_autogenerate_pattern_value");
    expect(textField.validateOptions(newField("text", "t", { autogeneratePattern: "[a-z" }), optCtx)!.autogeneratePattern?.code)
      .toBe("validation_invalid_regex");
  });

  test("primary key rules", () => {
    const errs = textField.validateOptions({ ...idField, name: "code", hidden: true, required: false, pattern: "" }, optCtx)!;
    expect(errs.name?.code).toBe("validation_in_invalid");
    expect(errs.hidden?.code).toBe("validation_empty");
    expect(errs.required?.code).toBe("validation_required");
    expect(errs.pattern?.code).toBe("validation_required");
  });

  test("common name rules apply", () => {
    expect(textField.validateOptions(newField("text", "expand"), optCtx)!.name?.code).toBe("validation_not_in_invalid");
  });
});
