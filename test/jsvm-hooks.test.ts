import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { join } from "node:path";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { App } from "../src/core/app.ts";
import { Jsvm } from "../src/jsvm/jsvm.ts";
import { startJsvmServer, writeFiles, type JsvmTestServer } from "./helpers/jsvm-server.ts";

const A_HOOKS = `
const order = []; // Satchel: closures over file-level variables work
onRecordCreate((e) => { order.push("a:any:" + e.record.collection().name); e.next(); });
onRecordCreate((e) => { order.push("a:posts"); e.next(); }, "posts");
onRecordCreate((e) => {
  if (e.record.getString("title") === "forbidden") throw new BadRequestError("Forbidden title.", { title: new ValidationError("forbidden", "not this one") });
  if (e.record.getString("title") === "crash") throw new Error("plain failure");
  e.next();
}, "posts");
onRecordAfterCreateSuccess((e) => {
  // $app is the event's app; saving here goes through the full pipeline
  const audit = new Record($app.findCollectionByNameOrId("audit"), { msg: "created " + e.record.id });
  $app.save(audit);
  e.next();
}, "posts");
routerAdd("GET", "/api/order", (e) => e.json(200, { order }));
routerAdd("DELETE", "/api/order", (e) => { order.length = 0; return e.noContent(204); });
onModelCreate((e) => { order.push("model:" + e.model.collection().name); e.next(); }, "notes");
onModelAfterCreateSuccess((e) => { order.push("model-collection:" + e.model.name); e.next(); }, "_collections");
`;

const B_HOOKS = `
onRecordCreate((e) => { order2.push("b:posts"); e.next(); }, "posts");
var order2 = globalThis.__order2 = [];
onRecordCreate((e) => { e.next(); order2.push("b:after-next:" + e.record.id.length); }, "posts");
routerAdd("GET", "/api/order2", (e) => e.json(200, { order: order2 }));

routerUse((e) => { e.response.header().set("X-Global-Mw", "1"); return e.next(); });

routerAdd("GET", "/api/hello/{name}", (e) => {
  return e.json(200, {
    name: e.request.pathValue("name"),
    q: e.request.url.query().get("q"),
    header: e.request.header.get("X-Test"),
    method: e.request.method,
    path: e.request.url.path,
    trace: e.get("trace") || [],
  });
},
new Middleware((e) => { e.set("trace", [...(e.get("trace") || []), "second"]); return e.next(); }, 10),
(e) => { e.set("trace", [...(e.get("trace") || []), "first"]); return e.next(); });

routerAdd("GET", "/api/custom-files/{path...}", (e) => e.string(200, "rest=" + e.request.pathValue("path")));
routerAdd("GET", "/api/me", (e) => e.json(200, { id: e.auth.id, superuser: e.hasSuperuserAuth() }), $apis.requireAuth());
routerAdd("GET", "/api/admin-only", (e) => e.json(200, { ok: true }), $apis.requireSuperuserAuth());
routerAdd("GET", "/api/users-only", (e) => e.json(200, { ok: true }), $apis.requireAuth("users"));
routerAdd("GET", "/api/guests-only", (e) => e.json(200, { ok: true }), $apis.requireGuestOnly());

routerAdd("POST", "/api/echo", (e) => {
  const data = new DynamicModel({ title: "", count: 0 });
  e.bindBody(data);
  const info = e.requestInfo();
  if (!data.title) return e.badRequestError("Missing title.", { title: new ValidationError("validation_required", "Cannot be blank.") });
  return e.json(200, { title: data.title, count: data.count, bodyKeys: Object.keys(info.body).sort() });
});
routerAdd("GET", "/api/throws", (e) => { throw new Error("secret internal detail"); });
routerAdd("GET", "/api/not-found", (e) => { throw new NotFoundError("No such thing."); });
routerAdd("GET", "/api/missing-record", (e) => e.json(200, $app.findRecordById("posts", "nope")));
`;

