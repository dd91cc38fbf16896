import { describe, expect, test } from "bun:test";
import type { FieldOptionsContext, FieldValidateContext } from "./field-kind.ts";
import { selectField, toUniqueStringList } from "./select.ts";
import { newField } from "./field-defaults.ts";

const ctx: FieldValidateContext = { isNew: true, original: "", countExisting: () => 0 };
const optCtx: FieldOptionsContext = { collectionType: "base", findCollection: () => null, previous: null };
const single = newField("select", "one", { values: ["a", "b", "c"], maxSelect: 1 });
const multi = newField("select", "many", { values: ["a", "b", "c", "d"], maxSelect: 3 });

describe("toUniqueStringList", () => {
  test("casts like PocketBase", () => {
    expect(toUniqueStringList(null)).toEqual([]);
    expect(toUniqueStringList("")).toEqual([]);
    expect(toUniqueStringList("a")).toEqual(["a"]);
    expect(toUniqueStringList('["a","b","a",""]')).toEqual(["a", "b"]);
    expect(toUniqueStringList("[not json")).toEqual(["[not json"]);
    expect(toUniqueStringList("[1,2]")).toEqual(["[1,2]"]);
    expect(toUniqueStringList("[1,2]", true)).toEqual(["1", "2"]);
    expect(toUniqueStringList(["b", "a", "b", "", null, 5, true])).toEqual(["b", "a", "5", "true"]);
    expect(toUniqueStringList(7)).toEqual(["7"]);
    expect(toUniqueStringList({ a: 1 })).toEqual([]);
  });

  test("the fast paths give what the general path gives", () => {
    // already clean lists come back as a copy, never the caller's array
    const clean = ["x", "y", "z"];
    const out = toUniqueStringList(clean);
    expect(out).toEqual(clean);
    expect(out).not.toBe(clean);
    out.push("w");
    expect(clean).toEqual(["x", "y", "z"]);
    // duplicates and blanks found late, in arrays and in stored JSON
    expect(toUniqueStringList(["a", "b", "c", "a"])).toEqual(["a", "b", "c"]);
    expect(toUniqueStringList('["a","b",""]', true)).toEqual(["a", "b"]);
    expect(toUniqueStringList('["a",null,"b"]')).toEqual(["a", "b"]);
    // long lists go the general way
    const long = Array.from({ length: 40 }, (_, i) => `v${i % 30}`);
    expect(toUniqueStringList(long)).toEqual(Array.from({ length: 30 }, (_, i) => `v${i}`));
    expect(toUniqueStringList(JSON.stringify(long), true)).toEqual(Array.from({ length: 30 }, (_, i) => `v${i}`));
    // a plain id with no bracket is one value
    expect(toUniqueStringList("abc123")).toEqual(["abc123"]);
  });
});

describe("select normalisation and storage", () => {
  test("single keeps the last value", () => {
    expect(selectField.normalize(single, ["a", "b"])).toBe("b");
    expect(selectField.normalize(single, "c")).toBe("c");
    expect(selectField.normalize(single, null)).toBe("");
    expect(selectField.normalize(single, [])).toBe("");
  });

  test("multiple is a unique array", () => {
    expect(selectField.normalize(multi, "a")).toEqual(["a"]);
    expect(selectField.normalize(multi, ["a", "a", "", "b"])).toEqual(["a", "b"]);
    expect(selectField.normalize(multi, null)).toEqual([]);
  });

  test("columns and zero values", () => {
    expect(selectField.columnType(single)).toBe("TEXT DEFAULT '' NOT NULL");
    expect(selectField.columnType(multi)).toBe("JSON DEFAULT '[]' NOT NULL");
    expect(selectField.columnType(newField("select", "s", { values: ["a"] }))).toBe("TEXT DEFAULT '' NOT NULL");
    expect(selectField.isMultiple(single)).toBe(false);
    expect(selectField.isMultiple(multi)).toBe(true);
    expect(selectField.zero(single)).toBe("");
    expect(selectField.zero(multi)).toEqual([]);
  });

  test("fromDb tolerates legacy storage", () => {
    expect(selectField.fromDb(single, '["a","b"]')).toBe("b");
    expect(selectField.fromDb(single, "a")).toBe("a");
    expect(selectField.fromDb(single, null)).toBe("");
    expect(selectField.fromDb(multi, '["b","c","a"]')).toEqual(["b", "c", "a"]);
    expect(selectField.fromDb(multi, "a")).toEqual(["a"]);
    expect(selectField.fromDb(multi, "")).toEqual([]);
    expect(selectField.fromDb(multi, null)).toEqual([]);
    expect(selectField.fromDb(multi, "[]")).toEqual([]);
  });

  test("toDb and toJSON", () => {
    expect(selectField.toDb(multi, ["a", "b"])).toBe('["a","b"]');
    expect(selectField.toDb(multi, [])).toBe("[]");
    expect(selectField.toDb(single, "a")).toBe("a");
    expect(selectField.toJSON(single, "a")).toBe("a");
    expect(selectField.toJSON(multi, ["a"])).toEqual(["a"]);
  });
});

