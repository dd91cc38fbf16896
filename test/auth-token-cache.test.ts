import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { Database } from "bun:sqlite";
import { join } from "node:path";
import type PocketBase from "pocketbase";
import { startTestServer, type TestServer } from "./helpers/test-server.ts";
import { newAuthToken } from "../src/core/auth/tokens.ts";
import { signJwt } from "../src/tools/jwt.ts";

// The auth middleware remembers tokens whose signature checked out (src/core/auth/tokens.ts).
// Whatever it remembers, a token must be refused as soon as a fresh check would refuse it.

let ts: TestServer;
let su: PocketBase;
const PASSWORD = "securepassword123";

beforeAll(async () => {
  ts = await startTestServer();
  su = await ts.superuser();
});
afterAll(async () => {
  await ts.stop();
});

/** A new user and a client logged in as it. */
async function newUser(name: string): Promise<{ id: string; pb: PocketBase }> {
  const user = await su.collection("users").create({ email: `${name}@example.com`, password: PASSWORD, passwordConfirm: PASSWORD });
  const pb = ts.client();
  await pb.collection("users").authWithPassword(`${name}@example.com`, PASSWORD);
  return { id: user.id, pb };
}

/** What the client's token is worth: the users view rule (`id = @request.auth.id`) shows the owner only. */
async function seesOwnRecord(pb: PocketBase, id: string): Promise<boolean> {
  try {
    await pb.collection("users").getOne(id);
    return true;
  } catch (err) {
    expect((err as { status?: number }).status).toBe(404);
    return false;
  }
}

describe("remembered token checks", () => {
  test("a token used many times is refused once its tokenKey is changed by another connection", async () => {
    const { id, pb } = await newUser("other-conn");
    for (let i = 0; i < 3; i++) expect(await seesOwnRecord(pb, id)).toBe(true);
    // a write the app does not see happen (another process, the sqlite3 shell, raw SQL)
    const db = new Database(join(ts.dataDir, "data.db"));
    try {
      db.run("PRAGMA busy_timeout = 5000");
      db.run("UPDATE users SET tokenKey = 'rotated-by-another-connection-0123456789abcdefghij' WHERE id = ?", [id]);
    } finally {
      db.close();
    }
    expect(await seesOwnRecord(pb, id)).toBe(false);
    await expect(pb.collection("users").authRefresh()).rejects.toMatchObject({ status: 401 });
  });

  test("a token is refused after a password change through the API, and a new login works", async () => {
    const { id, pb } = await newUser("pw-change");
    expect(await seesOwnRecord(pb, id)).toBe(true);
    const old = pb.authStore.token;
    await pb.collection("users").update(id, { oldPassword: PASSWORD, password: "another-password-1", passwordConfirm: "another-password-1" });
    const stale = ts.client();
    stale.authStore.save(old, null);
    expect(await seesOwnRecord(stale, id)).toBe(false);
    const fresh = ts.client();
    await fresh.collection("users").authWithPassword("pw-change@example.com", "another-password-1");
    expect(await seesOwnRecord(fresh, id)).toBe(true);
  });

  test("a token is refused after the collection's auth token secret changes", async () => {
    const { id, pb } = await newUser("secret-change");
    expect(await seesOwnRecord(pb, id)).toBe(true);
    await su.collections.update("users", { authToken: { secret: "a-brand-new-secret-0123456789abcdefghijklmnop", duration: 604800 } });
    expect(await seesOwnRecord(pb, id)).toBe(false);
  });

  test("a token is refused after its record is deleted", async () => {
    const { id, pb } = await newUser("deleted");
    expect(await seesOwnRecord(pb, id)).toBe(true);
    await su.collection("users").delete(id);
    await expect(pb.collection("users").authRefresh()).rejects.toMatchObject({ status: 401 });
  });

  test("the expiry of a remembered token is checked on every request", async () => {
    const { id } = await newUser("expiry");
    const token = newAuthToken(ts.app.findRecordById("users", id)!, true, 2);
    const pb = ts.client();
    pb.authStore.save(token, null);
    expect(await seesOwnRecord(pb, id)).toBe(true);
    expect(await seesOwnRecord(pb, id)).toBe(true);
    await Bun.sleep(2100);
    expect(await seesOwnRecord(pb, id)).toBe(false);
  });

  test("a tampered or unsigned variant of a remembered token is refused", async () => {
    const { id, pb } = await newUser("tamper");
    const token = pb.authStore.token;
    expect(await seesOwnRecord(pb, id)).toBe(true);
    const [header, payload, signature] = token.split(".") as [string, string, string];
    const claims = JSON.parse(Buffer.from(payload, "base64url").toString()) as { [k: string]: unknown };
    const variants = [
      // another signature for the same header and claims
      `${header}.${payload}.${signature.slice(0, -2)}${signature.endsWith("AA") ? "BB" : "AA"}`,
      // the same claims, unsigned
      `${Buffer.from(JSON.stringify({ alg: "none", typ: "JWT" })).toString("base64url")}.${payload}.`,
      // a later expiry with the old signature
      `${header}.${Buffer.from(JSON.stringify({ ...claims, exp: (claims.exp as number) + 3600 })).toString("base64url")}.${signature}`,
      // signed with a guessed key
      signJwt(claims, "guessed-key"),
    ];
    for (const v of variants) {
      const other = ts.client();
      other.authStore.save(v, null);
      expect(await seesOwnRecord(other, id)).toBe(false);
    }
    // and the real token is still good
    expect(await seesOwnRecord(pb, id)).toBe(true);
  });
});
