import { describe, expect, test } from "bun:test";
import type { FieldOptionsContext, FieldValidateContext } from "./field-kind.ts";
import { dateField } from "./date.ts";
import { autodateField } from "./autodate.ts";
import { newField } from "./field-defaults.ts";

const ctx: FieldValidateContext = { isNew: true, original: "", countExisting: () => 0 };
const optCtx: FieldOptionsContext = { collectionType: "base", findCollection: () => null, previous: null };

describe("date", () => {
  test("normalises to PocketBase's format, invalid → empty", () => {
    const f = newField("date", "d");
    expect(dateField.normalize(f, "2024-01-02 03:04:05.123Z")).toBe("2024-01-02 03:04:05.123Z");
    expect(dateField.normalize(f, "2024-01-02T03:04:05Z")).toBe("2024-01-02 03:04:05.000Z");
    expect(dateField.normalize(f, "2024-01-02T05:04:05+02:00")).toBe("2024-01-02 03:04:05.000Z");
    expect(dateField.normalize(f, "2024-01-02")).toBe("2024-01-02 00:00:00.000Z");
    expect(dateField.normalize(f, 0)).toBe("1970-01-01 00:00:00.000Z");
    expect(dateField.normalize(f, "not a date")).toBe("");
    expect(dateField.normalize(f, "2024-13-45")).toBe("");
    expect(dateField.normalize(f, null)).toBe("");
    expect(dateField.normalize(f, NaN)).toBe("");
    expect(dateField.normalize(f, {})).toBe("");
    expect(dateField.fromDb(f, "2022-10-01 12:00:00.000Z")).toBe("2022-10-01 12:00:00.000Z");
    expect(dateField.fromDb(f, "")).toBe("");
    expect(dateField.fromDb(f, null)).toBe("");
    expect(dateField.toJSON(f, "")).toBe("");
    expect(dateField.columnType(f)).toBe("TEXT DEFAULT '' NOT NULL");
  });

  test("required", () => {
    const f = newField("date", "d", { required: true });
    expect(dateField.validateValue(f, "", ctx)?.code).toBe("validation_required");
    expect(dateField.validateValue(f, "2024-01-01 00:00:00.000Z", ctx)).toBeNull();
    expect(dateField.validateValue(newField("date", "d"), "", ctx)).toBeNull();
  });

  test("min/max are inclusive", () => {
    const f = newField("date", "d", { min: "2024-01-01 00:00:00.000Z", max: "2024-12-31 00:00:00.000Z" });
    expect(dateField.validateValue(f, "2024-01-01 00:00:00.000Z", ctx)).toBeNull();
    expect(dateField.validateValue(f, "2024-12-31 00:00:00.000Z", ctx)).toBeNull();
    expect(dateField.validateValue(f, "2023-12-31 23:59:59.999Z", ctx)).toEqual({
      code: "validation_min_date_constraint", message: "Must be no less than 2024-01-01 00:00:00.000Z.",
      params: { min: "2024-01-01 00:00:00.000Z" },
    });
    expect(dateField.validateValue(f, "2024-12-31 00:00:00.001Z", ctx)?.code).toBe("validation_max_date_constraint");
  });

  test("options", () => {
    expect(dateField.validateOptions(newField("date", "d"), optCtx)).toBeNull();
    expect(dateField.validateOptions(newField("date", "d", { min: "garbage" }), optCtx)!.min?.code).toBe("validation_invalid_date");
    expect(dateField.validateOptions(newField("date", "d", { min: "2024-02-01", max: "2024-01-01" }), optCtx)!.max?.code)
      .toBe("validation_min_greater_equal_than_required");
  });
});

describe("autodate", () => {
  const created = newField("autodate", "created", { onCreate: true });
  const updated = newField("autodate", "updated", { onCreate: true, onUpdate: true });
  const now = "2024-05-01 10:11:12.345Z";

  test("prepare sets now on the configured events", () => {
    expect(autodateField.prepare!(created, "", { isNew: true, now })).toBe(now);
    expect(autodateField.prepare!(created, "2020-01-01 00:00:00.000Z", { isNew: false, now })).toBe("2020-01-01 00:00:00.000Z");
    expect(autodateField.prepare!(updated, "2020-01-01 00:00:00.000Z", { isNew: false, now })).toBe(now);
    const onlyUpdate = newField("autodate", "u", { onUpdate: true });
    expect(autodateField.prepare!(onlyUpdate, "", { isNew: true, now })).toBe("");
  });

  test("value is never invalid; storage", () => {
    expect(autodateField.validateValue(created, "garbage", ctx)).toBeNull();
    expect(autodateField.columnType(created)).toBe("TEXT DEFAULT '' NOT NULL");
    expect(autodateField.fromDb(created, "2024-05-01 10:11:12.345Z")).toBe("2024-05-01 10:11:12.345Z");
    expect(autodateField.normalize(created, "junk")).toBe("");
  });

  test("options need onCreate or onUpdate", () => {
    expect(autodateField.validateOptions(created, optCtx)).toBeNull();
    const errs = autodateField.validateOptions(newField("autodate", "x"), optCtx)!;
    expect(errs.onCreate?.code).toBe("validation_required");
    expect(errs.onUpdate?.code).toBe("validation_required");
  });

  test("system autodate triggers cannot change", () => {
    const sys = { ...updated, system: true };
    const changed = { ...sys, onUpdate: false };
    expect(autodateField.validateOptions(changed, { ...optCtx, previous: sys })!.onUpdate?.code).toBe("validation_system_field_change");
    expect(autodateField.validateOptions(sys, { ...optCtx, previous: sys })).toBeNull();
  });
});
