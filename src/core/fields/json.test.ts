import { describe, expect, test } from "bun:test";
import type { FieldOptionsContext, FieldValidateContext } from "./field-kind.ts";
import { jsonField, normalizeJsonInput } from "./json.ts";
import { newField } from "./field-defaults.ts";

const ctx: FieldValidateContext = { isNew: true, original: null, countExisting: () => 0 };
const optCtx: FieldOptionsContext = { collectionType: "base", findCollection: () => null, previous: null };
const f = newField("json", "meta");

describe("json normalisation", () => {
  test("strings that look like JSON are parsed", () => {
    expect(normalizeJsonInput("[1,2]")).toEqual([1, 2]);
    expect(normalizeJsonInput('{"a":1}')).toEqual({ a: 1 });
    expect(normalizeJsonInput("123")).toBe(123);
    expect(normalizeJsonInput("-1.5")).toBe(-1.5);
    expect(normalizeJsonInput('"quoted"')).toBe("quoted");
    expect(normalizeJsonInput("null")).toBeNull();
    expect(normalizeJsonInput("true")).toBe(true);
    expect(normalizeJsonInput("false")).toBe(false);
  });

  test("other strings stay strings", () => {
    expect(normalizeJsonInput("")).toBe("");
    expect(normalizeJsonInput("hello")).toBe("hello");
    expect(normalizeJsonInput("[1,")).toBe("[1,");
    expect(normalizeJsonInput("-abc")).toBe("-abc");
    expect(normalizeJsonInput(" [1]")).toBe(" [1]");
    expect(normalizeJsonInput("True")).toBe("True");
  });

  test("non-strings are kept", () => {
    expect(normalizeJsonInput({ a: [1] })).toEqual({ a: [1] });
    expect(normalizeJsonInput([1, "x"])).toEqual([1, "x"]);
    expect(normalizeJsonInput(5)).toBe(5);
    expect(normalizeJsonInput(null)).toBeNull();
    expect(normalizeJsonInput(undefined)).toBeNull();
  });
});

describe("json storage", () => {
  test("fromDb tolerates NULL, pretty JSON and 'null' text", () => {
    expect(jsonField.fromDb(f, null)).toBeNull();
    expect(jsonField.fromDb(f, "null")).toBeNull();
    expect(jsonField.fromDb(f, "[\n  1,\n  2,\n  3\n]")).toEqual([1, 2, 3]);
    expect(jsonField.fromDb(f, '{"a": {"b": "test"}}')).toEqual({ a: { b: "test" } });
    expect(jsonField.fromDb(f, "")).toBeNull();
    expect(jsonField.fromDb(f, "not json")).toBe("not json");
    expect(jsonField.fromDb(f, 5)).toBe(5);
  });

  test("toDb, toJSON, column", () => {
    expect(jsonField.toDb(f, null)).toBeNull();
    expect(jsonField.toDb(f, { a: 1 })).toBe('{"a":1}');
    expect(jsonField.toDb(f, "s")).toBe('"s"');
    expect(jsonField.toDb(f, false)).toBe("false");
    expect(jsonField.toJSON(f, null)).toBeNull();
    expect(jsonField.toJSON(f, [1])).toEqual([1]);
    expect(jsonField.columnType(f)).toBe("JSON DEFAULT NULL");
    expect(jsonField.zero(f)).toBeNull();
  });
});

describe("json validation", () => {
  test("required rejects null, empty string, empty array and object", () => {
    const r = newField("json", "meta", { required: true });
    for (const v of [null, "", [], {}]) expect(jsonField.validateValue(r, v, ctx)?.code).toBe("validation_required");
    for (const v of [0, false, "x", [0], { a: null }]) expect(jsonField.validateValue(r, v, ctx)).toBeNull();
    expect(jsonField.validateValue(f, null, ctx)).toBeNull();
  });

  test("invalid values", () => {
    for (const v of [NaN, Infinity, [1, NaN], { a: undefined }, () => 1, 10n, new Date(), new Map()]) {
      expect(jsonField.validateValue(f, v, ctx)).toEqual({ code: "validation_invalid_json", message: "Must be a valid json value." });
    }
  });

  test("size limit in serialized bytes, default 1 MiB", () => {
    const small = newField("json", "m", { maxSize: 10 });
    expect(jsonField.validateValue(small, "12345678", ctx)).toBeNull(); // "12345678" with quotes = 10 bytes
    expect(jsonField.validateValue(small, "123456789", ctx)).toEqual({
      code: "validation_json_size_limit", message: "The maximum allowed JSON size is 10 bytes.", params: { maxSize: 10 },
    });
    expect(jsonField.validateValue(f, "x".repeat(1048576 - 2), ctx)).toBeNull();
    expect(jsonField.validateValue(f, "x".repeat(1048576), ctx)?.code).toBe("validation_json_size_limit");
  });

  test("options", () => {
    expect(jsonField.validateOptions(f, optCtx)).toBeNull();
    expect(jsonField.validateOptions(newField("json", "m", { maxSize: -1 }), optCtx)!.maxSize?.code).toBe("validation_min_greater_equal_than_required");
  });
});
