import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import type PocketBase from "pocketbase";
import { ClientResponseError } from "pocketbase";
import { EventSource } from "eventsource";
import { startTestServer, type TestServer } from "./helpers/test-server.ts";

(globalThis as { EventSource?: unknown }).EventSource ??= EventSource;

let ts: TestServer;
let su: PocketBase;

beforeAll(async () => {
  ts = await startTestServer();
  su = await ts.superuser();
  await su.settings.update({ batch: { enabled: true, maxRequests: 5, timeout: 3 } });
  await su.collections.create({
    name: "items",
    type: "base",
    listRule: "",
    viewRule: "",
    createRule: "",
    updateRule: "",
    deleteRule: "",
    fields: [
      { name: "title", type: "text", required: true },
      { name: "qty", type: "number" },
      { name: "doc", type: "file", maxSelect: 2 },
    ],
  });
});
afterAll(async () => {
  await ts.stop();
});

async function batchError(p: Promise<unknown>): Promise<ClientResponseError> {
  try {
    await p;
  } catch (err) {
    return err as ClientResponseError;
  }
  throw new Error("expected the batch to fail");
}

describe("POST /api/batch", () => {
  test("create, upsert, update and delete in one transaction, through the SDK", async () => {
    const existing = await su.collection("items").create({ title: "existing", qty: 1 });
    const pb = ts.client();
    const batch = pb.createBatch();
    batch.collection("items").create({ title: "a", qty: 1 });
    batch.collection("items").upsert({ id: existing.id, title: "upserted" });
    batch.collection("items").upsert({ id: "newid123456789a", title: "created by upsert" });
    batch.collection("items").update(existing.id, { "qty+": 5 });
    batch.collection("items").delete(existing.id);
    const res = await batch.send();
    expect(res.map((r) => r.status)).toEqual([200, 200, 200, 200, 204]);
    expect(res[1]!.body.title).toBe("upserted");
    expect(res[2]!.body.id).toBe("newid123456789a");
    expect(res[3]!.body.qty).toBe(6);
    await expect(su.collection("items").getOne(existing.id)).rejects.toThrow();
    expect((await su.collection("items").getOne("newid123456789a")).title).toBe("created by upsert");
  });

  test("a failing sub-request rolls everything back and names the failing index", async () => {
    const before = (await su.collection("items").getList(1, 1)).totalItems;
    const batch = ts.client().createBatch();
    batch.collection("items").create({ title: "will be rolled back" });
    batch.collection("items").create({ title: "" });
    const err = await batchError(batch.send());
    expect(err.status).toBe(400);
    expect(err.response.message).toBe("Batch transaction failed.");
    const sub = err.response.data.requests["1"];
    expect(sub.code).toBe("batch_request_failed");
    expect(sub.response.data.title.code).toBe("validation_required");
    expect((await su.collection("items").getList(1, 1)).totalItems).toBe(before);
  });

  test("files travel with the batch (requests.N.field parts)", async () => {
    const batch = ts.client().createBatch();
    batch.collection("items").create({ title: "with file", doc: [new File(["hello"], "note.txt", { type: "text/plain" })] });
    const [res] = await batch.send();
    expect(res!.body.doc).toHaveLength(1);
    expect(res!.body.doc[0]).toMatch(/^note_[a-z0-9]{10}\.txt$/);
    const url = ts.client().files.getURL(res!.body, res!.body.doc[0]);
    expect(await (await fetch(url)).text()).toBe("hello");
  });

  test("realtime events fire only after the batch commits, and not at all on rollback", async () => {
    const pb = ts.client();
    const seen: string[] = [];
    await pb.collection("items").subscribe("*", (e) => seen.push(`${e.action}:${e.record.title}`));
    const bad = pb.createBatch();
    bad.collection("items").create({ title: "ghost" });
    bad.collection("items").create({ title: "" });
    await batchError(bad.send());
    const good = pb.createBatch();
    good.collection("items").create({ title: "rt1" });
    good.collection("items").create({ title: "rt2" });
    await good.send();
    for (let i = 0; i < 50 && seen.length < 2; i++) await Bun.sleep(20);
    await pb.collection("items").unsubscribe();
    expect(seen).toEqual(["create:rt1", "create:rt2"]);
  });

  test("requests made while a batch runs never see its uncommitted rows", async () => {
    const hook = ts.app.onRecordCreateRequest("items").bindFunc(async (e) => {
      if (e.context === "batch") await Bun.sleep(30);
      await e.next();
    });
    try {
      const batch = ts.client().createBatch();
      batch.collection("items").create({ title: "slow-1" });
      batch.collection("items").create({ title: "slow-2" });
      const sending = batch.send();
      await Bun.sleep(10);
      const during = await ts.client().collection("items").getFullList({ filter: 'title ~ "slow-"' });
      await sending;
      // the read waited for the batch: it saw both rows or none, never one
      expect([0, 2]).toContain(during.length);
      expect((await ts.client().collection("items").getFullList({ filter: 'title ~ "slow-"' })).length).toBe(2);
    } finally {
      ts.app.hooks.recordCreateRequest.unbind(hook);
    }
  });

  test("bad batch input", async () => {
    const post = (body: unknown) => fetch(`${ts.url}/api/batch`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });
    const none = await post({});
    expect(none.status).toBe(400);
    expect((await none.json()).data.requests.code).toBe("validation_required");
    const many = await post({ requests: Array.from({ length: 6 }, () => ({ method: "POST", url: "/api/collections/items/records", body: { title: "x" } })) });
    expect((await many.json()).data.requests.code).toBe("validation_length_too_long");
    const badItem = await post({ requests: [{ method: "TRACE", url: "" }] });
    const badData = (await badItem.json()).data.requests["0"];
    expect(Object.keys(badData).sort()).toEqual(["method", "url"]);
    const notAllowed = await post({ requests: [{ method: "GET", url: "/api/collections/items/records" }] });
    expect(notAllowed.status).toBe(400);
    expect((await notAllowed.json()).data.requests["0"].code).toBe("batch_request_failed");
    const collections = await post({ requests: [{ method: "POST", url: "/api/collections", body: { name: "x" } }] });
    expect((await collections.json()).data.requests["0"].code).toBe("batch_request_failed");
    const malformed = await fetch(`${ts.url}/api/batch`, { method: "POST", headers: { "content-type": "application/json" }, body: "{oops" });
    expect(malformed.status).toBe(400);
    await su.settings.update({ batch: { enabled: false } });
    const off = await post({ requests: [{ method: "POST", url: "/api/collections/items/records", body: { title: "x" } }] });
    expect(off.status).toBe(403);
    expect((await off.json()).message).toBe("Batch requests are not allowed.");
    await su.settings.update({ batch: { enabled: true } });
  });

  test("a batch over its time limit is rolled back", async () => {
    await su.settings.update({ batch: { timeout: 1 } });
    const hook = ts.app.onRecordCreateRequest("items").bindFunc(async (e) => {
      if (e.body.title === "slow") await Bun.sleep(1500);
      await e.next();
    });
    try {
      const before = (await su.collection("items").getList(1, 1)).totalItems;
      const batch = ts.client().createBatch();
      batch.collection("items").create({ title: "first" });
      batch.collection("items").create({ title: "slow" });
      const err = await batchError(batch.send());
      expect(err.status).toBe(400);
      expect(err.message).toBe("Batch transaction timeout.");
      await Bun.sleep(700);
      expect((await su.collection("items").getList(1, 1)).totalItems).toBe(before);
    } finally {
      ts.app.hooks.recordCreateRequest.unbind(hook);
      await su.settings.update({ batch: { timeout: 3 } });
    }
  });
});
