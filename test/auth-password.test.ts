import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import PocketBase from "pocketbase";
import { startTestServer, type TestServer } from "./helpers/test-server.ts";
import { signJwt } from "../src/tools/jwt.ts";
import { ensureInstallerSuperuser, INSTALLER_EMAIL } from "../src/core/auth/installer.ts";
import { apiError } from "./helpers/api-error.ts";

let ts: TestServer;
let su: PocketBase;

function b64(obj: object): string {
  return Buffer.from(JSON.stringify(obj)).toString("base64url");
}

/** What the token is worth: the record it authenticates on a rule-protected list, or guest. */
async function whoAmI(token: string): Promise<string> {
  const res = await fetch(`${ts.url}/api/collections/users/records`, { headers: { authorization: token } });
  const body = (await res.json()) as { items: { id: string }[] };
  return body.items.map((r) => r.id).join(",") || "guest";
}

beforeAll(async () => {
  ts = await startTestServer();
  su = await ts.superuser();
});
afterAll(async () => {
  await ts.stop();
});

describe("password auth (the seed's code as written)", () => {
  test("create, authWithPassword, authStore, authRefresh, clear, requestPasswordReset, requestVerification", async () => {
    const pb = ts.client();
    // --- Register a new user ---
    const user = await pb.collection("users").create({
      email: "user@example.com",
      password: "securepassword123",
      passwordConfirm: "securepassword123",
      name: "John Doe",
    });
    expect(user.id).toHaveLength(15);
    // --- Login with email/password ---
    const authData = await pb.collection("users").authWithPassword("user@example.com", "securepassword123");
    expect(authData.token.split(".")).toHaveLength(3);
    expect(authData.record.id).toBe(user.id);
    expect(authData.record.email).toBe("user@example.com");
    expect(authData.record.name).toBe("John Doe");
    expect(authData.record.password).toBeUndefined();
    expect(authData.record.tokenKey).toBeUndefined();
    // --- Check auth state ---
    expect(pb.authStore.isValid).toBe(true);
    expect(pb.authStore.token).toBe(authData.token);
    expect(pb.authStore.record?.id).toBe(user.id);
    expect(pb.authStore.isSuperuser).toBe(false);
    // --- Refresh auth token ---
    await Bun.sleep(1100); // a new exp second, so the refreshed token differs
    const refreshed = await pb.collection("users").authRefresh();
    expect(refreshed.token).not.toBe(authData.token);
    expect(pb.authStore.token).toBe(refreshed.token);
    // --- Logout ---
    pb.authStore.clear();
    expect(pb.authStore.isValid).toBe(false);
    expect(pb.authStore.record).toBeNull();
    // --- Request password reset / verification ---
    expect(await pb.collection("users").requestPasswordReset("user@example.com")).toBe(true);
    expect(await pb.collection("users").requestVerification("user@example.com")).toBe(true);
  });

  test("the auth token has PocketBase's claims and duration", async () => {
    const { token } = await ts.client().collection("users").authWithPassword("user@example.com", "securepassword123");
    const [h, p] = token.split(".");
    expect(JSON.parse(Buffer.from(h!, "base64url").toString())).toEqual({ alg: "HS256", typ: "JWT" });
    const claims = JSON.parse(Buffer.from(p!, "base64url").toString());
    expect(Object.keys(claims).sort()).toEqual(["collectionId", "exp", "id", "refreshable", "type"]);
    expect(claims.type).toBe("auth");
    expect(claims.refreshable).toBe(true);
    expect(claims.collectionId).toBe("_pb_users_auth_");
    expect(Math.abs(claims.exp - (Date.now() / 1000 + 432000))).toBeLessThan(5);
    const suClaims = JSON.parse(Buffer.from(su.authStore.token.split(".")[1]!, "base64url").toString());
    expect(Math.abs(suClaims.exp - (Date.now() / 1000 + 86400))).toBeLessThan(5);
    expect(su.authStore.isSuperuser).toBe(true);
  });

  test("wrong credentials answer the same 400 whether or not the account exists", async () => {
    const a = await apiError(ts.client().collection("users").authWithPassword("user@example.com", "wrong-password"));
    const b = await apiError(ts.client().collection("users").authWithPassword("nobody@example.com", "wrong-password"));
    for (const err of [a, b]) {
      expect(err.status).toBe(400);
      expect(err.response).toEqual({ status: 400, message: "Failed to authenticate.", data: {} });
    }
    const blank = await apiError(ts.client().collection("users").authWithPassword("", ""));
    expect(blank.status).toBe(400);
    expect(blank.response.data.identity.code).toBe("validation_required");
    expect(blank.response.data.password.code).toBe("validation_required");
    const badField = await apiError(ts.client().send("/api/collections/users/auth-with-password", { method: "POST", body: { identity: "user@example.com", password: "x", identityField: "name" } }));
    expect(Object.keys(badField.response.data)).toEqual(["identityField"]);
    expect(badField.response.data.identityField.code).toBe("validation_in_invalid");
    for (const name of ["_otps", "nosuchcollection"]) {
      const notAuth = await apiError(ts.client().collection(name).authWithPassword("a@b.c", "12345678"));
      expect(notAuth.status).toBe(404);
      expect(notAuth.message).toBe("Missing or invalid auth collection context.");
    }
  });

  test("auth-methods has the shape the SDK expects", async () => {
    const m = await ts.client().collection("users").listAuthMethods();
    expect(m).toEqual({
      password: { enabled: true, identityFields: ["email"] },
      oauth2: { enabled: false, providers: [] },
      mfa: { enabled: false, duration: 0 },
      otp: { enabled: false, duration: 0 },
    });
    const raw = await (await fetch(`${ts.url}/api/collections/users/auth-methods`)).json();
    expect(raw.authProviders).toBeNull();
    expect(raw.emailPassword).toBe(true);
    expect(raw.usernamePassword).toBe(false);
  });

  test("passwordAuth.enabled=false and identityFields are honoured", async () => {
    await su.collections.create({
      name: "members", type: "auth", createRule: "",
      fields: [{ name: "username", type: "text" }],
      indexes: ["CREATE UNIQUE INDEX idx_members_username ON members (username COLLATE NOCASE)"],
      passwordAuth: { enabled: true, identityFields: ["email", "username"] },
    });
    await ts.client().collection("members").create({ email: "m@example.com", username: "mike", password: "12345678", passwordConfirm: "12345678" });
    const byName = await ts.client().collection("members").authWithPassword("MIKE", "12345678");
    expect(byName.record.email).toBe("m@example.com");
    const explicit = await ts.client().send("/api/collections/members/auth-with-password", { method: "POST", body: { identity: "mike", password: "12345678", identityField: "username" } });
    expect(explicit.record.username).toBe("mike");
    const wrongField = await apiError(ts.client().send("/api/collections/members/auth-with-password", { method: "POST", body: { identity: "mike", password: "12345678", identityField: "email" } }));
    expect(wrongField.status).toBe(400);
    const methods = await ts.client().collection("members").listAuthMethods();
    expect(methods.password.identityFields).toEqual(["email", "username"]);

    await su.collections.update("members", { passwordAuth: { enabled: false } });
    const off = await apiError(ts.client().collection("members").authWithPassword("mike", "12345678"));
    expect(off.status).toBe(403);
    expect(off.message).toBe("The collection is not configured to allow password authentication.");
    expect((await ts.client().collection("members").listAuthMethods()).password).toEqual({ enabled: false, identityFields: [] });
    await su.collections.update("members", { passwordAuth: { enabled: true } });
  });

  test("authRule: null blocks sign-in, an expression is checked, a change rotates the auth secret", async () => {
    const first = await ts.client().collection("members").authWithPassword("m@example.com", "12345678");
    expect(await (await fetch(`${ts.url}/api/collections/members/auth-refresh`, { method: "POST", headers: { authorization: first.token } })).status).toBe(200);
    await su.collections.update("members", { authRule: "verified = true" });
    const denied = await apiError(ts.client().collection("members").authWithPassword("m@example.com", "12345678"));
    expect(denied.status).toBe(403);
    expect(denied.message).toBe("The request doesn't satisfy the collection requirements to authenticate.");
    // the old token died with the rotated authToken secret
    const stale = await fetch(`${ts.url}/api/collections/members/auth-refresh`, { method: "POST", headers: { authorization: first.token } });
    expect(stale.status).toBe(401);
    const m = await su.collection("members").getFirstListItem('email="m@example.com"');
    await su.collection("members").update(m.id, { verified: true });
    expect((await ts.client().collection("members").authWithPassword("m@example.com", "12345678")).record.verified).toBe(true);
    await su.collections.update("members", { authRule: null });
    expect((await apiError(ts.client().collection("members").authWithPassword("m@example.com", "12345678"))).status).toBe(403);
    await su.collections.update("members", { authRule: "" });
  });

  test("auth-refresh needs a token of the same collection; expand is honoured", async () => {
    const guest = await apiError(ts.client().collection("users").authRefresh());
    expect(guest.status).toBe(401);
    const pb = ts.client();
    await pb.collection("members").authWithPassword("m@example.com", "12345678");
    const other = await apiError(pb.collection("users").authRefresh());
    expect(other.status).toBe(403);
    const r = await pb.collection("members").authRefresh({ fields: "token,record.email" });
    expect(Object.keys(r.record)).toEqual(["email"]);
  });
});

