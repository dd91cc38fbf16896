import { describe, expect, test } from "bun:test";
import type { FieldOptionsContext, FieldValidateContext } from "./field-kind.ts";
import { fileField, fileMaxSize, isValidThumbSize } from "./file.ts";
import { newField } from "./field-defaults.ts";

const ctx: FieldValidateContext = { isNew: true, original: "", countExisting: () => 0 };
const optCtx: FieldOptionsContext = { collectionType: "base", findCollection: () => null, previous: null };
const single = newField("file", "avatar", { maxSelect: 1 });
const multi = newField("file", "files", { maxSelect: 2 });

describe("file", () => {
  test("values are file names", () => {
    expect(fileField.normalize(single, ["a.png", "b.png"])).toBe("b.png");
    expect(fileField.normalize(multi, "a.png")).toEqual(["a.png"]);
    expect(fileField.fromDb(multi, '["test_QZFjKjXchk.txt","300_WlbFWSGmW9.png"]')).toEqual(["test_QZFjKjXchk.txt", "300_WlbFWSGmW9.png"]);
    expect(fileField.fromDb(multi, "[]")).toEqual([]);
    expect(fileField.fromDb(single, "300_1SEi6Q6U72.png")).toBe("300_1SEi6Q6U72.png");
    expect(fileField.fromDb(single, '["x.png"]')).toBe("x.png");
    expect(fileField.fromDb(multi, null)).toEqual([]);
    expect(fileField.toDb(multi, ["a.png"])).toBe('["a.png"]');
    expect(fileField.columnType(single)).toBe("TEXT DEFAULT '' NOT NULL");
    expect(fileField.columnType(multi)).toBe("JSON DEFAULT '[]' NOT NULL");
    expect(fileMaxSize(single)).toBe(5242880);
  });

  test("modifiers", () => {
    expect(fileField.applyModifier!(multi, ["a.png"], "prepend", "b.png")).toEqual(["b.png", "a.png"]);
    expect(fileField.applyModifier!(multi, ["a.png", "b.png"], "remove", "a.png")).toEqual(["b.png"]);
  });

  test("required and count", () => {
    expect(fileField.validateValue({ ...single, required: true }, "", ctx)?.code).toBe("validation_required");
    const stored = { ...ctx, isNew: false, original: ["a", "b", "c"] };
    expect(fileField.validateValue(multi, ["a", "b"], stored)).toBeNull();
    expect(fileField.validateValue(multi, ["a", "b", "c"], stored)).toEqual({
      code: "validation_too_many_files", message: "The maximum allowed files is 2.", params: { maxSelect: 2 },
    });
  });

  test("thumb sizes", () => {
    for (const t of ["70x50", "70x50t", "70x50b", "70x50f", "0x50", "70x0"]) expect(isValidThumbSize(t)).toBe(true);
    for (const t of ["0x0", "0x0t", "70x50x", "x50", "70", "70X50", "-1x5"]) expect(isValidThumbSize(t)).toBe(false);
  });

  test("options", () => {
    const fixture = newField("file", "avatar", {
      maxSelect: 1, maxSize: 5242880,
      mimeTypes: ["image/jpg", "image/jpeg", "image/png", "image/svg+xml", "image/gif"],
      thumbs: ["70x50", "70x50t", "70x50b", "70x50f", "0x50", "70x0"],
    });
    expect(fileField.validateOptions(fixture, optCtx)).toBeNull();
    expect(fileField.validateOptions(newField("file", "f"), optCtx)).toBeNull();
    expect(fileField.validateOptions(newField("file", "f", { thumbs: ["100x100", "0x0"] }), optCtx)!.thumbs).toMatchObject({
      code: "validation_invalid_value", params: { index: 1 },
    });
    expect(fileField.validateOptions(newField("file", "f", { maxSize: -5 }), optCtx)!.maxSize?.code).toBe("validation_min_greater_equal_than_required");
    expect(fileField.validateOptions(newField("file", "f", { mimeTypes: "image/png" }), optCtx)!.mimeTypes?.code).toBe("validation_invalid_value");
  });
});
