import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { createHmac } from "node:crypto";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import PocketBase from "pocketbase";
import { startTestServer, type TestServer } from "./helpers/test-server.ts";
import { startServer, type RunningServer } from "../src/http/server.ts";

let ts: TestServer;
let fixture: TestServer;

beforeAll(async () => {
  ts = await startTestServer();
  fixture = await startTestServer({ fixture: true });
});
afterAll(async () => {
  await ts.stop();
  await fixture.stop();
});

function b64url(s: string): string {
  return Buffer.from(s).toString("base64url");
}

/** Mints an auth token the way PocketBase does, independently of Satchel's own JWT code. */
function mintLikePocketBase(payload: object, key: string): string {
  const head = b64url(JSON.stringify({ alg: "HS256", typ: "JWT" }));
  const body = b64url(JSON.stringify(payload));
  const sig = createHmac("sha256", key).update(`${head}.${body}`).digest("base64url");
  return `${head}.${body}.${sig}`;
}

describe("tokens", () => {
  test("a token minted PocketBase's way from the fixture's tokenKey + secret is accepted", async () => {
    const db = fixture.app.db();
    const row = db.get<{ id: string; tokenKey: string }>("SELECT id, tokenKey FROM _superusers WHERE email = 'test@example.com'")!;
    const opts = JSON.parse(db.get<{ options: string }>("SELECT options FROM _collections WHERE name = '_superusers'")!.options);
    const token = mintLikePocketBase({ id: row.id, type: "auth", collectionId: "pbc_3142635823", refreshable: true, exp: Math.floor(Date.now() / 1000) + 600 }, row.tokenKey + opts.authToken.secret);
    const res = await fetch(`${fixture.url}/api/collections`, { headers: { Authorization: token } });
    expect(res.status).toBe(200);
    const wrongType = mintLikePocketBase({ id: row.id, type: "file", collectionId: "pbc_3142635823", exp: Math.floor(Date.now() / 1000) + 600 }, row.tokenKey + opts.authToken.secret);
    expect((await fetch(`${fixture.url}/api/collections`, { headers: { Authorization: wrongType } })).status).toBe(401);
    const expired = mintLikePocketBase({ id: row.id, type: "auth", collectionId: "pbc_3142635823", refreshable: true, exp: Math.floor(Date.now() / 1000) - 5 }, row.tokenKey + opts.authToken.secret);
    expect((await fetch(`${fixture.url}/api/collections`, { headers: { Authorization: expired } })).status).toBe(401);
    const none = `${b64url(JSON.stringify({ alg: "none", typ: "JWT" }))}.${b64url(JSON.stringify({ id: row.id, type: "auth", collectionId: "pbc_3142635823", exp: 9999999999 }))}.`;
    expect((await fetch(`${fixture.url}/api/collections`, { headers: { Authorization: none } })).status).toBe(401);
  });

  test("a regular user's token gets 403 on superuser-only routes", async () => {
    const su = await fixture.superuser();
    await su.collections.update("users", { mfa: { enabled: false } });
    const pb = fixture.client();
    await pb.collection("users").authWithPassword("test2@example.com", "1234567890");
    const res = await fetch(`${fixture.url}/api/collections`, { headers: { Authorization: `Bearer ${pb.authStore.token}` } });
    expect(res.status).toBe(403);
    expect((await res.json()).message).toBe("The authorized record is not allowed to perform this action.");
  });
});

describe("recover middleware", () => {
  test("a thrown error becomes a 500 envelope without internals", async () => {
    const su = await ts.superuser();
    await su.collections.create({ name: "boom", type: "base", listRule: "", fields: [{ name: "t", type: "text" }] });
    const id = ts.app.onRecordsListRequest("boom").bindFunc(() => {
      throw new Error("secret internal detail /etc/passwd");
    });
    try {
      const res = await fetch(`${ts.url}/api/collections/boom/records`);
      expect(res.status).toBe(500);
      const body = await res.json();
      expect(body).toEqual({ status: 500, message: "Something went wrong while processing your request.", data: {} });
    } finally {
      ts.app.hooks.recordsListRequest.unbind(id);
    }
  });
});

describe("schema sync", () => {
  test("single ↔ multiple conversion keeps the data", async () => {
    const su = await ts.superuser();
    const c = await su.collections.create({ name: "conv", type: "base", fields: [{ name: "tag", type: "select", values: ["a", "b", "c"], maxSelect: 1 }] });
    const r1 = await su.collection("conv").create({ tag: "b" });
    const r2 = await su.collection("conv").create({});
    const toMulti = c.fields.map((f: { name: string }) => (f.name === "tag" ? { ...f, maxSelect: 3 } : f));
    await su.collections.update("conv", { fields: toMulti });
    expect((await su.collection("conv").getOne(r1.id)).tag).toEqual(["b"]);
    expect((await su.collection("conv").getOne(r2.id)).tag).toEqual([]);
    await su.collection("conv").update(r1.id, { tag: ["a", "c"] });
    await su.collections.update("conv", { fields: c.fields });
    expect((await su.collection("conv").getOne(r1.id)).tag).toBe("c");
    expect((await su.collection("conv").getOne(r2.id)).tag).toBe("");
  });
});

describe("pb_public", () => {
  let dir: string;
  let server: RunningServer;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), "satchel-public-"));
    mkdirSync(join(dir, "pb_public", "sub"), { recursive: true });
    writeFileSync(join(dir, "pb_public", "index.html"), "<h1>home</h1>");
    writeFileSync(join(dir, "pb_public", "sub", "app.js"), "console.log(1)");
    writeFileSync(join(dir, "secret.txt"), "do not serve");
    server = startServer(ts.app, { http: "127.0.0.1:0", publicDir: join(dir, "pb_public") });
  });
  afterAll(async () => {
    await server.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  test("serves files and index.html, refuses path tricks", async () => {
    const home = await fetch(`${server.url}/`);
    expect(await home.text()).toBe("<h1>home</h1>");
    expect((await fetch(`${server.url}/sub/app.js`)).headers.get("content-type")).toContain("javascript");
    for (const trick of ["/../secret.txt", "/%2e%2e/secret.txt", "/sub/..%2f..%2fsecret.txt", "/%00"]) {
      const res = await fetch(`${server.url}${trick}`);
      expect([trick, res.status]).toEqual([trick, 404]);
    }
    const api = await fetch(`${server.url}/api/health`);
    expect(api.status).toBe(200);
    expect(new PocketBase(server.url).baseURL).toBe(server.url);
  });
});