describe("collection options", () => {
  test("token durations come from the collection options", async () => {
    await su.collections.update("members", { authToken: { duration: 3600 } });
    const { token } = await ts.client().collection("members").authWithPassword("m@example.com", "12345678");
    const claims = JSON.parse(Buffer.from(token.split(".")[1]!, "base64url").toString());
    expect(Math.abs(claims.exp - (Date.now() / 1000 + 3600))).toBeLessThan(5);
  });

  test("manageRule lets a manager set another record's email, verified and password without oldPassword", async () => {
    await su.collections.update("members", { manageRule: "@request.auth.collectionName = 'users'", updateRule: "@request.auth.id != ''" });
    const target = await ts.client().collection("members").create({ email: "managed@example.com", password: "12345678", passwordConfirm: "12345678" });
    const manager = ts.client();
    await manager.collection("users").authWithPassword("user@example.com", "securepassword123");
    const updated = await manager.collection("members").update(target.id, { email: "managed2@example.com", verified: true, password: "abcdefgh1", passwordConfirm: "abcdefgh1" });
    expect(updated.email).toBe("managed2@example.com");
    expect(updated.verified).toBe(true);
    expect((await ts.client().collection("members").authWithPassword("managed2@example.com", "abcdefgh1")).record.id).toBe(target.id);
    // a member (not a manager) may not
    const member = ts.client();
    await member.collection("members").authWithPassword("m@example.com", "12345678");
    const denied = await apiError(member.collection("members").update(target.id, { verified: false }));
    expect(denied.status).toBe(400);
    expect(denied.response.data.verified.code).toBe("validation_values_mismatch");
    await su.collections.update("members", { manageRule: null, updateRule: null });
  });

  test("auth record ids are unique across auth collections", async () => {
    const u = ts.app.findAuthRecordByEmail("users", "user@example.com");
    const err = await apiError(su.collection("members").create({ id: u.id, email: "dupid@example.com", password: "12345678", passwordConfirm: "12345678" }));
    expect(err.status).toBe(400);
    expect(err.response.data.id.code).toBe("validation_invalid_auth_id");
  });
});

