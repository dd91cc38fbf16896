import { describe, expect, test } from "bun:test";
import type { FieldOptionsContext, FieldValidateContext } from "./field-kind.ts";
import { editorField } from "./editor.ts";
import { newField } from "./field-defaults.ts";

const ctx: FieldValidateContext = { isNew: true, original: "", countExisting: () => 0 };
const optCtx: FieldOptionsContext = { collectionType: "base", findCollection: () => null, previous: null };

describe("editor", () => {
  test("normalise", () => {
    const f = newField("editor", "e");
    expect(editorField.normalize(f, "<p>x</p>")).toBe("<p>x</p>");
    expect(editorField.normalize(f, null)).toBe("");
    expect(editorField.fromDb(f, null)).toBe("");
  });

  test("required", () => {
    expect(editorField.validateValue(newField("editor", "e", { required: true }), "", ctx)?.code).toBe("validation_required");
  });

  test("size limit counts bytes, default 5 MiB", () => {
    const f = newField("editor", "e", { maxSize: 10 });
    expect(editorField.validateValue(f, "0123456789", ctx)).toBeNull();
    expect(editorField.validateValue(f, "ééééé", ctx)).toBeNull();
    expect(editorField.validateValue(f, "éééééé", ctx)).toEqual({
      code: "validation_content_size_limit", message: "The maximum allowed content size is 10 bytes.", params: { maxSize: 10 },
    });
    const def = newField("editor", "e");
    expect(editorField.validateValue(def, "x".repeat(5 * 1024 * 1024), ctx)).toBeNull();
    expect(editorField.validateValue(def, "x".repeat(5 * 1024 * 1024 + 1), ctx)?.params).toEqual({ maxSize: 5242880 });
  });

  test("options", () => {
    expect(editorField.validateOptions(newField("editor", "e"), optCtx)).toBeNull();
    expect(editorField.validateOptions(newField("editor", "e", { maxSize: -1 }), optCtx)!.maxSize?.code)
      .toBe("validation_min_greater_equal_than_required");
    expect(editorField.validateOptions(newField("editor", "e", { convertURLs: "yes" }), optCtx)!.convertURLs?.code)
      .toBe("validation_invalid_value");
  });
});
