import { describe, expect, test } from "bun:test";
import { FieldsPickerError, parseFieldsParam, pickFields, pickListFields } from "./fields-picker.ts";

function record(id: string): Record<string, unknown> {
  return {
    collectionId: "pbc_1",
    collectionName: "posts",
    id,
    title: `Title ${id}`,
    description: "<p>Hello <b>world</b></p><script>x()</script><p>and more text</p>",
    views: 3,
    tags: ["a", "b"],
    meta: { a: 1, b: { c: 2, d: 3 } },
    expand: {
      author: { id: "u1", name: "Ann", email: "ann@example.com" },
      comments: [
        { id: "c1", body: "first", likes: 1 },
        { id: "c2", body: "second", likes: 2 },
      ],
    },
  };
}

describe("pickFields", () => {
  test("an empty parameter changes nothing", () => {
    const r = record("r1");
    expect(pickFields(r, "")).toBe(r);
    expect(pickFields(r, null)).toBe(r);
    expect(pickFields(r, " , ")).toBe(r);
  });

  test("plain keys, spaces around commas, unknown keys ignored", () => {
    expect(pickFields(record("r1"), "id , title,nope, expand.nope")).toEqual({
      id: "r1",
      title: "Title r1",
      expand: {},
    });
  });

  test("nested paths into objects and expand", () => {
    expect(pickFields(record("r1"), "id,meta.b.c,expand.author.name")).toEqual({
      id: "r1",
      meta: { b: { c: 2 } },
      expand: { author: { name: "Ann" } },
    });
  });

  test("arrays of objects are picked element-wise", () => {
    expect(pickFields(record("r1"), "expand.comments.body")).toEqual({
      expand: { comments: [{ body: "first" }, { body: "second" }] },
    });
    expect(pickFields([record("a"), record("b")], "id")).toEqual([{ id: "a" }, { id: "b" }]);
  });

  test("arrays of scalars and deeper paths into scalars are kept as is", () => {
    expect(pickFields(record("r1"), "tags.x,title.y")).toEqual({ tags: ["a", "b"], title: "Title r1" });
    expect(pickFields(["a", 1], "id")).toEqual(["a", 1]);
    expect(pickFields("text", "id")).toBe("text");
    expect(pickFields(null, "id")).toBeNull();
  });

  test("* keeps everything; a deeper path next to * narrows only that subtree", () => {
    const r = record("r1");
    expect(pickFields(r, "*")).toEqual(r);
    const picked = pickFields(r, "*,expand.author.name") as Record<string, unknown>;
    expect(picked.expand).toEqual({ author: { name: "Ann" } });
    expect(picked.meta).toEqual(r.meta);
    expect(Object.keys(picked)).toEqual(Object.keys(r));
  });

  test("* at a nested level", () => {
    expect(pickFields(record("r1"), "id,expand.*")).toEqual({ id: "r1", expand: record("r1").expand });
    expect(pickFields(record("r1"), "expand.author.*,expand.comments.id")).toEqual({
      expand: {
        author: { id: "u1", name: "Ann", email: "ann@example.com" },
        comments: [{ id: "c1" }, { id: "c2" }],
      },
    });
  });

  test("an exact path wins over a deeper one", () => {
    expect(pickFields(record("r1"), "expand,expand.author.name")).toEqual({ expand: record("r1").expand });
  });

  test("excerpt modifier strips HTML and truncates", () => {
    expect(pickFields(record("r1"), "description:excerpt(100)")).toEqual({
      description: "Hello world and more text",
    });
    expect(pickFields(record("r1"), "id,description:excerpt(11,true)")).toEqual({
      id: "r1",
      description: "Hello world...",
    });
    expect(pickFields(record("r1"), "description:excerpt( 5 , 1 )")).toEqual({ description: "Hello..." });
    expect(pickFields(record("r1"), "description:excerpt(5, false)")).toEqual({ description: "Hello" });
  });

  test("excerpt applies to strings only", () => {
    expect(pickFields(record("r1"), "views:excerpt(1,true),tags:excerpt(1),meta:excerpt(1)")).toEqual({
      views: 3,
      tags: ["a", "b"],
      meta: record("r1").meta,
    });
  });

  test("*:excerpt applies to every key at that level, explicit keys keep their own", () => {
    const picked = pickFields(
      { a: "<i>abcdef</i>", b: "xyz", n: 5, c: "long text" },
      "*:excerpt(2,true),c",
    );
    expect(picked).toEqual({ a: "ab...", b: "xy...", n: 5, c: "long text" });
    expect(pickFields({ expand: { author: { name: "Annabel", bio: "<p>long bio</p>" } } }, "expand.author.*:excerpt(4)"))
      .toEqual({ expand: { author: { name: "Anna", bio: "long" } } });
  });

  test("values with toJSON are seen as JSON would see them", () => {
    class Model {
      constructor(private readonly data: Record<string, unknown>) {}
      toJSON(): Record<string, unknown> {
        return { ...this.data, computed: true };
      }
    }
    const when = new Date(Date.UTC(2024, 0, 2));
    expect(pickFields(new Model({ id: "m", secret: "s", when }), "id,computed,when:excerpt(10)")).toEqual({
      id: "m",
      computed: true,
      when: "2024-01-02",
    });
  });

  test("the input is not mutated and a parsed tree is reusable", () => {
    const r = record("r1");
    const snapshot = structuredClone(r);
    const tree = parseFieldsParam("id,expand.author.name");
    pickFields(r, tree);
    expect(r).toEqual(snapshot);
    expect(pickFields(record("r2"), tree)).toEqual({ id: "r2", expand: { author: { name: "Ann" } } });
  });

  test("bad modifiers throw FieldsPickerError", () => {
    const bad = [
      "title:excerpt",
      "title:excerpt()",
      "title:excerpt(0)",
      "title:excerpt(-5)",
      "title:excerpt(abc)",
      "title:excerpt(1.5)",
      "title:excerpt(1,true,3)",
      "title:unknown(1)",
      "title:",
      "title:excerpt(10",
      "title:excerpt(10)x",
      "title:excerpt(10).sub",
    ];
    for (const fields of bad) {
      expect(() => parseFieldsParam(fields)).toThrow(FieldsPickerError);
      expect(() => pickFields({ title: "x" }, fields)).toThrow(FieldsPickerError);
    }
  });

  test("commas inside modifier parentheses do not split fields", () => {
    const tree = parseFieldsParam("a:excerpt(3, true), b");
    expect([...tree.keys()]).toEqual(["a", "b"]);
    expect(tree.get("a")?.modifier?.name).toBe("excerpt");
  });
});

describe("pickListFields", () => {
  test("only items are filtered; pagination keys stay", () => {
    const list = { items: [record("a"), record("b")], page: 1, perPage: 30, totalItems: 2, totalPages: 1 };
    expect(pickListFields(list, "id,expand.author.name")).toEqual({
      items: [
        { id: "a", expand: { author: { name: "Ann" } } },
        { id: "b", expand: { author: { name: "Ann" } } },
      ],
      page: 1,
      perPage: 30,
      totalItems: 2,
      totalPages: 1,
    });
  });

  test("empty items and empty parameter", () => {
    const list = { items: [], page: 1, perPage: 30, totalItems: 0, totalPages: 0 };
    expect(pickListFields(list, "id")).toEqual(list);
    expect(pickListFields(list, "")).toBe(list);
  });

  test("a non-list value is picked like a plain value", () => {
    expect(pickListFields({ mfa: { enabled: false }, otp: {}, password: {}, oauth2: {}, other: 1 }, "mfa,otp,password,oauth2"))
      .toEqual({ mfa: { enabled: false }, otp: {}, password: {}, oauth2: {} });
  });
});