describe("tokens", () => {
  test("a token issued before a password change is rejected after it", async () => {
    const pb = ts.client();
    const { token, record } = await pb.collection("users").authWithPassword("user@example.com", "securepassword123");
    expect(await whoAmI(token)).toBe(record.id);
    await pb.collection("users").update(record.id, { oldPassword: "securepassword123", password: "newpassword456", passwordConfirm: "newpassword456" });
    expect(await whoAmI(token)).toBe("guest");
    const again = await ts.client().collection("users").authWithPassword("user@example.com", "newpassword456");
    expect(await whoAmI(again.token)).toBe(record.id);
  });

  test("expired, alg:none, foreign-key and wrong-type tokens all mean guest", async () => {
    const u = ts.app.findAuthRecordByEmail("users", "user@example.com");
    const c = u.collection();
    const key = u.tokenKey() + c.authToken!.secret;
    const now = Math.floor(Date.now() / 1000);
    const base = { id: u.id, type: "auth", collectionId: c.id, refreshable: true };
    const good = signJwt({ ...base, exp: now + 60 }, key);
    expect(await whoAmI(good)).toBe(u.id);
    expect(await whoAmI(signJwt({ ...base, exp: now - 1 }, key))).toBe("guest");
    expect(await whoAmI(`${b64({ alg: "none", typ: "JWT" })}.${b64({ ...base, exp: now + 60 })}.`)).toBe("guest");
    expect(await whoAmI(signJwt({ ...base, exp: now + 60 }, "another key entirely"))).toBe("guest");
    expect(await whoAmI(signJwt({ ...base, type: "verification", email: u.email(), exp: now + 60 }, u.tokenKey() + c.verificationToken!.secret))).toBe("guest");
    expect(await whoAmI(signJwt({ ...base, type: "verification", exp: now + 60 }, key))).toBe("guest");
    expect(await whoAmI("Bearer " + good)).toBe(u.id);
    expect(await whoAmI("garbage")).toBe("guest");
  });
});

