import { describe, expect, test } from "bun:test";
import { Collection } from "../collections/collection.ts";
import { newField } from "../fields/field-defaults.ts";
import { Record } from "./record.ts";

const posts = new Collection({
  id: "pbc_posts",
  name: "posts",
  type: "base",
  fields: [
    { ...newField("text", "id"), id: "text_id", primaryKey: true, system: true },
    newField("text", "title"),
    newField("select", "tags", { values: ["a", "b", "c"], maxSelect: 3 }),
    newField("text", "secret", { hidden: true }),
  ],
});
const row = { id: "rec0000000000001", title: "hello", tags: '["a","b"]', secret: "s" };

describe("Record read from a row", () => {
  test("a write after loading leaves the original values alone", () => {
    const r = Record.fromRow(posts, row);
    expect(r.changedFields()).toEqual([]);
    r.set("title", "changed");
    r.set("tags+", "c");
    expect(r.get("title")).toBe("changed");
    expect(r.get("tags")).toEqual(["a", "b", "c"]);
    expect(r.original().get("title")).toBe("hello");
    expect(r.original().get("tags")).toEqual(["a", "b"]);
    expect(r.changedFields()).toEqual(["title", "tags"]);
  });

  test("the id it was loaded with stays the last saved one when the id changes", () => {
    const r = Record.fromRow(posts, row);
    r.id = "another00000001";
    expect(r.lastSavedPK()).toBe("rec0000000000001");
    expect(r.changedFields()).toEqual(["id"]);
    const raw = Record.fromRow(posts, row);
    raw.setRaw("title", "raw");
    expect(raw.original().get("title")).toBe("hello");
  });

  test("after a save the new values become the original ones, and later writes do not leak into them", () => {
    const r = new Record(posts);
    r.set("title", "first");
    r.markAsNotNew();
    expect(r.changedFields()).toEqual([]);
    r.set("title", "second");
    expect(r.original().get("title")).toBe("first");
    expect(r.changedFields()).toEqual(["title"]);
  });

  test("clones, originals and fresh copies are independent of the record", () => {
    const r = Record.fromRow(posts, row);
    const c = r.clone();
    const o = r.original();
    c.set("title", "clone");
    o.set("title", "original copy");
    expect(r.get("title")).toBe("hello");
    r.set("title", "record");
    expect(c.get("title")).toBe("clone");
    expect(o.get("title")).toBe("original copy");
    expect(r.fresh().customData()).toEqual({});
  });

  test("extra columns become custom data; export honours hidden fields and the switches", () => {
    const r = Record.fromRow(posts, { ...row, extra: 42 });
    expect(r.customData()).toEqual({ extra: 42 });
    expect(r.get("extra")).toBe(42);
    expect(r.publicExport()).toEqual({ collectionId: "pbc_posts", collectionName: "posts", id: "rec0000000000001", title: "hello", tags: ["a", "b"] });
    expect(r.withCustomData(true).publicExport().extra).toBe(42);
    expect(r.unhide("secret").publicExport().secret).toBe("s");
    expect(r.hide("title").publicExport().title).toBeUndefined();
    const plain = Record.fromRow(posts, row);
    expect(plain.customData()).toEqual({});
    expect(plain.unhideAll().publicExport().secret).toBe("s");
    // the exported list is the export's own
    const ex = Record.fromRow(posts, row);
    (ex.publicExport().tags as string[]).push("c");
    expect(ex.get("tags")).toEqual(["a", "b"]);
  });

  test("modifier keys and plain keys", () => {
    const r = new Record(posts);
    r.set("+tags", ["b"]);
    r.set("tags+", "a");
    expect(r.get("tags")).toEqual(["b", "a"]);
    r.set("tags-", "b");
    expect(r.get("tags")).toEqual(["a"]);
    r.set("not-a-field", 1);
    r.set("+", 2);
    expect(r.customData()).toEqual({ "not-a-field": 1, "+": 2 });
  });
});