const C_HOOKS_TS = `
interface Stat { n: number }
const s: Stat = { n: 0 };
// an async request hook (a Satchel extra): e.next() is awaited
onRecordsListRequest(async (e) => {
  await Bun.sleep(1);
  s.n++;
  await e.next();
  e.response.header().set("X-List-Count", String(s.n));
}, "posts");

routerAdd("GET", "/api/query", (e) => {
  const recs = arrayOf(new Record());
  $app.recordQuery("posts").where($dbx.like("title", "post")).andWhere($dbx.hashExp({ flag: true })).orderBy("title DESC").limit(10).all(recs);
  const rows = arrayOf(new DynamicModel({ title: "", n: 0 }));
  $app.db().newQuery("SELECT title, length(title) AS n FROM posts WHERE title = {:t}").bind({ t: "post one" }).all(rows);
  const one = new DynamicModel({ total: 0 });
  $app.db().newQuery("SELECT count(*) AS total FROM posts").one(one);
  const byFilter = $app.findRecordsByFilter("posts", "title ~ {:q}", "-title", 0, 0, { q: "post" });
  const first = $app.findFirstRecordByFilter("posts", "title = 'post two'");
  const counted = $app.countRecords("posts", $dbx.hashExp({ flag: true }));
  const inTx = $app.runInTransaction((txApp) => txApp.countRecords("posts"));
  return e.json(200, {
    like: recs.map((r) => r.get("title")),
    rows, one, byFilter: byFilter.map((r) => r.getString("title")), first: first.get("title"), counted, inTx,
  });
});

routerAdd("GET", "/api/security", (e) => {
  const token = $security.createJWT({ sub: "x" }, "secret-key", 60);
  const claims = $security.parseJWT(token, "secret-key");
  let bad = "";
  try { $security.parseJWT(token, "other-key"); } catch (err) { bad = "rejected"; }
  $app.store().set("k", 42);
  return e.json(200, {
    sub: claims.sub, bad, rnd: $security.randomString(12).length, sha: $security.sha256("abc"),
    store: $app.store().get("k"), env: $os.getenv("SATCHEL_JSVM_TEST"), str: toString([104, 105]),
    enc: $security.decrypt($security.encrypt("hi", "12345678901234567890123456789012"), "12345678901234567890123456789012"),
  });
});
`;

let srv: JsvmTestServer;

beforeAll(async () => {
  process.env.SATCHEL_JSVM_TEST = "from-env";
  srv = await startJsvmServer({ hooks: { "a.pb.js": A_HOOKS, "b.pb.js": B_HOOKS, "c.pb.ts": C_HOOKS_TS, "ignored.js": "throw new Error('not a hook file')" } });
  const pb = await srv.superuser();
  await pb.collections.create({ name: "posts", type: "base", listRule: "", viewRule: "", createRule: "", fields: [{ name: "title", type: "text" }, { name: "flag", type: "bool" }] });
  await pb.collections.create({ name: "notes", type: "base", createRule: "", fields: [{ name: "title", type: "text" }] });
  await pb.collections.create({ name: "audit", type: "base", fields: [{ name: "msg", type: "text" }] });
  await pb.collection("users").create({ email: "u@example.com", password: "1234567890", passwordConfirm: "1234567890" });
});

test("onModel* hooks see records (tag: collection name) and collections (tag: _collections)", async () => {
  const { order } = await srv.client().send("/api/order", {});
  // the system collections made at bootstrap fire them too (the hooks load before bootstrap)
  const created = order.filter((o: string) => o.startsWith("model-collection:"));
  expect(created).toContain("model-collection:_superusers");
  expect(created.slice(-3)).toEqual(["model-collection:posts", "model-collection:notes", "model-collection:audit"]);
});

afterAll(async () => {
  await srv?.stop();
});

