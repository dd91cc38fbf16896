import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import type PocketBase from "pocketbase";
import { startTestServer, type TestServer } from "./helpers/test-server.ts";
import { Collection } from "../src/core/collections/collection.ts";
import { Record } from "../src/core/records/record.ts";

let ts: TestServer;
let pb: PocketBase;

beforeAll(async () => {
  ts = await startTestServer();
  pb = await ts.superuser();
  await pb.collections.create({
    name: "ledger",
    type: "base",
    listRule: "",
    viewRule: "",
    createRule: "",
    fields: [
      { name: "account", type: "text", required: true },
      { name: "amount", type: "number" },
      { name: "batch", type: "text" },
    ],
  });
});
afterAll(async () => {
  await ts.stop();
});

function ledger(): Collection {
  return ts.app.findCollectionByNameOrId("ledger");
}

function entry(account: string, amount: number, batch: string): Record {
  return new Record(ledger(), { account, amount, batch });
}

describe("runInTransaction", () => {
  test("a transaction that fails half-way leaves nothing behind", () => {
    const before = ts.app.countAllRecords("ledger");
    expect(() =>
      ts.app.runInTransaction((tx) => {
        tx.save(entry("a", 10, "half"));
        tx.save(entry("b", -10, "half"));
        tx.save(entry("", 5, "half")); // invalid: account is required
      }),
    ).toThrow();
    expect(ts.app.countAllRecords("ledger")).toBe(before);
  });

  test("an async callback is refused with a clear error and changes nothing", async () => {
    const before = ts.app.countAllRecords("ledger");
    expect(() =>
      ts.app.runInTransaction(async (tx) => {
        tx.save(entry("a", 1, "async"));
      }),
    ).toThrow(/returned a Promise/);
    await Bun.sleep(10);
    expect(ts.app.countAllRecords("ledger")).toBe(before);
  });

  test("a model hook returning a Promise is refused and the save rolled back", () => {
    const id = ts.app.onRecordCreate("ledger").bindFunc(async (e) => {
      await e.next();
    });
    try {
      const before = ts.app.countAllRecords("ledger");
      expect(() => ts.app.save(entry("x", 1, "hook"))).toThrow(/must be synchronous/);
      expect(ts.app.countAllRecords("ledger")).toBe(before);
    } finally {
      ts.app.hooks.recordCreate.unbind(id);
    }
  });

  test("after-success hooks inside a transaction wait for the commit, in PocketBase's order", () => {
    const log: string[] = [];
    const names = ["recordCreate", "recordValidate", "recordCreateExecute", "recordAfterCreateSuccess", "recordUpdate", "recordUpdateExecute", "recordAfterUpdateSuccess", "recordDelete", "recordDeleteExecute", "recordAfterDeleteSuccess"] as const;
    const ids = names.map((n) =>
      ts.app.hooks[n].bind({ func: (e) => (log.push(n), e.next()) }, ["ledger"]),
    );
    try {
      ts.app.runInTransaction((tx) => {
        const r = entry("o", 1, "order");
        tx.save(r);
        log.push("-- still in transaction");
        r.set("amount", 2);
        tx.save(r);
        tx.delete(r);
        log.push("-- end of callback");
      });
    } finally {
      names.forEach((n, i) => ts.app.hooks[n].unbind(ids[i]!));
    }
    expect(log).toEqual([
      "recordCreate", "recordValidate", "recordCreateExecute", "-- still in transaction",
      "recordUpdate", "recordValidate", "recordUpdateExecute",
      "recordDelete", "recordDeleteExecute", "-- end of callback",
      "recordAfterCreateSuccess", "recordAfterUpdateSuccess", "recordAfterDeleteSuccess",
    ]);
  });

  test("concurrent writers and readers never see each other's uncommitted rows", async () => {
    // Every POST to ledger also writes a balancing entry inside one transaction, after an
    // await in the request hook: a reader must always see both rows of a batch or neither.
    const hookId = ts.app.onRecordCreateRequest("ledger").bindFunc(async (e) => {
      await Bun.sleep(Math.random() * 3);
      e.app.runInTransaction((tx) => {
        const body = e.body as { account: string; amount: number; batch: string };
        tx.save(entry(body.account, body.amount, body.batch));
        tx.save(entry("balance", -body.amount, body.batch));
      });
      e.json(200, { ok: true });
    });
    try {
      const writers = Array.from({ length: 60 }, (_, i) =>
        fetch(`${ts.url}/api/collections/ledger/records`, {
          method: "POST",
          headers: { "content-type": "application/json" },
          body: JSON.stringify({ account: `w${i}`, amount: i + 1, batch: `c${i}` }),
        }).then((r) => r.status),
      );
      const sums: number[] = [];
      const readers = Array.from({ length: 60 }, async () => {
        const list = await ts.client().collection("ledger").getFullList({ filter: 'batch ~ "c"' });
        sums.push(list.reduce((s, r) => s + r.amount, 0));
      });
      const statuses = await Promise.all(writers);
      await Promise.all(readers);
      expect(statuses.every((s) => s === 200)).toBe(true);
      expect(sums.every((s) => s === 0)).toBe(true);
      const all = await pb.collection("ledger").getFullList({ filter: 'batch ~ "c"' });
      expect(all.length).toBe(120);
    } finally {
      ts.app.hooks.recordCreateRequest.unbind(hookId);
    }
  });
});
