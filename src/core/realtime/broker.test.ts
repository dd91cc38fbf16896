import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { App } from "../app.ts";
import { Collection } from "../collections/collection.ts";
import type { FieldConfig } from "../collections/collection-types.ts";
import { Record } from "../records/record.ts";
import { LocalBus } from "./bus.ts";
import { RealtimeBroker } from "./broker.ts";
import { CLIENT_AUTH_KEY, RealtimeClient } from "./realtime-client.ts";
import { realtimeBroker, registerRealtime } from "./register-realtime.ts";
import { decodeFrame } from "./sse-frame.ts";

/** A parsed SSE frame. */
interface Frame {
  id: string;
  event: string;
  data: string;
}

/** A client whose frames land in an array. */
function memoryClient(broker: RealtimeBroker, auth: Record | null, ...subs: string[]): { client: RealtimeClient; frames: Frame[] } {
  const frames: Frame[] = [];
  const client = new RealtimeClient({
    write: (bytes) => {
      for (const block of decodeFrame(bytes).split("\n\n")) {
        if (!block) continue;
        const f: Frame = { id: "", event: "", data: "" };
        for (const line of block.split("\n")) {
          const i = line.indexOf(":");
          const k = line.slice(0, i) as keyof Frame;
          f[k] = k === "data" && f.data ? `${f.data}\n${line.slice(i + 1)}` : line.slice(i + 1);
        }
        frames.push(f);
      }
    },
    close: () => {},
  });
  client.set(CLIENT_AUTH_KEY, auth);
  client.subscribe(...subs);
  broker.register(client);
  return { client, frames };
}

/** Counts the statements the app runs (SELECTs through `get`/`all`). */
function countQueries(app: App, fn: () => void): number {
  const db = app.db();
  const get = db.get.bind(db);
  const all = db.all.bind(db);
  let n = 0;
  db.get = ((sql: string, params?: never[]) => (n++, get(sql, params))) as typeof db.get;
  db.all = ((sql: string, params?: never[]) => (n++, all(sql, params))) as typeof db.all;
  try {
    fn();
  } finally {
    db.get = get;
    db.all = all;
  }
  return n;
}

/** A field config with the defaults filled (the id is generated on save). */
function field(name: string, type: string, extra: { [k: string]: unknown } = {}): FieldConfig {
  return { id: "", name, type, system: false, hidden: false, presentable: false, ...extra };
}

const dirs: string[] = [];
function newApp(dir?: string): App {
  const dataDir = dir ?? mkdtempSync(join(tmpdir(), "satchel-rt-"));
  if (!dir) dirs.push(dataDir);
  const app = new App({ dataDir });
  app.bootstrap();
  return app;
}

let app: App;
let broker: RealtimeBroker;
let alice: Record;
let bob: Record;
let superuser: Record;

function user(email: string): Record {
  const u = new Record(app.findCollectionByNameOrId("users"), { email, password: "1234567890", passwordConfirm: "1234567890" });
  app.save(u);
  return u;
}

function post(data: { [k: string]: unknown }): Record {
  const r = new Record(app.findCollectionByNameOrId("posts"), data);
  app.save(r);
  return r;
}

beforeAll(() => {
  app = newApp();
  broker = registerRealtime(app);
  app.save(
    new Collection({
      name: "posts",
      listRule: "published = true || owner = @request.auth.id",
      viewRule: "published = true || owner = @request.auth.id",
      fields: [
        field("title", "text"),
        field("published", "bool"),
        field("owner", "relation", { collectionId: "_pb_users_auth_", maxSelect: 1 }),
        field("secret", "text", { hidden: true }),
      ],
    }),
  );
  app.save(
    new Collection({
      name: "comments",
      listRule: "",
      viewRule: "",
      fields: [
        field("text", "text"),
        field("post", "relation", { collectionId: app.findCollectionByNameOrId("posts").id, maxSelect: 1, cascadeDelete: true }),
      ],
    }),
  );
  alice = user("alice@example.com");
  bob = user("bob@example.com");
  superuser = new Record(app.findCollectionByNameOrId("_superusers"), { email: "root@example.com", password: "1234567890" });
  app.save(superuser);
});

