import { describe, expect, test } from "bun:test";
import { validateCommonOptions } from "./common-options.ts";
import { newField } from "./field-defaults.ts";

describe("validateCommonOptions", () => {
  test("accepts ordinary names", () => {
    expect(validateCommonOptions(newField("text", "title"))).toBeNull();
    expect(validateCommonOptions(newField("text", "a_1"))).toBeNull();
    expect(validateCommonOptions(newField("text", "x".repeat(100)))).toBeNull();
  });

  test("rejects bad names", () => {
    expect(validateCommonOptions(newField("text", ""))!.name?.code).toBe("validation_required");
    expect(validateCommonOptions(newField("text", "x".repeat(101)))!.name).toEqual({
      code: "validation_length_out_of_range", message: "The length must be between 1 and 100.", params: { min: 1, max: 100 },
    });
    expect(validateCommonOptions(newField("text", "a-b"))!.name?.code).toBe("validation_match_invalid");
    expect(validateCommonOptions(newField("text", "a b"))!.name?.code).toBe("validation_match_invalid");
    for (const n of ["null", "TRUE", "False", "_rowid_", "collectionId", "COLLECTIONNAME", "expand"]) {
      expect(validateCommonOptions(newField("text", n))!.name?.code).toBe("validation_not_in_invalid");
    }
    expect(validateCommonOptions(newField("text", "posts_via_author"))!.name?.code).toBe("validation_found_via");
    expect(validateCommonOptions({ ...newField("text", "t"), name: 5 as unknown as string })!.name?.code).toBe("validation_required");
  });

  test("help length", () => {
    expect(validateCommonOptions(newField("text", "t", { help: "h".repeat(300) }))).toBeNull();
    expect(validateCommonOptions(newField("text", "t", { help: "h".repeat(301) }))!.help).toEqual({
      code: "validation_length_too_long", message: "The length must be no more than 300.", params: { max: 300 },
    });
  });

  test("id", () => {
    expect(validateCommonOptions({ ...newField("text", "t"), id: "" })!.id?.code).toBe("validation_required");
    expect(validateCommonOptions({ ...newField("text", "t"), id: "x".repeat(101) })!.id?.code).toBe("validation_length_out_of_range");
  });
});