describe("hooks from JS", () => {
  test("files load in name order; handlers run by registration order and tags", async () => {
    const pb = srv.client();
    await pb.send("/api/order", { method: "DELETE" });
    const post = await pb.collection("posts").create({ title: "post one", flag: true });
    await pb.collection("notes").create({ title: "note" });
    const { order } = await pb.send("/api/order", {});
    expect(order).toEqual(["a:any:posts", "a:posts", "a:any:audit", "a:any:notes", "model:notes"]);
    const { order: order2 } = await pb.send("/api/order2", {});
    // code after e.next() runs after the insert (the id is set)
    expect(order2).toEqual(["b:posts", "b:after-next:15"]);
    // the after-success hook saved an audit record through $app
    const su = await srv.superuser();
    const audit = await su.collection("audit").getFullList();
    expect(audit.map((a) => a.msg)).toEqual([`created ${post.id}`]);
  });

  test("a hook that throws: ApiErrors keep their status and data, other errors fail the create; nothing is written", async () => {
    const pb = srv.client();
    const before = srv.app.countRecords("posts");
    const e1 = await pb.collection("posts").create({ title: "forbidden" }).catch((e) => e);
    expect(e1.status).toBe(400);
    expect(e1.response.message).toBe("Forbidden title.");
    expect(e1.response.data.title).toEqual({ code: "forbidden", message: "Not this one." });
    const e2 = await pb.collection("posts").create({ title: "crash" }).catch((e) => e);
    expect(e2.status).toBe(400);
    expect(e2.response.message).toBe("Failed to create record.");
    expect(JSON.stringify(e2.response)).not.toContain("plain failure");
    expect(srv.app.countRecords("posts")).toBe(before);
  });

  test("a .pb.ts file runs as TypeScript, with an async request hook", async () => {
    const pb = srv.client();
    const res = await fetch(`${srv.url}/api/collections/posts/records`);
    expect(res.status).toBe(200);
    expect(Number(res.headers.get("x-list-count"))).toBeGreaterThan(0);
    expect((await pb.collection("notes").getList().catch((e) => e)).status).toBe(403);
  });
});

describe("routes from JS", () => {
  test("path params, query, headers, route and global middlewares in priority order", async () => {
    const res = await fetch(`${srv.url}/api/hello/World%20x?q=42`, { headers: { "X-Test": "yes" } });
    expect(res.status).toBe(200);
    expect(res.headers.get("x-global-mw")).toBe("1");
    expect(await res.json()).toEqual({ name: "World x", q: "42", header: "yes", method: "GET", path: "/api/hello/World%20x", trace: ["first", "second"] });
    const rest = await fetch(`${srv.url}/api/custom-files/a/b/c.txt`);
    expect(await rest.text()).toBe("rest=a/b/c.txt");
    // the global middleware also runs for the built-in routes
    const health = await fetch(`${srv.url}/api/health`);
    expect(health.headers.get("x-global-mw")).toBe("1");
  });

  test("$apis guards", async () => {
    const guest = srv.client();
    const user = srv.client();
    await user.collection("users").authWithPassword("u@example.com", "1234567890");
    const su = await srv.superuser();
    expect((await guest.send("/api/me", {}).catch((e) => e)).status).toBe(401);
    expect((await user.send("/api/me", {})).superuser).toBe(false);
    expect((await su.send("/api/me", {})).superuser).toBe(true);
    expect((await user.send("/api/admin-only", {}).catch((e) => e)).status).toBe(403);
    expect((await su.send("/api/admin-only", {})).ok).toBe(true);
    expect((await user.send("/api/users-only", {})).ok).toBe(true);
    expect((await su.send("/api/users-only", {}).catch((e) => e)).status).toBe(403);
    expect((await guest.send("/api/guests-only", {})).ok).toBe(true);
    expect((await user.send("/api/guests-only", {}).catch((e) => e)).status).toBe(400);
  });

  test("bodies: bindBody into a DynamicModel; bad input gets clean 4xx envelopes", async () => {
    const pb = srv.client();
    expect(await pb.send("/api/echo", { method: "POST", body: { title: "t", count: 3, extra: true } })).toEqual({ title: "t", count: 3, bodyKeys: ["count", "extra", "title"] });
    const missing = await pb.send("/api/echo", { method: "POST", body: { count: 1 } }).catch((e) => e);
    expect(missing.status).toBe(400);
    expect(missing.response).toEqual({ status: 400, message: "Missing title.", data: { title: { code: "validation_required", message: "Cannot be blank." } } });
    const badJson = await fetch(`${srv.url}/api/echo`, { method: "POST", headers: { "content-type": "application/json" }, body: "{not json" });
    expect(badJson.status).toBe(400);
    expect(await badJson.json()).toEqual({ status: 400, message: "Failed to read the submitted data.", data: {} });
    const thrown = await pb.send("/api/throws", {}).catch((e) => e);
    expect(thrown.status).toBe(400);
    expect(thrown.response).toEqual({ status: 400, message: "Something went wrong while processing your request.", data: {} });
    const nf = await pb.send("/api/not-found", {}).catch((e) => e);
    expect(nf.status).toBe(404);
    expect(nf.response.message).toBe("No such thing.");
    expect((await pb.send("/api/missing-record", {}).catch((e) => e)).status).toBe(404);
  });

  test("$app query helpers, $dbx, DynamicModel, transactions", async () => {
    const pb = srv.client();
    await pb.collection("posts").create({ title: "post two", flag: true });
    await pb.collection("posts").create({ title: "other", flag: false });
    const r = await pb.send("/api/query", {});
    expect(r.like).toEqual(["post two", "post one"]);
    expect(r.rows).toEqual([{ title: "post one", n: 8 }]);
    expect(r.one.total).toBe(srv.app.countRecords("posts"));
    expect(r.byFilter).toEqual(["post two", "post one"]);
    expect(r.first).toBe("post two");
    expect(r.counted).toBe(2);
    expect(r.inTx).toBe(r.one.total);
  });

  test("$security, $os, $app.store(), toString", async () => {
    const r = await srv.client().send("/api/security", {});
    expect(r).toEqual({
      sub: "x", bad: "rejected", rnd: 12, sha: "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad",
      store: 42, env: "from-env", str: "hi", enc: "hi",
    });
  });
});

