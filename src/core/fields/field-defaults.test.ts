import { describe, expect, test } from "bun:test";
import { defaultFieldId, newField, normalizeFieldConfig } from "./field-defaults.ts";
import { fieldKinds, getFieldKind } from "./registry.ts";

// Field JSON as written by PocketBase v0.39 into `_collections.fields`.
const FIXTURE_FIELDS = [
  `{"autogeneratePattern":"[a-z0-9]{15}","help":"","hidden":false,"id":"_pbf_text_id_","max":15,"min":15,"name":"id","pattern":"^[a-z0-9]+$","presentable":false,"primaryKey":true,"required":true,"system":true,"type":"text"}`,
  `{"cost":10,"help":"","hidden":true,"id":"_pbf_auth_password_","max":0,"min":8,"name":"password","pattern":"","presentable":false,"required":true,"system":true,"type":"password"}`,
  `{"exceptDomains":null,"help":"","hidden":false,"id":"_pbf_auth_email_","name":"email","onlyDomains":null,"presentable":false,"required":false,"system":true,"type":"email"}`,
  `{"help":"","hidden":false,"id":"_pbf_auth_verified_","name":"verified","presentable":false,"required":false,"system":true,"type":"bool"}`,
  `{"help":"","hidden":false,"id":"users_avatar","maxSelect":1,"maxSize":5242880,"mimeTypes":["image/jpg","image/jpeg","image/png","image/svg+xml","image/gif"],"name":"avatar","presentable":false,"protected":false,"required":false,"system":false,"thumbs":["70x50","70x50t","70x50b","70x50f","0x50","70x0"],"type":"file"}`,
  `{"cascadeDelete":false,"collectionId":"sz5l5z67tg7gku0","help":"","hidden":false,"id":"lkeigvv3","maxSelect":1,"minSelect":0,"name":"rel","presentable":false,"required":false,"system":false,"type":"relation"}`,
  `{"hidden":false,"id":"_pbf_autodate_created_","name":"created","onCreate":true,"onUpdate":false,"presentable":false,"system":false,"type":"autodate"}`,
  `{"help":"","hidden":false,"id":"dc4abz4i","maxSelect":1,"name":"select_one","presentable":false,"required":false,"system":false,"type":"select","values":["optionA","optionB","optionC"]}`,
  `{"help":"","hidden":false,"id":"1z1ld0i5","max":null,"min":null,"name":"number","onlyInt":false,"presentable":false,"required":false,"system":false,"type":"number"}`,
  `{"help":"","hidden":false,"id":"ro6p02gk","max":"","min":"","name":"datetime","presentable":false,"required":false,"system":false,"type":"date"}`,
  `{"help":"","hidden":false,"id":"ei2fg4v1","maxSize":5242880,"name":"json","presentable":false,"required":false,"system":false,"type":"json"}`,
  `{"help":"","hidden":false,"id":"geoPoint3081106212","name":"point","presentable":false,"required":false,"system":false,"type":"geoPoint"}`,
  `{"exceptDomains":null,"help":"","hidden":false,"id":"ktas5n7b","name":"url","onlyDomains":null,"presentable":false,"required":false,"system":false,"type":"url"}`,
];

