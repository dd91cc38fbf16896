import { describe, expect, test } from "bun:test";
import type { FieldOptionsContext, FieldValidateContext } from "./field-kind.ts";
import { castToNumber, numberField } from "./number.ts";
import { newField } from "./field-defaults.ts";

const ctx: FieldValidateContext = { isNew: true, original: 0, countExisting: () => 0 };
const optCtx: FieldOptionsContext = { collectionType: "base", findCollection: () => null, previous: null };

describe("number normalisation", () => {
  test("casts like Go cast.ToFloat64", () => {
    expect(castToNumber("12.5")).toBe(12.5);
    expect(castToNumber("-3")).toBe(-3);
    expect(castToNumber("1e3")).toBe(1000);
    expect(castToNumber(".5")).toBe(0.5);
    expect(castToNumber("")).toBe(0);
    expect(castToNumber("abc")).toBe(0);
    expect(castToNumber(" 12")).toBe(0);
    expect(castToNumber("12abc")).toBe(0);
    expect(castToNumber("1e400")).toBe(0);
    expect(castToNumber(null)).toBe(0);
    expect(castToNumber(undefined)).toBe(0);
    expect(castToNumber(true)).toBe(1);
    expect(castToNumber(false)).toBe(0);
    expect(castToNumber([1])).toBe(0);
    expect(castToNumber({})).toBe(0);
    expect(castToNumber("NaN")).toBeNaN();
    expect(castToNumber("Inf")).toBe(Infinity);
    expect(castToNumber("-infinity")).toBe(-Infinity);
    expect(castToNumber(10n)).toBe(10);
  });

  test("fromDb tolerates REAL, INTEGER, NULL and text", () => {
    const f = newField("number", "n");
    expect(numberField.fromDb(f, 123456.0)).toBe(123456);
    expect(numberField.fromDb(f, 7n)).toBe(7);
    expect(numberField.fromDb(f, null)).toBe(0);
    expect(numberField.fromDb(f, "2.5")).toBe(2.5);
    expect(numberField.fromDb(f, "junk")).toBe(0);
  });

  test("toDb/toJSON never emit NaN/Inf", () => {
    const f = newField("number", "n");
    expect(numberField.toDb(f, 1.5)).toBe(1.5);
    expect(numberField.toDb(f, NaN)).toBe(0);
    expect(numberField.toJSON(f, Infinity)).toBe(0);
    expect(numberField.columnType(f)).toBe("NUMERIC DEFAULT 0 NOT NULL");
  });
});

describe("number validation", () => {
  test("NaN and Infinity are rejected", () => {
    const f = newField("number", "n");
    for (const v of [NaN, Infinity, -Infinity]) {
      expect(numberField.validateValue(f, v, ctx)).toEqual({
        code: "validation_not_a_number", message: "The submitted number is not properly formatted.",
      });
    }
    expect(numberField.validateValue(f, "5", ctx)?.code).toBe("validation_invalid_value");
  });

  test("required means non-zero", () => {
    const f = newField("number", "n", { required: true });
    expect(numberField.validateValue(f, 0, ctx)?.code).toBe("validation_required");
    expect(numberField.validateValue(f, -1, ctx)).toBeNull();
  });

  test("zero skips min/max/onlyInt", () => {
    const f = newField("number", "n", { min: 5, max: 10, onlyInt: true });
    expect(numberField.validateValue(f, 0, ctx)).toBeNull();
  });

  test("min/max/onlyInt", () => {
    const f = newField("number", "n", { min: 5, max: 10.5, onlyInt: true });
    expect(numberField.validateValue(f, 4, ctx)).toEqual({
      code: "validation_min_number_constraint", message: "Must be larger than 5.", params: { min: 5 },
    });
    expect(numberField.validateValue(f, 11, ctx)).toEqual({
      code: "validation_max_number_constraint", message: "Must be less than 10.5.", params: { max: 10.5 },
    });
    expect(numberField.validateValue(f, 7.5, ctx)).toEqual({
      code: "validation_only_int_constraint", message: "Decimal numbers are not allowed.",
    });
    expect(numberField.validateValue(f, 5, ctx)).toBeNull();
    expect(numberField.validateValue(f, 10, ctx)).toBeNull();
    expect(numberField.validateValue(newField("number", "n", { min: -1 }), -0.5, ctx)).toBeNull();
  });
});

describe("number modifiers and options", () => {
  test("append adds, remove subtracts", () => {
    const f = newField("number", "n");
    expect(numberField.applyModifier!(f, 5, "append", 3)).toBe(8);
    expect(numberField.applyModifier!(f, 5, "append", "2.5")).toBe(7.5);
    expect(numberField.applyModifier!(f, 5, "remove", 7)).toBe(-2);
    expect(numberField.applyModifier!(f, 5, "prepend", 7)).toBe(5);
  });

  test("options", () => {
    expect(numberField.validateOptions(newField("number", "n"), optCtx)).toBeNull();
    expect(numberField.validateOptions(newField("number", "n", { min: 1, max: 2 }), optCtx)).toBeNull();
    expect(numberField.validateOptions(newField("number", "n", { min: 5, max: 2 }), optCtx)!.max?.code)
      .toBe("validation_min_greater_equal_than_required");
    expect(numberField.validateOptions(newField("number", "n", { min: 1.5, onlyInt: true }), optCtx)!.min?.code)
      .toBe("validation_only_int_constraint");
    expect(numberField.validateOptions(newField("number", "n", { min: "x" }), optCtx)!.min?.code).toBe("validation_invalid_value");
    expect(numberField.validateOptions(newField("number", "n", { max: NaN }), optCtx)!.max?.code).toBe("validation_invalid_value");
  });
});
