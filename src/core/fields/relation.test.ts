import { describe, expect, test } from "bun:test";
import type { FieldOptionsContext, FieldValidateContext } from "./field-kind.ts";
import { relationField } from "./relation.ts";
import { newField } from "./field-defaults.ts";

const existing = new Set(["aaaaaaaaaaaaaaa", "bbbbbbbbbbbbbbb", "ccccccccccccccc"]);
const ctx: FieldValidateContext = {
  isNew: true,
  original: "",
  countExisting: (collectionId, ids) => (collectionId === "pbc_users" ? ids.filter((id) => existing.has(id)).length : 0),
};
const collections: Record<string, { id: string; type: string }> = {
  pbc_users: { id: "pbc_users", type: "auth" },
  users: { id: "pbc_users", type: "auth" },
  pbc_view: { id: "pbc_view", type: "view" },
};
const optCtx: FieldOptionsContext = { collectionType: "base", findCollection: (k) => collections[k] ?? null, previous: null };
const single = newField("relation", "author", { collectionId: "pbc_users", maxSelect: 1 });
const multi = newField("relation", "tags", { collectionId: "pbc_users", maxSelect: 3 });

describe("relation values", () => {
  test("normalise like select", () => {
    expect(relationField.normalize(single, ["aaaaaaaaaaaaaaa", "bbbbbbbbbbbbbbb"])).toBe("bbbbbbbbbbbbbbb");
    expect(relationField.normalize(multi, "aaaaaaaaaaaaaaa")).toEqual(["aaaaaaaaaaaaaaa"]);
    expect(relationField.fromDb(single, '["x","y"]')).toBe("y");
    expect(relationField.fromDb(multi, "x")).toEqual(["x"]);
    expect(relationField.fromDb(multi, null)).toEqual([]);
    expect(relationField.columnType(multi)).toBe("JSON DEFAULT '[]' NOT NULL");
    expect(relationField.applyModifier!(multi, ["x"], "append", "y")).toEqual(["x", "y"]);
    expect(relationField.applyModifier!(multi, ["x", "y"], "remove", ["x"])).toEqual(["y"]);
  });

  test("validation", () => {
    expect(relationField.validateValue(single, "", ctx)).toBeNull();
    expect(relationField.validateValue({ ...single, required: true }, "", ctx)?.code).toBe("validation_required");
    expect(relationField.validateValue(single, "aaaaaaaaaaaaaaa", ctx)).toBeNull();
    expect(relationField.validateValue(single, "zzzzzzzzzzzzzzz", ctx)).toEqual({
      code: "validation_missing_rel_records", message: "Failed to find all relation records with the provided ids.",
    });
    expect(relationField.validateValue(multi, ["aaaaaaaaaaaaaaa", "zzzzzzzzzzzzzzz"], ctx)?.code).toBe("validation_missing_rel_records");
    expect(relationField.validateValue(multi, ["aaaaaaaaaaaaaaa", "bbbbbbbbbbbbbbb", "ccccccccccccccc", "d"], ctx)).toEqual({
      code: "validation_too_many_values", message: "Select no more than 3.", params: { maxSelect: 3 },
    });
    const min2 = { ...multi, minSelect: 2 };
    expect(relationField.validateValue(min2, ["aaaaaaaaaaaaaaa"], ctx)).toEqual({
      code: "validation_not_enough_values", message: "Select at least 2.", params: { minSelect: 2 },
    });
    expect(relationField.validateValue(min2, ["aaaaaaaaaaaaaaa", "bbbbbbbbbbbbbbb"], ctx)).toBeNull();
  });
});

describe("relation options", () => {
  test("valid", () => {
    expect(relationField.validateOptions(single, optCtx)).toBeNull();
    expect(relationField.validateOptions({ ...multi, minSelect: 2, maxSelect: 2 }, optCtx)).toBeNull();
  });

  test("collectionId required, must exist, by id", () => {
    expect(relationField.validateOptions(newField("relation", "r"), optCtx)!.collectionId?.code).toBe("validation_required");
    expect(relationField.validateOptions({ ...single, collectionId: "nope" }, optCtx)!.collectionId?.code).toBe("validation_missing_collection");
    expect(relationField.validateOptions({ ...single, collectionId: "users" }, optCtx)!.collectionId?.code).toBe("validation_missing_collection");
  });

  test("collectionId is immutable", () => {
    const prev = { ...single, collectionId: "pbc_other" };
    expect(relationField.validateOptions(single, { ...optCtx, previous: prev })!.collectionId?.code).toBe("validation_field_old_collection_id");
    expect(relationField.validateOptions(single, { ...optCtx, previous: single })).toBeNull();
  });

  test("only views may relate to views", () => {
    const toView = { ...single, collectionId: "pbc_view" };
    expect(relationField.validateOptions(toView, optCtx)!.collectionId?.code).toBe("validation_invalid_view_collection_relation");
    expect(relationField.validateOptions(toView, { ...optCtx, collectionType: "view" })).toBeNull();
  });

  test("minSelect/maxSelect", () => {
    expect(relationField.validateOptions({ ...single, minSelect: 2, maxSelect: 0 }, optCtx)!.maxSelect?.code).toBe("validation_required");
    expect(relationField.validateOptions({ ...single, minSelect: 3, maxSelect: 2 }, optCtx)!.maxSelect?.code)
      .toBe("validation_min_greater_equal_than_required");
    expect(relationField.validateOptions({ ...single, minSelect: -1 }, optCtx)!.minSelect?.code)
      .toBe("validation_min_greater_equal_than_required");
    expect(relationField.validateOptions({ ...single, cascadeDelete: 1 }, optCtx)!.cascadeDelete?.code).toBe("validation_invalid_value");
  });
});