describe("impersonate", () => {
  test("superusers get a non-refreshable token with a custom duration", async () => {
    const u = ts.app.findAuthRecordByEmail("users", "user@example.com");
    const impersonated = await su.collection("users").impersonate(u.id, 120);
    expect(impersonated.authStore.record?.id).toBe(u.id);
    const claims = JSON.parse(Buffer.from(impersonated.authStore.token.split(".")[1]!, "base64url").toString());
    expect(claims.refreshable).toBe(false);
    expect(Math.abs(claims.exp - (Date.now() / 1000 + 120))).toBeLessThan(5);
    // PocketBase parity: refreshing a non-refreshable token returns it as it is
    const r = await impersonated.collection("users").authRefresh();
    expect(r.token).toBe(impersonated.authStore.token);
    const dflt = await su.collection("users").impersonate(u.id, 0);
    const c2 = JSON.parse(Buffer.from(dflt.authStore.token.split(".")[1]!, "base64url").toString());
    expect(Math.abs(c2.exp - (Date.now() / 1000 + 432000))).toBeLessThan(5);
  });

  test("guests 401, users 403, bad duration 400, unknown record 404", async () => {
    const u = ts.app.findAuthRecordByEmail("users", "user@example.com");
    expect((await apiError(ts.client().collection("users").impersonate(u.id, 10))).status).toBe(401);
    const user = ts.client();
    await user.collection("users").authWithPassword("user@example.com", "newpassword456");
    const forbidden = await apiError(user.collection("users").impersonate(u.id, 10));
    expect(forbidden.status).toBe(403);
    expect(forbidden.message).toBe("The authorized record is not allowed to perform this action.");
    const bad = await apiError(su.collection("users").impersonate(u.id, -5));
    expect(bad.status).toBe(400);
    expect(bad.response.data.duration).toBeDefined();
    expect((await apiError(su.collection("users").impersonate("missingmissing1", 10))).status).toBe(404);
  });
});

describe("first-run installer", () => {
  test("the installer token creates the first superuser, and the placeholder goes away", async () => {
    const fresh = await startTestServer();
    try {
      const app = fresh.app;
      // start like `serve` on an empty pb_data: remove the test superuser, create the placeholder
      app.db().run("DELETE FROM _superusers");
      const token = ensureInstallerSuperuser(app)!;
      expect(token).toBeTruthy();
      const claims = JSON.parse(Buffer.from(token.split(".")[1]!, "base64url").toString());
      expect(claims.refreshable).toBe(false);
      expect(Math.abs(claims.exp - (Date.now() / 1000 + 1800))).toBeLessThan(5);
      const pb = new PocketBase(fresh.url);
      pb.authStore.save(token, null);
      expect(pb.authStore.isSuperuser).toBe(true);
      const created = await pb.collection("_superusers").create({ email: "admin@example.com", password: "1234567890", passwordConfirm: "1234567890" });
      expect(created.email).toBe("admin@example.com");
      const emails = app.db().all<{ email: string }>("SELECT email FROM _superusers").map((r) => r.email);
      expect(emails).toEqual(["admin@example.com"]);
      expect(emails).not.toContain(INSTALLER_EMAIL);
      // the placeholder's token died with it
      expect((await apiError(pb.collection("_superusers").getFullList())).status).toBe(403);
      const admin = await fresh.client().collection("_superusers").authWithPassword("admin@example.com", "1234567890");
      expect(admin.record.email).toBe("admin@example.com");
      expect(ensureInstallerSuperuser(app)).toBeNull();
    } finally {
      await fresh.stop();
    }
  });
});
