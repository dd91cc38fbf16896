import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import type PocketBase from "pocketbase";
import { ClientResponseError } from "pocketbase";
import { startTestServer, type TestServer } from "./helpers/test-server.ts";

let ts: TestServer;
let su: PocketBase;
let targetId = "";

async function fail(p: Promise<unknown>, status = 400): Promise<{ [k: string]: { code: string } }> {
  try {
    await p;
  } catch (err) {
    expect(err).toBeInstanceOf(ClientResponseError);
    expect((err as ClientResponseError).status).toBe(status);
    return (err as ClientResponseError).response.data;
  }
  throw new Error(`expected ${status}`);
}

beforeAll(async () => {
  ts = await startTestServer();
  su = await ts.superuser();
  await su.collections.create({ name: "targets", type: "base", listRule: "", viewRule: "", fields: [{ name: "n", type: "text" }] });
  targetId = (await su.collection("targets").create({ n: "t" })).id;
  const targets = await su.collections.getOne("targets");
  await su.collections.create({
    name: "kinds",
    type: "base",
    listRule: "", viewRule: "", createRule: "", updateRule: "", deleteRule: "",
    fields: [
      { name: "text", type: "text", max: 5000, pattern: "" },
      { name: "short", type: "text", min: 2, max: 5 },
      { name: "code", type: "text", pattern: "^[A-Z]+$" },
      { name: "num", type: "number", min: -5, max: 100 },
      { name: "int", type: "number", onlyInt: true },
      { name: "flag", type: "bool" },
      { name: "mail", type: "email", onlyDomains: ["example.com"] },
      { name: "link", type: "url", exceptDomains: ["evil.test"] },
      { name: "body", type: "editor", maxSize: 100 },
      { name: "when", type: "date", min: "2020-01-01 00:00:00.000Z" },
      { name: "stamp", type: "autodate", onCreate: true },
      { name: "one", type: "select", values: ["a", "b", "c"], maxSelect: 1 },
      { name: "many", type: "select", values: ["a", "b", "c"], maxSelect: 3 },
      { name: "rel", type: "relation", collectionId: targets.id, maxSelect: 1 },
      { name: "rels", type: "relation", collectionId: targets.id, maxSelect: 5 },
      { name: "doc", type: "json", maxSize: 200 },
      { name: "pin", type: "password", min: 4 },
      { name: "place", type: "geoPoint" },
      { name: "files", type: "file", maxSelect: 2 },
      { name: "note", type: "text", hidden: true },
    ],
  });
  await su.collections.create({
    name: "strict_kinds",
    type: "base",
    createRule: "",
    fields: [
      { name: "flag", type: "bool", required: true },
      { name: "num", type: "number", required: true },
      { name: "doc", type: "json", required: true },
      { name: "place", type: "geoPoint", required: true },
    ],
  });
});
afterAll(async () => {
  await ts.stop();
});

describe("every field type through the API", () => {
  test("valid values are normalised into PocketBase's JSON forms", async () => {
    const r = await ts.client().collection("kinds").create({
      text: "hi", short: "abc", code: "ABC", num: "12.5", int: 7, flag: "true", mail: "me@example.com",
      link: "https://ok.test/x", body: "<p>x</p>", when: "2024-05-01T10:11:12Z", stamp: "1999-01-01 00:00:00.000Z",
      one: ["a", "b"], many: ["a", "a", "c"], rel: targetId, rels: [targetId], doc: { a: [1, 2] }, pin: "1234",
      place: { lon: 23.3, lat: 42.7 },
    });
    expect(r.num).toBe(12.5);
    expect(r.flag).toBe(true);
    expect(r.when).toBe("2024-05-01 10:11:12.000Z");
    expect(r.stamp).not.toBe("1999-01-01 00:00:00.000Z");
    expect(r.stamp).toMatch(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}\.\d{3}Z$/);
    expect(r.one).toBe("b");
    expect(r.many).toEqual(["a", "c"]);
    expect(r.rels).toEqual([targetId]);
    expect(r.doc).toEqual({ a: [1, 2] });
    expect(r.pin).toBeUndefined();
    expect(r.note).toBeUndefined();
    expect(r.place).toEqual({ lon: 23.3, lat: 42.7 });
    expect(r.files).toEqual([]);
    const empty = await ts.client().collection("kinds").create({});
    expect(empty).toMatchObject({ text: "", num: 0, flag: false, one: "", many: [], doc: null, place: { lon: 0, lat: 0 }, when: "" });
  });

  test("invalid values get PocketBase's codes, field by field", async () => {
    const cases: [string, unknown, string][] = [
      ["short", "a", "validation_min_text_constraint"],
      ["short", "toolong", "validation_max_text_constraint"],
      ["code", "abc", "validation_invalid_format"],
      ["num", 101, "validation_max_number_constraint"],
      ["num", -6, "validation_min_number_constraint"],
      ["int", 1.5, "validation_only_int_constraint"],
      ["mail", "not-an-email", "validation_is_email"],
      ["mail", "me@other.com", "validation_email_domain_not_allowed"],
      ["link", "nope", "validation_invalid_url"],
      ["link", "https://evil.test/x", "validation_url_domain_not_allowed"],
      ["body", "x".repeat(101), "validation_content_size_limit"],
      ["one", "z", "validation_invalid_value"],
      ["rel", "missing12345678", "validation_missing_rel_records"],
      ["doc", { big: "x".repeat(300) }, "validation_json_size_limit"],
      ["pin", "12", "validation_min_text_constraint"],
      ["place", { lon: 0, lat: 200 }, "validation_invalid_latitude"],
    ];
    for (const [field, value, code] of cases) {
      const data = await fail(ts.client().collection("kinds").create({ [field]: value }));
      expect([field, data[field]?.code]).toEqual([field, code]);
    }
    const d = await fail(ts.client().collection("kinds").create({ when: "2019-01-01 00:00:00.000Z" }));
    expect(d.when).toBeDefined();
  });

  test("required semantics per type: bool must be true, number non-zero, json non-empty, geoPoint not 0,0", async () => {
    const data = await fail(ts.client().collection("strict_kinds").create({ flag: false, num: 0, doc: [], place: { lon: 0, lat: 0 } }));
    expect(Object.fromEntries(Object.entries(data).map(([k, v]) => [k, v.code]))).toEqual({
      flag: "validation_required", num: "validation_required", doc: "validation_required", place: "validation_required",
    });
    for (const doc of [null, "", {}]) {
      const d = await fail(ts.client().collection("strict_kinds").create({ flag: true, num: 1, doc, place: { lon: 1, lat: 1 } }));
      expect(d.doc!.code).toBe("validation_required");
    }
    const ok = await ts.client().collection("strict_kinds").create({ flag: true, num: 1, doc: { a: 1 }, place: { lon: 1, lat: 1 } });
    expect(ok.id).toHaveLength(15);
  });
});