afterAll(() => {
  app.terminate();
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

describe("grouped delivery", () => {
  test("clients with the same auth and subscription share one rule check and one payload", () => {
    const baseline = countQueries(app, () => post({ title: "hello baseline", published: true, secret: "s" }));
    const guests = Array.from({ length: 40 }, () => memoryClient(broker, null, "posts/*"));
    const alices = Array.from({ length: 10 }, () => memoryClient(broker, alice, "posts/*"));
    const filtered = Array.from({ length: 10 }, () => memoryClient(broker, null, `posts/*?options=${encodeURIComponent(JSON.stringify({ query: { filter: "title ~ 'hello'" } }))}`));
    let rec!: Record;
    const queries = countQueries(app, () => {
      rec = post({ title: "hello world", published: true, secret: "s3cret" });
    });
    // 60 subscribers, 3 groups (guests, alice, filtered guests): at most one check each
    expect(queries - baseline).toBeLessThanOrEqual(3);
    for (const { client, frames } of [...guests, ...alices, ...filtered]) {
      expect(frames).toHaveLength(1);
      expect(frames[0]!.id).toBe(client.id());
      expect(frames[0]!.event).toBe(client.subscriptions()[0]!);
      const data = JSON.parse(frames[0]!.data);
      expect(data.action).toBe("create");
      expect(data.record.id).toBe(rec.id);
      expect(data.record.secret).toBeUndefined();
    }
    for (const { client } of [...guests, ...alices, ...filtered]) client.discard();
    expect(broker.totalClients()).toBe(0);
  });

  test("different users share one check when the rule does not read @request", () => {
    app.save(new Collection({ name: "news", listRule: "live = true", viewRule: "live = true", fields: [field("title", "text"), field("live", "bool")] }));
    const users = Array.from({ length: 20 }, (_, i) => user(`reader${i}@example.com`));
    const readers = users.map((u) => memoryClient(broker, u, "news/*"));
    const news = (live: boolean) => app.save(new Record(app.findCollectionByNameOrId("news"), { title: "n", live }));
    const baseline = countQueries(app, () => app.save(new Record(app.findCollectionByNameOrId("posts"), { title: "q" })));
    expect(countQueries(app, () => news(true)) - baseline).toBeLessThanOrEqual(1);
    news(false);
    for (const r of readers) {
      expect(r.frames).toHaveLength(1);
      r.client.discard();
    }
  });

  test("rules and filters: only clients allowed to see the record get it", () => {
    const guest = memoryClient(broker, null, "posts/*");
    const owner = memoryClient(broker, alice, "posts/*");
    const other = memoryClient(broker, bob, "posts/*");
    const su = memoryClient(broker, superuser, "posts/*");
    const suFiltered = memoryClient(broker, superuser, `posts/*?options=${encodeURIComponent(JSON.stringify({ query: { filter: "title = 'nope'" } }))}`);
    const draft = post({ title: "draft", published: false, owner: alice.id, secret: "hidden" });
    expect(guest.frames).toHaveLength(0);
    expect(other.frames).toHaveLength(0);
    expect(owner.frames).toHaveLength(1);
    expect(JSON.parse(owner.frames[0]!.data).record.secret).toBeUndefined();
    // PocketBase parity (v0.39.1+): superusers get hidden fields, and their own filter still applies
    expect(su.frames).toHaveLength(1);
    expect(JSON.parse(su.frames[0]!.data).record.secret).toBe("hidden");
    expect(suFiltered.frames).toHaveLength(0);
    for (const c of [guest, owner, other, su, suFiltered]) c.client.discard();
    app.delete(draft);
  });

  test("a record topic uses the viewRule and only that record", () => {
    const a = post({ title: "a", published: true });
    const b = post({ title: "b", published: true });
    const byName = memoryClient(broker, null, `posts/${a.id}`);
    const byId = memoryClient(broker, null, `${a.collection().id}/${a.id}`);
    a.set("title", "a2");
    app.save(a);
    b.set("title", "b2");
    app.save(b);
    for (const c of [byName, byId]) {
      expect(c.frames.map((f) => JSON.parse(f.data).record.title)).toEqual(["a2"]);
      c.client.discard();
    }
  });

  test("several matching subscriptions of one client give one message each", () => {
    const c = memoryClient(broker, null, "posts/*", "posts", "posts/*?options=%7B%7D");
    post({ title: "multi", published: true });
    expect(c.frames.map((f) => f.event).sort()).toEqual(["posts", "posts/*", "posts/*?options=%7B%7D"]);
    c.client.discard();
  });

  test("auth records: email shown to the owner and superusers only", () => {
    const own = memoryClient(broker, alice, `users/${alice.id}`);
    const su = memoryClient(broker, superuser, `users/${alice.id}`);
    const other = memoryClient(broker, bob, `users/${alice.id}`);
    alice.set("name", "Alice");
    app.save(alice);
    expect(JSON.parse(own.frames[0]!.data).record.email).toBe("alice@example.com");
    expect(JSON.parse(su.frames[0]!.data).record.email).toBe("alice@example.com");
    expect(other.frames).toHaveLength(0); // users' viewRule: id = @request.auth.id
    for (const c of [own, su, other]) c.client.discard();
  });
});

describe("after commit only", () => {
  test("inside a transaction nothing is sent before the commit; a rollback sends nothing", () => {
    const c = memoryClient(broker, null, "posts/*");
    app.runInTransaction((tx) => {
      tx.save(new Record(tx.findCollectionByNameOrId("posts"), { title: "tx", published: true }));
      expect(c.frames).toHaveLength(0);
    });
    expect(c.frames).toHaveLength(1);
    expect(() =>
      app.runInTransaction((tx) => {
        tx.save(new Record(tx.findCollectionByNameOrId("posts"), { title: "rolled back", published: true }));
        throw new Error("abort");
      }),
    ).toThrow("abort");
    expect(c.frames).toHaveLength(1);
    c.client.discard();
  });

  test("changes made by hooks are delivered too", () => {
    const c = memoryClient(broker, null, "comments/*");
    const id = app.onRecordAfterCreateSuccess("posts").bindFunc((e) => {
      e.app.save(new Record(e.app.findCollectionByNameOrId("comments"), { text: "auto", post: e.record.id }));
      return e.next();
    });
    post({ title: "with comment", published: true });
    app.onRecordAfterCreateSuccess().unbind(id);
    expect(c.frames.map((f) => JSON.parse(f.data).record.text)).toEqual(["auto"]);
    c.client.discard();
  });
});

describe("delete", () => {
  test("access is checked while the row exists; cascades send their own events", () => {
    const p = post({ title: "to delete", published: true });
    const com = new Record(app.findCollectionByNameOrId("comments"), { text: "child", post: p.id });
    app.save(com);
    const posts = memoryClient(broker, null, "posts/*");
    const comments = memoryClient(broker, null, "comments/*");
    app.delete(p);
    expect(posts.frames.map((f) => JSON.parse(f.data))).toEqual([{ action: "delete", record: expect.objectContaining({ id: p.id, title: "to delete" }) }]);
    expect(comments.frames.map((f) => JSON.parse(f.data).action)).toEqual(["delete"]);
    posts.client.discard();
    comments.client.discard();
  });

  test("a failed delete sends nothing", () => {
    const p = post({ title: "stays", published: true });
    const c = memoryClient(broker, null, "posts/*");
    const id = app.onRecordDeleteExecute("posts").bindFunc(() => {
      throw new Error("refused");
    });
    expect(() => app.delete(p)).toThrow("refused");
    app.onRecordDeleteExecute().unbind(id);
    expect(c.frames).toHaveLength(0);
    c.client.discard();
  });

  test("a delete inside a rolled-back transaction sends nothing", () => {
    const p = post({ title: "stays too", published: true });
    const c = memoryClient(broker, null, "posts/*");
    expect(() =>
      app.runInTransaction((tx) => {
        tx.delete(tx.findRecordById("posts", p.id));
        throw new Error("abort");
      }),
    ).toThrow("abort");
    expect(c.frames).toHaveLength(0);
    c.client.discard();
  });
});

describe("messages and hooks", () => {
  test("onRealtimeMessageSend can rewrite or drop a message", async () => {
    const c = memoryClient(broker, null, "posts/*", "chat");
    const id = app.onRealtimeMessageSend().bindFunc(async (e) => {
      if (e.message.name === "chat") return; // dropped
      e.message.data = JSON.stringify({ wrapped: JSON.parse(e.message.data).action });
      await e.next();
    });
    post({ title: "hooked", published: true });
    broker.broadcast("chat", { text: "hi" });
    await Bun.sleep(0);
    await Bun.sleep(0);
    app.onRealtimeMessageSend().unbind(id);
    expect(c.frames.map((f) => f.data)).toEqual(['{"wrapped":"create"}']);
    c.client.discard();
  });

  test("broadcast and sendToClient address custom topics", () => {
    const a = memoryClient(broker, null, "chat", "@oauth2");
    const b = memoryClient(broker, null, "chat?options=%7B%7D");
    expect(broker.broadcast("chat", "line1\nline2")).toBe(2);
    expect(a.frames[0]).toEqual({ id: a.client.id(), event: "chat", data: "line1\nline2" });
    expect(b.frames[0]!.event).toBe("chat?options=%7B%7D");
    expect(broker.sendToClient(a.client.id(), "@oauth2", { state: a.client.id(), code: "123" })).toBe(true);
    expect(JSON.parse(a.frames[1]!.data)).toEqual({ state: a.client.id(), code: "123" });
    expect(broker.sendToClient(b.client.id(), "@oauth2", {})).toBe(false);
    expect(broker.sendToClient("unknown", "@oauth2", {})).toBe(false);
    a.client.discard();
    b.client.discard();
  });

  test("the client's auth follows its record: updated, or dropped on tokenKey change and delete", () => {
    const u = user("carol@example.com");
    const c = memoryClient(broker, u, "posts/*");
    u.set("name", "Carol");
    app.save(u);
    expect(c.client.auth()!.getString("name")).toBe("Carol");
    u.refreshTokenKey();
    app.save(u);
    expect(c.client.auth()).toBeNull();
    c.client.set(CLIENT_AUTH_KEY, app.findRecordById("users", u.id));
    app.delete(u);
    expect(c.client.auth()).toBeNull();
    c.client.discard();
  });

  test("realtimeBroker resolves the broker from a transaction-scoped app", () => {
    app.runInTransaction((tx) => expect(realtimeBroker(tx)).toBe(broker));
  });
});

describe("bus", () => {
  test("changes published by another broker reach this broker's clients (delete via snapshot)", () => {
    const bus = new LocalBus();
    const other = newApp(app.dataDir());
    const local = new RealtimeBroker(app, bus);
    const remote = new RealtimeBroker(other, bus);
    try {
      const c = memoryClient(remote, null, "posts/*");
      const owned = memoryClient(remote, alice, "posts/*");
      const p = post({ title: "from afar", published: false, owner: alice.id });
      local.recordSaved("create", p);
      local.recordDeleted(p, []);
      expect(c.frames).toHaveLength(0);
      expect(owned.frames.map((f) => JSON.parse(f.data).action)).toEqual(["create", "delete"]);
      expect(JSON.parse(owned.frames[1]!.data).record.title).toBe("from afar");
      const chat = memoryClient(remote, null, "chat");
      expect(local.broadcast("chat", "x")).toBe(0);
      expect(chat.frames.map((f) => f.data)).toEqual(["x"]);
      remote.shutdown();
      local.shutdown();
    } finally {
      other.terminate();
    }
  });
});
