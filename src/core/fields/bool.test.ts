import { describe, expect, test } from "bun:test";
import type { FieldValidateContext } from "./field-kind.ts";
import { boolField, castToBool } from "./bool.ts";
import { newField } from "./field-defaults.ts";

const ctx: FieldValidateContext = { isNew: true, original: false, countExisting: () => 0 };

describe("bool", () => {
  test("casts like Go cast.ToBool", () => {
    for (const v of [true, 1, -2, 0.5, "1", "t", "T", "true", "TRUE", "True", 1n]) expect(castToBool(v)).toBe(true);
    for (const v of [false, 0, NaN, "", "0", "f", "false", "yes", "on", "tRuE", null, undefined, {}, [], 0n]) {
      expect(castToBool(v)).toBe(false);
    }
  });

  test("fromDb tolerates 0/1/NULL/text", () => {
    const f = newField("bool", "b");
    expect(boolField.fromDb(f, 1)).toBe(true);
    expect(boolField.fromDb(f, 0)).toBe(false);
    expect(boolField.fromDb(f, null)).toBe(false);
    expect(boolField.fromDb(f, "true")).toBe(true);
    expect(boolField.fromDb(f, 1n)).toBe(true);
  });

  test("storage and JSON", () => {
    const f = newField("bool", "b");
    expect(boolField.toDb(f, true)).toBe(1);
    expect(boolField.toDb(f, false)).toBe(0);
    expect(boolField.toJSON(f, true)).toBe(true);
    expect(boolField.columnType(f)).toBe("BOOLEAN DEFAULT FALSE NOT NULL");
    expect(boolField.zero(f)).toBe(false);
  });

  test("required means true", () => {
    const f = newField("bool", "b", { required: true });
    expect(boolField.validateValue(f, false, ctx)).toEqual({ code: "validation_required", message: "Cannot be blank." });
    expect(boolField.validateValue(f, true, ctx)).toBeNull();
    expect(boolField.validateValue(newField("bool", "b"), false, ctx)).toBeNull();
    expect(boolField.validateValue(f, "true", ctx)?.code).toBe("validation_invalid_value");
  });
});
