import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { Database } from "bun:sqlite";
import { join } from "node:path";
import type PocketBase from "pocketbase";
import { rmSync } from "node:fs";
import { copyFixture, startTestServer, type TestServer } from "./helpers/test-server.ts";

let ts: TestServer;
let pb: PocketBase;

interface RawCollection {
  id: string;
  name: string;
  type: string;
  fields: string;
  indexes: string;
  listRule: string | null;
}

/** What PocketBase itself stored in the fixture (read straight from a copy's `_collections`). */
function storedCollections(dir: string): RawCollection[] {
  const db = new Database(join(dir, "data.db"), { readonly: true });
  try {
    return db.query("SELECT id, name, type, fields, indexes, listRule FROM _collections ORDER BY name").all() as RawCollection[];
  } finally {
    db.close();
  }
}

beforeAll(async () => {
  ts = await startTestServer({ fixture: true });
  pb = await ts.superuser();
});
afterAll(async () => {
  await ts.stop();
});

describe("a pb_data written by PocketBase v0.39", () => {
  test("opens without migrations changing its collections", () => {
    const stored = storedCollections(ts.dataDir);
    expect(stored.length).toBe(16);
    const copy = copyFixture();
    const pristine = storedCollections(copy);
    rmSync(copy, { recursive: true, force: true });
    expect(stored).toEqual(pristine);
  });

  test("every collection and field comes back as PocketBase defines it", async () => {
    const stored = storedCollections(ts.dataDir);
    const api = await pb.collections.getFullList({ sort: "name" });
    expect(api.map((c) => c.name)).toEqual(stored.map((c) => c.name).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)));
    for (const raw of stored) {
      const c = api.find((x) => x.id === raw.id)!;
      expect(c.type as string).toBe(raw.type);
      expect(c.listRule ?? null).toBe(raw.listRule);
      expect(c.indexes).toEqual(JSON.parse(raw.indexes));
      const fields = JSON.parse(raw.fields) as { id: string; name: string; type: string }[];
      expect(c.fields.map((f: { id: string; name: string; type: string }) => [f.id, f.name, f.type])).toEqual(fields.map((f) => [f.id, f.name, f.type]));
    }
    const users = api.find((c) => c.name === "users")!;
    expect(users.passwordAuth).toEqual({ enabled: true, identityFields: ["email", "username"] });
    expect(users.authToken).toEqual({ duration: 1209600 });
  });

  test("records of every collection are listed with their stored values", async () => {
    for (const c of await pb.collections.getFullList()) {
      const res = await pb.collection(c.name).getList(1, 200);
      expect(res.totalItems).toBeGreaterThanOrEqual(res.items.length);
      for (const r of res.items) {
        expect(r.collectionId).toBe(c.id);
        expect(r.collectionName).toBe(c.name);
        if (c.type === "auth") {
          expect(r.password).toBeUndefined();
          expect(r.tokenKey).toBeUndefined();
        }
      }
    }
    const demo1 = await pb.collection("demo1").getFullList({ sort: "created" });
    expect(demo1.length).toBeGreaterThan(0);
    const row = demo1.find((r) => r.rel_many && r.rel_many.length > 0)!;
    expect(Array.isArray(row.rel_many)).toBe(true);
    expect(typeof row.point.lon).toBe("number");
  });

  test("the fixture's users and superusers log in with password 1234567890", async () => {
    const client = ts.client();
    // the fixture's users collection has MFA on: a right password is the first factor (401 + mfaId)
    const first = await fetch(`${ts.url}/api/collections/users/auth-with-password`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ identity: "test@example.com", password: "1234567890" }),
    });
    expect(first.status).toBe(401);
    expect((await first.json()).mfaId).toBeString();
    const wrong = await fetch(`${ts.url}/api/collections/users/auth-with-password`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ identity: "test@example.com", password: "not-the-password" }),
    });
    expect(wrong.status).toBe(400);
    await pb.collections.update("users", { mfa: { enabled: false } });
    const u = await client.collection("users").authWithPassword("test@example.com", "1234567890");
    expect(u.record.email).toBe("test@example.com");
    for (const email of ["test2@example.com", "test3@example.com"]) {
      await client.collection("_superusers").authWithPassword(email, "1234567890");
    }
  });

  test("superusers can create, update and delete records of fixture collections", async () => {
    const created = await pb.collection("demo2").create({ title: "from satchel", active: true });
    expect(created.title).toBe("from satchel");
    const upd = await pb.collection("demo2").update(created.id, { title: "changed" });
    expect(upd.title).toBe("changed");
    await pb.collection("demo2").delete(created.id);
    const count = ts.app.db().get<{ n: number }>("SELECT COUNT(*) AS n FROM demo2 WHERE id = ?", [created.id]);
    expect(count?.n).toBe(0);
  });
});