describe("newField", () => {
  test("default ids are type + crc32(name)", () => {
    expect(newField("text", "id").id).toBe("text3208210256");
    expect(newField("email", "email").id).toBe("email3885137012");
    expect(newField("password", "password").id).toBe("password901924565");
    expect(newField("text", "tokenKey").id).toBe("text2504183744");
    expect(newField("bool", "emailVisibility").id).toBe("bool1547992806");
    expect(newField("bool", "verified").id).toBe("bool256245529");
    expect(newField("autodate", "created").id).toBe("autodate2990389176");
    expect(newField("autodate", "updated").id).toBe("autodate3332085495");
    expect(defaultFieldId("geoPoint", "point")).toBe("geoPoint3081106212");
  });

  test("full text field with sorted keys", () => {
    const f = newField("text", "title");
    expect(JSON.stringify(f)).toBe(
      `{"autogeneratePattern":"","help":"","hidden":false,"id":"text724990059","max":0,"min":0,"name":"title","pattern":"","presentable":false,"primaryKey":false,"required":false,"system":false,"type":"text"}`,
    );
  });

  test("autodate has neither required nor help", () => {
    const f = newField("autodate", "created", { onCreate: true, required: true, help: "x" });
    expect(JSON.stringify(f)).toBe(
      `{"hidden":false,"id":"autodate2990389176","name":"created","onCreate":true,"onUpdate":false,"presentable":false,"system":false,"type":"autodate"}`,
    );
  });

  test("overrides win, defaults per kind", () => {
    expect(newField("number", "n", { min: 1 })).toMatchObject({ min: 1, max: null, onlyInt: false, required: false });
    expect(newField("file", "f")).toMatchObject({ maxSelect: 0, maxSize: 0, mimeTypes: null, thumbs: null, protected: false });
    expect(newField("email", "e")).toMatchObject({ exceptDomains: null, onlyDomains: null });
    expect(newField("editor", "e")).toMatchObject({ maxSize: 0, convertURLs: false });
    expect(newField("relation", "r")).toMatchObject({ collectionId: "", cascadeDelete: false, minSelect: 0, maxSelect: 0 });
    expect(newField("password", "p")).toMatchObject({ min: 0, max: 0, cost: 0, pattern: "" });
    expect(newField("text", "t", { id: "custom" }).id).toBe("custom");
    expect(() => newField("nope", "x")).toThrow();
  });
});

describe("normalizeFieldConfig", () => {
  test("PocketBase-written fields round-trip unchanged", () => {
    for (const raw of FIXTURE_FIELDS) expect(JSON.stringify(normalizeFieldConfig(JSON.parse(raw)))).toBe(raw);
  });

  test("fills missing keys (pre-v0.37 fields without help)", () => {
    const f = normalizeFieldConfig({ id: "_clone_y2Ow", name: "url", type: "url", hidden: false });
    expect(f).toEqual(newField("url", "url", { id: "_clone_y2Ow" }));
    expect(f.help).toBe("");
  });

  test("empty id gets the default, wrong types fall back, unknown keys dropped", () => {
    const f = normalizeFieldConfig({ id: "", name: "n", type: "number", min: "5", max: 10, onlyInt: "yes", junk: 1, required: 1 });
    expect(f).toEqual(newField("number", "n", { max: 10 }));
    expect(normalizeFieldConfig({ name: "s", type: "select", values: null }).values).toEqual([]);
  });

  test("date bounds are reformatted", () => {
    const f = normalizeFieldConfig({ name: "d", type: "date", min: "2024-01-02T03:04:05Z", max: "garbage" });
    expect(f.min).toBe("2024-01-02 03:04:05.000Z");
    expect(f.max).toBe("");
  });

  test("unknown types keep their keys", () => {
    const f = normalizeFieldConfig({ name: "x", type: "mystery", foo: 1 });
    expect(f.foo).toBe(1);
    expect(f.required).toBe(false);
  });

  test("autodate drops required/help", () => {
    const f = normalizeFieldConfig({ name: "updated", type: "autodate", onCreate: true, onUpdate: true, required: false, help: "" });
    expect("required" in f).toBe(false);
    expect("help" in f).toBe(false);
  });
});

describe("registry", () => {
  test("has the 14 kinds", () => {
    expect(Object.keys(fieldKinds).sort()).toEqual(
      ["autodate", "bool", "date", "editor", "email", "file", "geoPoint", "json", "number", "password", "relation", "select", "text", "url"],
    );
    for (const [type, kind] of Object.entries(fieldKinds)) expect(kind.type).toBe(type);
    expect(getFieldKind("geoPoint")?.type).toBe("geoPoint");
    expect(getFieldKind("geopoint")).toBeUndefined();
    expect(getFieldKind("toString")).toBeUndefined();
  });

  test("the zero value of every kind normalises to itself", () => {
    for (const [type, kind] of Object.entries(fieldKinds)) {
      if (type === "password") continue; // input can only set a plain password
      const f = newField(type, "f");
      expect(typeof kind.columnType(f)).toBe("string");
      expect(kind.normalize(f, kind.zero(f))).toEqual(kind.zero(f));
    }
  });
});