describe("load errors", () => {
  const tmp = () => mkdtempSync(join(tmpdir(), "satchel-jsvm-bad-"));

  test("a file that throws at load names the file and the line", async () => {
    const dir = tmp();
    try {
      writeFiles(join(dir, "pb_hooks"), { "ok.pb.js": "onBootstrap((e) => e.next());", "bad.pb.js": "// line 1\nthrow new Error('boom at load');\n" });
      const err = await Jsvm.load(new App({ dataDir: join(dir, "pb_data") }), { hooksDir: join(dir, "pb_hooks"), migrationsDir: join(dir, "pb_migrations") }).catch((e) => e);
      expect(err).toBeInstanceOf(Error);
      expect(err.message).toMatch(/^failed to load .*bad\.pb\.js: boom at load \(line 2, column \d+\)$/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test("a syntax error and an invalid cron expression are reported the same way", async () => {
    const dir = tmp();
    try {
      writeFiles(join(dir, "h1"), { "x.pb.js": "const = 1;\n" });
      writeFiles(join(dir, "h2"), { "y.pb.js": "cronAdd('bad', '61 * * * *', () => {});\n" });
      const load = (h: string) => Jsvm.load(new App({ dataDir: join(dir, "pb_data") }), { hooksDir: join(dir, h), migrationsDir: join(dir, "none") }).catch((e) => e);
      expect((await load("h1")).message).toMatch(/x\.pb\.js: syntax error: .+ \(line 1, column \d+\)$/);
      expect((await load("h2")).message).toMatch(/y\.pb\.js: invalid cron expression "61 \* \* \* \*": minute "61" is out of range/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test("serve exits 1 with one clean line (no stack trace)", async () => {
    const dir = tmp();
    try {
      writeFiles(join(dir, "pb_hooks"), { "main.pb.js": "onRecordCreate((e) => e.next());\nundefinedFunction();\n" });
      const p = Bun.spawn([process.execPath, "src/main.ts", "serve", "--dir", join(dir, "pb_data"), "--http", "127.0.0.1:0"], { cwd: join(import.meta.dir, ".."), stdout: "pipe", stderr: "pipe" });
      const code = await p.exited;
      const stderr = await new Response(p.stderr).text();
      expect(code).toBe(1);
      expect(stderr.trim().split("\n")).toHaveLength(1);
      expect(stderr).toMatch(/^Error: failed to load .*main\.pb\.js: ReferenceError: undefinedFunction is not defined/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