describe("bodies and modifiers", () => {
  test("multipart with several @jsonPayload parts merged, and urlencoded forms", async () => {
    const form = new FormData();
    form.append("text", "from form");
    form.append("flag", "true");
    form.append("num", "42");
    form.append("many", "a");
    form.append("many", "b");
    form.append("@jsonPayload", JSON.stringify({ doc: { x: 1 }, text: "overridden" }));
    form.append("@jsonPayload", JSON.stringify({ rels: [targetId] }));
    const r = await fetch(`${ts.url}/api/collections/kinds/records`, { method: "POST", body: form }).then((x) => x.json());
    expect(r).toMatchObject({ text: "overridden", flag: true, num: 42, many: ["a", "b"], doc: { x: 1 }, rels: [targetId] });

    const url = await fetch(`${ts.url}/api/collections/kinds/records`, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: "text=url+encoded&num=3&flag=false",
    }).then((x) => x.json());
    expect(url).toMatchObject({ text: "url encoded", num: 3, flag: false });
  });

  test("field+, +field and field- on multi-value and number fields", async () => {
    const r = await ts.client().collection("kinds").create({ many: ["b"], num: 10 });
    const u1 = await ts.client().collection("kinds").update(r.id, { "many+": "c", "+many": "a", "num+": 5 });
    expect(u1.many).toEqual(["a", "b", "c"]);
    expect(u1.num).toBe(15);
    const u2 = await ts.client().collection("kinds").update(r.id, { "many-": ["b"], "num-": 20 });
    expect(u2.many).toEqual(["a", "c"]);
    expect(u2.num).toBe(-5);
  });

  test("client-supplied ids are validated", async () => {
    const ok = await ts.client().collection("kinds").create({ id: "abcdefghij12345" });
    expect(ok.id).toBe("abcdefghij12345");
    const dup = await fail(ts.client().collection("kinds").create({ id: "abcdefghij12345" }));
    expect(dup.id!.code).toBe("validation_not_unique");
    for (const bad of ["short", "ABCDEFGHIJ12345", "abc/efghij12345", "x".repeat(16)]) {
      const d = await fail(ts.client().collection("kinds").create({ id: bad }));
      expect(d.id).toBeDefined();
    }
  });
});

