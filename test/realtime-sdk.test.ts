/**
 * Realtime through the official SDK: `pb.collection(x).subscribe/unsubscribe` and
 * `pb.realtime.subscribe` against a real server over SSE.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { EventSource } from "eventsource";
import type PocketBase from "pocketbase";
import type { RecordModel, RecordSubscription } from "pocketbase";
import { ClientResponseError } from "pocketbase";
import { startTestServer, type TestServer } from "./helpers/test-server.ts";
import { realtimeBroker } from "../src/core/realtime/register-realtime.ts";

// NB: Bun 1.4 has no global EventSource; the SDK needs one
if (typeof (globalThis as { EventSource?: unknown }).EventSource === "undefined") {
  (globalThis as { EventSource?: unknown }).EventSource = EventSource;
}

let ts: TestServer;
let su: PocketBase;
let alice: { pb: PocketBase; id: string };
let bob: { pb: PocketBase; id: string };
const open: PocketBase[] = [];

/** A guest SDK client that is disconnected after the suite. */
function guest(): PocketBase {
  const pb = ts.client();
  open.push(pb);
  return pb;
}

async function login(email: string): Promise<{ pb: PocketBase; id: string }> {
  const rec = await su.collection("users").create({ email, password: "1234567890", passwordConfirm: "1234567890", name: email.split("@")[0] });
  const pb = guest();
  await pb.collection("users").authWithPassword(email, "1234567890");
  return { pb, id: rec.id };
}

/** Waits until `cond` holds (events arrive asynchronously); false on timeout. */
async function until(cond: () => boolean, ms = 2000): Promise<boolean> {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    if (cond()) return true;
    await Bun.sleep(5);
  }
  return cond();
}

/** Lets in-flight events arrive, to assert that nothing (more) came. */
async function settle(): Promise<void> {
  await Bun.sleep(150);
}

beforeAll(async () => {
  ts = await startTestServer();
  su = await ts.superuser();
  await su.collections.create({
    name: "posts",
    type: "base",
    listRule: "",
    viewRule: "",
    createRule: "@request.auth.id != ''",
    updateRule: "author = @request.auth.id",
    deleteRule: "author = @request.auth.id",
    fields: [
      { name: "title", type: "text" },
      { name: "content", type: "editor" },
      { name: "author", type: "relation", collectionId: "_pb_users_auth_", maxSelect: 1 },
      { name: "published", type: "bool" },
      { name: "internal", type: "text", hidden: true },
      { name: "created", type: "autodate", onCreate: true },
      { name: "updated", type: "autodate", onCreate: true, onUpdate: true },
    ],
  });
  await su.collections.create({
    name: "notes",
    type: "base",
    listRule: "owner = @request.auth.id",
    viewRule: "owner = @request.auth.id",
    fields: [
      { name: "text", type: "text" },
      { name: "owner", type: "relation", collectionId: "_pb_users_auth_", maxSelect: 1 },
    ],
  });
  await su.collections.create({
    name: "members_only",
    type: "base",
    listRule: "@request.auth.id != ''",
    viewRule: "@request.auth.id != ''",
    fields: [{ name: "text", type: "text" }],
  });
  alice = await login("alice@example.com");
  bob = await login("bob@example.com");
});

afterAll(async () => {
  for (const pb of open) pb.realtime.unsubscribe().catch(() => undefined);
  su.realtime.unsubscribe().catch(() => undefined);
  await ts.stop();
});

