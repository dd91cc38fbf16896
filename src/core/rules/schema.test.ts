import { describe, expect, test } from "bun:test";
import { collection, field } from "./test-fixtures.ts";
import { createSchemaLookup, hasSingleColumnUniqueIndex, isMultipleField, parseIndex } from "./schema.ts";
import { snakeCaseHeaderName } from "./request-info.ts";

describe("schema helpers", () => {
  test("parseIndex handles PocketBase's index strings", () => {
    expect(parseIndex("CREATE UNIQUE INDEX `idx_luoQV2A` ON `demo4` (`rel_one_unique`) WHERE rel_one_unique != ''")).toEqual({
      unique: true,
      name: "idx_luoQV2A",
      table: "demo4",
      columns: ["rel_one_unique"],
      where: "rel_one_unique != ''",
    });
    expect(parseIndex('CREATE INDEX "idx_demo2_active" ON "demo2" (\n"active"\n)')).toMatchObject({ unique: false, columns: ["active"] });
    expect(parseIndex("create unique index if not exists x on t (a COLLATE NOCASE ASC, lower(b), [c] DESC)")).toMatchObject({
      unique: true,
      columns: ["a", "lower(b)", "c"],
    });
    expect(parseIndex("DROP TABLE x")).toBeNull();
  });
  test("hasSingleColumnUniqueIndex", () => {
    const c = collection("t", [field("a", "text"), field("b", "text")], {
      indexes: ["CREATE UNIQUE INDEX `i1` ON `t` (`a`)", "CREATE UNIQUE INDEX `i2` ON `t` (`a`, `b`)", "CREATE INDEX `i3` ON `t` (`b`)"],
    });
    expect(hasSingleColumnUniqueIndex(c, "a")).toBe(true);
    expect(hasSingleColumnUniqueIndex(c, "b")).toBe(false);
  });
  test("isMultipleField", () => {
    expect(isMultipleField(field("x", "select", { maxSelect: 2 }))).toBe(true);
    expect(isMultipleField(field("x", "relation", { maxSelect: 1 }))).toBe(false);
    expect(isMultipleField(field("x", "file"))).toBe(false);
    expect(isMultipleField(field("x", "text", { maxSelect: 5 }))).toBe(false);
  });
  test("createSchemaLookup finds by id and by name (case-insensitively)", () => {
    const s = createSchemaLookup([collection("Posts", [])]);
    expect(s.findCollection("pbc_Posts")?.name).toBe("Posts");
    expect(s.findCollection("posts")?.name).toBe("Posts");
    expect(s.findCollection("nope")).toBeNull();
  });
  test("header names in snake case", () => {
    expect(snakeCaseHeaderName("X-Api-Key")).toBe("x_api_key");
    expect(snakeCaseHeaderName("Content-Type")).toBe("content_type");
    expect(snakeCaseHeaderName("xToken")).toBe("x_token");
  });
});