describe("bad input keeps data intact", () => {
  test("wrong types, oversized and malformed bodies, a 10 MB string, SQL-looking values", async () => {
    const before = (await su.collection("kinds").getList(1, 1)).totalItems;
    const big = await fetch(`${ts.url}/api/collections/kinds/records`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ text: "x".repeat(10 * 1024 * 1024) }) });
    expect(big.status).toBe(400);
    expect((await big.json()).data.text.code).toBe("validation_max_text_constraint");
    const huge = await fetch(`${ts.url}/api/collections/kinds/records`, { method: "POST", headers: { "content-type": "application/json" }, body: "x".repeat(64 << 20) });
    expect(huge.status).toBe(413);
    const bad = await fetch(`${ts.url}/api/collections/kinds/records`, { method: "POST", headers: { "content-type": "application/json" }, body: '{"text": "unterminated' });
    expect(bad.status).toBe(400);
    const mp = await fetch(`${ts.url}/api/collections/kinds/records`, { method: "POST", headers: { "content-type": "multipart/form-data; boundary=XYZ" }, body: "--XYZ\r\nContent-Disposition: form-data; name=\"text\"\r\n\r\nhalf" });
    expect(mp.status).toBe(400);
    const wrong = await fetch(`${ts.url}/api/collections/kinds/records`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ place: "not a point", one: { a: 1 }, num: "abc", flag: "maybe", when: "someday" }) });
    expect(wrong.status).toBe(400);
    const wrongData = (await wrong.json()).data;
    expect(Object.keys(wrongData).sort()).toEqual(["flag", "num", "one", "place", "when"]);
    expect((await su.collection("kinds").getList(1, 1)).totalItems).toBe(before);

    const sql = "'; DROP TABLE kinds; --";
    const r = await ts.client().collection("kinds").create({ text: sql });
    expect((await ts.client().collection("kinds").getOne(r.id)).text).toBe(sql);
    const found = await ts.client().collection("kinds").getFirstListItem(`text = ${JSON.stringify(sql)}`);
    expect(found.id).toBe(r.id);
    expect(ts.app.db().hasTable("kinds")).toBe(true);
  });

  test("a unique index violation is a 400 on the right field", async () => {
    await su.collections.update("targets", { indexes: ["CREATE UNIQUE INDEX idx_targets_n ON targets (n)"] });
    const data = await fail(su.collection("targets").create({ n: "t" }));
    expect(data.n!.code).toBe("validation_not_unique");
  });
});

describe("record JSON visibility", () => {
  test("hidden fields only for superusers; emails follow emailVisibility, owner and superuser", async () => {
    const r = await su.collection("kinds").create({ note: "secret" });
    expect(r.note).toBe("secret");
    expect((await ts.client().collection("kinds").getOne(r.id)).note).toBeUndefined();
    await fail(ts.client().collection("kinds").getList(1, 1, { filter: 'note = "secret"' }));
    const guestSet = await ts.client().collection("kinds").create({ note: "guest tries" });
    expect((await su.collection("kinds").getOne(guestSet.id)).note).toBe("");

    await su.collections.update("users", { listRule: "", viewRule: "" });
    const alice = ts.client();
    await alice.collection("users").create({ email: "alice@example.com", password: "12345678", passwordConfirm: "12345678" });
    await alice.collection("users").authWithPassword("alice@example.com", "12345678");
    const bob = ts.client();
    await bob.collection("users").create({ email: "bob@example.com", password: "12345678", passwordConfirm: "12345678", emailVisibility: true });
    await bob.collection("users").authWithPassword("bob@example.com", "12345678");
    const aliceId = alice.authStore.record!.id;
    expect((await alice.collection("users").getOne(aliceId)).email).toBe("alice@example.com");
    expect((await bob.collection("users").getOne(aliceId)).email).toBeUndefined();
    expect((await alice.collection("users").getOne(bob.authStore.record!.id)).email).toBe("bob@example.com");
    expect((await su.collection("users").getOne(aliceId)).email).toBe("alice@example.com");
    const anyUser = await su.collection("users").getOne(aliceId);
    expect(anyUser.password).toBeUndefined();
    expect(anyUser.tokenKey).toBeUndefined();
  });

  test("auth records: passwordConfirm, oldPassword, verified and email need the right access", async () => {
    const c = ts.client();
    const d = await fail(c.collection("users").create({ email: "carol@example.com", password: "12345678", passwordConfirm: "different" }));
    expect(d.passwordConfirm!.code).toBe("validation_values_mismatch");
    const v = await fail(c.collection("users").create({ email: "carol@example.com", password: "12345678", passwordConfirm: "12345678", verified: true }));
    expect(v.verified!.code).toBe("validation_values_mismatch");
    const carol = await c.collection("users").create({ email: "carol@example.com", password: "12345678", passwordConfirm: "12345678" });
    await c.collection("users").authWithPassword("carol@example.com", "12345678");
    const oldToken = c.authStore.token;
    const o = await fail(c.collection("users").update(carol.id, { password: "87654321", passwordConfirm: "87654321" }));
    expect(o.oldPassword!.code).toBe("validation_invalid_old_password");
    const e = await fail(c.collection("users").update(carol.id, { email: "other@example.com" }));
    expect(e.email!.code).toBe("validation_values_mismatch");
    await c.collection("users").update(carol.id, { password: "87654321", passwordConfirm: "87654321", oldPassword: "12345678" });
    // the token key rotated: the old token is now a guest token
    const stale = await fetch(`${ts.url}/api/collections/users/auth-refresh`, { method: "POST", headers: { Authorization: oldToken } });
    expect(stale.status).toBe(401);
    await ts.client().collection("users").authWithPassword("carol@example.com", "87654321");
    const hash = ts.app.findRecordById("users", carol.id).get("password:hash") as string;
    expect(hash).toMatch(/^\$2[aby]\$10\$/);
  });
});