describe("subscribe through the SDK", () => {
  test("subscribe('*') receives create, update and delete", async () => {
    const pb = guest();
    const events: RecordSubscription[] = [];
    await pb.collection("posts").subscribe("*", (e) => events.push(e));
    const rec = await su.collection("posts").create({ title: "one", author: alice.id });
    await su.collection("posts").update(rec.id, { title: "two" });
    await su.collection("posts").delete(rec.id);
    expect(await until(() => events.length === 3)).toBe(true);
    expect(events.map((e) => [e.action, e.record.id, e.record.title])).toEqual([
      ["create", rec.id, "one"],
      ["update", rec.id, "two"],
      ["delete", rec.id, "two"],
    ]);
    expect(events[0]!.record.collectionName).toBe("posts");
    expect(events[0]!.record.internal).toBeUndefined();
    await pb.collection("posts").unsubscribe();
  });

  test("subscribe(RECORD_ID) gets only that record", async () => {
    const a = await su.collection("posts").create({ title: "a" });
    const b = await su.collection("posts").create({ title: "b" });
    const pb = guest();
    const events: RecordSubscription[] = [];
    await pb.collection("posts").subscribe(a.id, (e) => events.push(e));
    await su.collection("posts").update(b.id, { title: "b2" });
    await su.collection("posts").update(a.id, { title: "a2" });
    expect(await until(() => events.length === 1)).toBe(true);
    await settle();
    expect(events.map((e) => e.record.title)).toEqual(["a2"]);
    await pb.collection("posts").unsubscribe();
  });

  test("unsubscribe('*') and unsubscribe() stop delivery and close the connection", async () => {
    const pb = guest();
    const star: string[] = [];
    const one: string[] = [];
    const target = await su.collection("posts").create({ title: "t" });
    await pb.collection("posts").subscribe("*", (e) => star.push(e.record.title));
    await pb.collection("posts").subscribe(target.id, (e) => one.push(e.record.title));
    const clientId = pb.realtime.clientId;
    const broker = realtimeBroker(ts.app)!;
    expect(broker.clientById(clientId)!.subscriptions().sort()).toEqual(["posts/*", `posts/${target.id}`].sort());

    await pb.collection("posts").unsubscribe("*");
    await su.collection("posts").update(target.id, { title: "t2" });
    expect(await until(() => one.length === 1)).toBe(true);
    await settle();
    expect(star).toEqual([]);

    await pb.collection("posts").unsubscribe();
    await su.collection("posts").update(target.id, { title: "t3" });
    await settle();
    expect(one).toEqual(["t2"]);
    // the SDK closes its EventSource once nothing is subscribed: the server forgets the client
    expect(await until(() => broker.clientById(clientId) === null)).toBe(true);
  });

  test("the seed's usePosts flow: initial getList, then live create/update/delete", async () => {
    const pb = guest();
    let posts: RecordModel[] = [];
    let loading = true;
    // the hook's effect, without React
    const initial = pb
      .collection("posts")
      .getList(1, 50, { sort: "-created", expand: "author" })
      .then((result) => {
        posts = result.items;
        loading = false;
      });
    await pb.collection("posts").subscribe("*", (e) => {
      if (e.action === "create") posts = [e.record, ...posts];
      else if (e.action === "update") posts = posts.map((p) => (p.id === e.record.id ? e.record : p));
      else if (e.action === "delete") posts = posts.filter((p) => p.id !== e.record.id);
    });
    await initial;
    expect(loading).toBe(false);
    const before = posts.length;

    // createPost / deletePost as the hook exposes them, by a logged-in author
    const created = await alice.pb.collection("posts").create({ title: "Live", content: "<p>hi</p>", published: true, author: alice.id });
    expect(await until(() => posts[0]?.id === created.id)).toBe(true);
    await alice.pb.collection("posts").update(created.id, { title: "Live (edited)" });
    expect(await until(() => posts.find((p) => p.id === created.id)?.title === "Live (edited)")).toBe(true);
    const doomed = posts.find((p) => p.id !== created.id);
    if (doomed) await su.collection("posts").delete(doomed.id);
    expect(await until(() => posts.length === before + (doomed ? 0 : 1))).toBe(true);

    const fresh = await pb.collection("posts").getList(1, 50, { sort: "-created" });
    expect(posts.map((p) => p.id).sort()).toEqual(fresh.items.map((p) => p.id).sort());
    await pb.collection("posts").unsubscribe();
  });
});