describe("select validation", () => {
  test("required", () => {
    expect(selectField.validateValue({ ...single, required: true }, "", ctx)?.code).toBe("validation_required");
    expect(selectField.validateValue({ ...multi, required: true }, [], ctx)?.code).toBe("validation_required");
    expect(selectField.validateValue(single, "", ctx)).toBeNull();
  });

  test("too many values", () => {
    expect(selectField.validateValue(multi, ["a", "b", "c", "d"], ctx)).toEqual({
      code: "validation_too_many_values", message: "Select no more than 3.", params: { maxSelect: 3 },
    });
    expect(selectField.validateValue(single, ["a", "b"], ctx)?.params).toEqual({ maxSelect: 1 });
  });

  test("values must be allowed", () => {
    expect(selectField.validateValue(single, "z", ctx)).toEqual({
      code: "validation_invalid_value", message: "Invalid value z.", params: { value: "z" },
    });
    expect(selectField.validateValue(multi, ["a", "x"], ctx)?.params).toEqual({ value: "x" });
    expect(selectField.validateValue(multi, ["a", "b", "c"], ctx)).toBeNull();
  });
});

describe("select modifiers", () => {
  test("append/prepend/remove on multiple", () => {
    expect(selectField.applyModifier!(multi, ["a"], "append", ["b", "a"])).toEqual(["a", "b"]);
    expect(selectField.applyModifier!(multi, ["a"], "prepend", "c")).toEqual(["c", "a"]);
    expect(selectField.applyModifier!(multi, ["a", "b", "c"], "remove", ["a", "c"])).toEqual(["b"]);
    expect(selectField.applyModifier!(multi, ["a"], "remove", "zz")).toEqual(["a"]);
  });

  test("on single, append replaces and remove clears", () => {
    expect(selectField.applyModifier!(single, "a", "append", "b")).toBe("b");
    expect(selectField.applyModifier!(single, "a", "prepend", "b")).toBe("a");
    expect(selectField.applyModifier!(single, "a", "remove", "a")).toBe("");
  });
});

describe("select options", () => {
  test("values required, maxSelect within 0..len(values)", () => {
    expect(selectField.validateOptions(single, optCtx)).toBeNull();
    expect(selectField.validateOptions(newField("select", "s"), optCtx)!.values?.code).toBe("validation_required");
    expect(selectField.validateOptions(newField("select", "s", { values: ["a", ""] }), optCtx)!.values?.code).toBe("validation_required");
    expect(selectField.validateOptions(newField("select", "s", { values: ["a", "b"], maxSelect: 3 }), optCtx)!.maxSelect?.code)
      .toBe("validation_max_less_equal_than_required");
    expect(selectField.validateOptions(newField("select", "s", { values: ["a"], maxSelect: -1 }), optCtx)!.maxSelect?.code)
      .toBe("validation_min_greater_equal_than_required");
  });
});