describe("rules", () => {
  test("only the owner gets a record its rule restricts to the owner", async () => {
    const a: string[] = [];
    const b: string[] = [];
    const g: string[] = [];
    const anon = guest();
    await alice.pb.collection("notes").subscribe("*", (e) => a.push(e.record.text));
    await bob.pb.collection("notes").subscribe("*", (e) => b.push(e.record.text));
    await anon.collection("notes").subscribe("*", (e) => g.push(e.record.text));
    await su.collection("notes").create({ text: "for alice", owner: alice.id });
    await su.collection("notes").create({ text: "for bob", owner: bob.id });
    expect(await until(() => a.length === 1 && b.length === 1)).toBe(true);
    await settle();
    expect(a).toEqual(["for alice"]);
    expect(b).toEqual(["for bob"]);
    expect(g).toEqual([]);
    await alice.pb.collection("notes").unsubscribe();
    await bob.pb.collection("notes").unsubscribe();
    await anon.collection("notes").unsubscribe();
  });

  test("a guest gets nothing from a collection whose rule needs auth", async () => {
    const anon = guest();
    const g: string[] = [];
    const a: string[] = [];
    await anon.collection("members_only").subscribe("*", (e) => g.push(e.record.text));
    await alice.pb.collection("members_only").subscribe("*", (e) => a.push(e.record.text));
    const rec = await su.collection("members_only").create({ text: "members" });
    await anon.collection("members_only").subscribe(rec.id, (e) => g.push(e.record.text));
    await su.collection("members_only").update(rec.id, { text: "members 2" });
    expect(await until(() => a.length === 2)).toBe(true);
    await settle();
    expect(g).toEqual([]);
    await anon.collection("members_only").unsubscribe();
    await alice.pb.collection("members_only").unsubscribe();
  });

  test("subscribe('*', cb, {filter}) delivers only matching records", async () => {
    const pb = guest();
    const got: string[] = [];
    await pb.collection("posts").subscribe("*", (e) => got.push(e.record.title), { filter: "published = true && title ~ 'news'" });
    await su.collection("posts").create({ title: "news: yes", published: true });
    await su.collection("posts").create({ title: "news: draft", published: false });
    await su.collection("posts").create({ title: "other", published: true });
    expect(await until(() => got.length === 1)).toBe(true);
    await settle();
    expect(got).toEqual(["news: yes"]);
    await pb.collection("posts").unsubscribe();
  });

  test("a guest filter with @request or a hidden field matches nothing", async () => {
    const pb = guest();
    const got: string[] = [];
    await pb.collection("posts").subscribe("*", (e) => got.push("request"), { filter: "@request.auth.id = ''" });
    await pb.collection("posts").subscribe("*", (e) => got.push("hidden"), { filter: "internal = 'x'" });
    const sub = await su.realtime.subscribe("posts/*", () => got.push("superuser"), { filter: "internal = 'x'" });
    await su.collection("posts").create({ title: "f", internal: "x" });
    expect(await until(() => got.length === 1)).toBe(true);
    await settle();
    expect(got).toEqual(["superuser"]);
    await pb.collection("posts").unsubscribe();
    await sub();
  });

  test("expand and fields options shape the record; superusers see hidden fields; emails follow visibility", async () => {
    const pb = alice.pb;
    const expanded: RecordModel[] = [];
    const picked: RecordModel[] = [];
    const asSuperuser: RecordModel[] = [];
    await pb.collection("posts").subscribe("*", (e) => expanded.push(e.record), { expand: "author" });
    await pb.collection("posts").subscribe("*", (e) => picked.push(e.record), { fields: "id,title" });
    await su.collection("posts").subscribe("*", (e) => asSuperuser.push(e.record));
    const rec = await su.collection("posts").create({ title: "shaped", author: alice.id, internal: "staff only" });
    expect(await until(() => expanded.length === 1 && picked.length === 1 && asSuperuser.length === 1)).toBe(true);
    expect(expanded[0]!.expand?.author?.id).toBe(alice.id);
    // alice sees her own email in the expanded author
    expect(expanded[0]!.expand?.author?.email).toBe("alice@example.com");
    expect(expanded[0]!.internal).toBeUndefined();
    expect(picked[0]).toEqual({ id: rec.id, title: "shaped" } as unknown as RecordModel);
    expect(asSuperuser[0]!.internal).toBe("staff only");
    await pb.collection("posts").unsubscribe();
    await su.collection("posts").unsubscribe();
  });
});

describe("bad input and lifecycle", () => {
  test("a too long topic is refused with a 400 the SDK surfaces", async () => {
    const pb = guest();
    let err: unknown = null;
    try {
      await pb.collection("posts").subscribe("x".repeat(2600), () => {});
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(ClientResponseError);
    expect((err as ClientResponseError).status).toBe(400);
    expect((err as ClientResponseError).response.data.subscriptions["0"].code).toBe("validation_length_too_long");
    await pb.realtime.unsubscribe();
  });

  test("an unknown collection is accepted and simply never fires", async () => {
    const pb = guest();
    const got: unknown[] = [];
    await pb.collection("no_such_collection").subscribe("*", (e) => got.push(e));
    await su.collection("posts").create({ title: "unrelated" });
    await settle();
    expect(got).toEqual([]);
    await pb.realtime.unsubscribe();
  });

  test("custom topics: a server-side broadcast reaches pb.realtime.subscribe", async () => {
    const pb = guest();
    const got: unknown[] = [];
    await pb.realtime.subscribe("chat", (data) => got.push(data));
    expect(realtimeBroker(ts.app)!.broadcast("chat", { text: "hello" })).toBe(1);
    expect(await until(() => got.length === 1)).toBe(true);
    expect(got[0]).toEqual({ text: "hello" });
    await pb.realtime.unsubscribe();
  });

  test("after the server ends a connection (idle timeout) the SDK reconnects and resubscribes", async () => {
    let first = true;
    const id = ts.app.onRealtimeConnectRequest().bindFunc(async (e) => {
      if (first) e.idleTimeout = 200;
      first = false;
      await e.next();
    });
    try {
      const pb = guest();
      const got: string[] = [];
      await pb.collection("posts").subscribe("*", (e) => got.push(e.record.title));
      const firstId = pb.realtime.clientId;
      expect(await until(() => pb.realtime.clientId !== firstId && pb.realtime.isConnected, 4000)).toBe(true);
      const broker = realtimeBroker(ts.app)!;
      expect(await until(() => broker.clientById(pb.realtime.clientId)?.hasSubscription("posts/*") === true)).toBe(true);
      await su.collection("posts").create({ title: "after reconnect" });
      expect(await until(() => got.includes("after reconnect"))).toBe(true);
      await pb.realtime.unsubscribe();
    } finally {
      ts.app.onRealtimeConnectRequest().unbind(id);
    }
  });
});
