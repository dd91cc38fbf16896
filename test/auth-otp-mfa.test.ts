import { afterAll, beforeAll, describe, expect, setDefaultTimeout, test } from "bun:test";
import { LocalRateLimitCounter, setRateLimitCounter } from "../src/core/rate-limit/rate-limit-counter.ts";
import type PocketBase from "pocketbase";
import { startTestServer, type TestServer } from "./helpers/test-server.ts";
import { startSmtpSink, type ReceivedMail, type SmtpSink } from "./helpers/smtp-sink.ts";
import { createOTP } from "../src/core/auth/otp.ts";
import { apiError } from "./helpers/api-error.ts";

// NB: the fixture's passwords are bcrypt cost 13 (~0.7 s per check): give the sign-ins room
setDefaultTimeout(30_000);

let ts: TestServer;
let su: PocketBase;
let sink: SmtpSink;

function codeFrom(mail: ReceivedMail, length = 8): string {
  const m = new RegExp(`\\b(\\d{${length}})\\b`).exec(mail.text);
  if (!m) throw new Error("no code in the mail");
  return m[1]!;
}

/** Requests an OTP and reads the code out of the mail. */
async function otpFor(pb: PocketBase, collection: string, email: string, length = 8): Promise<{ otpId: string; code: string }> {
  const before = sink.to(email).length;
  const { otpId } = await pb.collection(collection).requestOTP(email);
  const mail = await sink.waitFor((m) => m.to.includes(email) && sink.to(email).indexOf(m) >= before);
  return { otpId, code: codeFrom(mail, length) };
}

async function rawPost(path: string, body: object, token = ""): Promise<{ status: number; body: { [k: string]: unknown } }> {
  const res = await fetch(ts.url + path, { method: "POST", headers: { "content-type": "application/json", ...(token ? { authorization: token } : {}) }, body: JSON.stringify(body) });
  return { status: res.status, body: (await res.json()) as { [k: string]: unknown } };
}

beforeAll(async () => {
  sink = await startSmtpSink();
  // the PocketBase fixture: users has password + OTP + MFA enabled
  ts = await startTestServer({ fixture: true });
  su = await ts.superuser();
  await su.settings.update({ smtp: { enabled: true, host: "127.0.0.1", port: sink.port } });
});
afterAll(async () => {
  await ts.stop();
  await sink.stop();
});

describe("MFA (the fixture's users: password + OTP, MFA on)", () => {
  test("the first factor answers 401 {mfaId}; an OTP with ?mfaId completes the sign-in", async () => {
    const first = await rawPost("/api/collections/users/auth-with-password", { identity: "test2@example.com", password: "1234567890" });
    expect(first.status).toBe(401);
    expect(Object.keys(first.body)).toEqual(["mfaId"]);
    const mfaId = String(first.body.mfaId);
    expect(mfaId).toHaveLength(15);
    expect(ts.app.db().get("SELECT method FROM _mfas WHERE id = ?", [mfaId])).toEqual({ method: "password" });

    // the SDK surfaces it as a 401 ClientResponseError carrying the mfaId
    const pb = ts.client();
    const err = await apiError(pb.collection("users").authWithPassword("test2@example.com", "1234567890"));
    expect(err.status).toBe(401);
    expect(typeof err.response.mfaId).toBe("string");

    const { otpId, code } = await otpFor(pb, "users", "test2@example.com");
    const auth = await pb.collection("users").authWithOTP(otpId, code, { query: { mfaId: err.response.mfaId } });
    expect(auth.record.email).toBe("test2@example.com");
    expect(pb.authStore.isValid).toBe(true);
    expect(ts.app.db().get("SELECT 1 FROM _mfas WHERE id = ?", [err.response.mfaId])).toBeNull();
    expect(ts.app.db().get("SELECT 1 FROM _otps WHERE id = ?", [otpId])).toBeNull();
  });

  test("the mfaId can also come in the body; the OTP may come first and the password second", async () => {
    const pb = ts.client();
    const { otpId, code } = await otpFor(pb, "users", "test3@example.com");
    const first = await rawPost("/api/collections/users/auth-with-otp", { otpId, password: code });
    expect(first.status).toBe(401);
    const second = await rawPost("/api/collections/users/auth-with-password", { identity: "test3@example.com", password: "1234567890", mfaId: first.body.mfaId });
    expect(second.status).toBe(200);
    expect((second.body.record as { email: string }).email).toBe("test3@example.com");
  });

  test("same method twice, unknown, expired and foreign MFA sessions are refused", async () => {
    const first = await rawPost("/api/collections/users/auth-with-password", { identity: "test2@example.com", password: "1234567890" });
    const mfaId = String(first.body.mfaId);
    const same = await rawPost(`/api/collections/users/auth-with-password?mfaId=${mfaId}`, { identity: "test2@example.com", password: "1234567890" });
    expect(same.status).toBe(400);
    expect(same.body.message).toBe("A different authentication method is required.");
    const unknown = await rawPost("/api/collections/users/auth-with-password?mfaId=nosuchmfasessn", { identity: "test2@example.com", password: "1234567890" });
    expect(unknown.body.message).toBe("Invalid or expired MFA session.");
    // someone else's session
    const pb = ts.client();
    const { otpId, code } = await otpFor(pb, "users", "test3@example.com");
    const foreign = await rawPost(`/api/collections/users/auth-with-otp?mfaId=${mfaId}`, { otpId, password: code });
    expect(foreign.status).toBe(400);
    expect(foreign.body.message).toBe("Invalid MFA session.");
    // expired (mfa.duration is 1800 s in the fixture)
    ts.app.db().run("UPDATE _mfas SET created = '2020-01-01 00:00:00.000Z' WHERE id = ?", [mfaId]);
    const again = await otpFor(pb, "users", "test2@example.com");
    const expired = await rawPost(`/api/collections/users/auth-with-otp?mfaId=${mfaId}`, { otpId: again.otpId, password: again.code });
    expect(expired.body.message).toBe("Invalid or expired MFA session.");
    expect(ts.app.db().get("SELECT 1 FROM _mfas WHERE id = ?", [mfaId])).toBeNull();
  });

  test("mfa.rule decides who needs the second factor; auth-refresh never does", async () => {
    await su.collections.update("users", { mfa: { rule: "email = 'test3@example.com'" } });
    try {
      const direct = await ts.client().collection("users").authWithPassword("test2@example.com", "1234567890");
      expect(direct.record.email).toBe("test2@example.com");
      const pb = ts.client();
      pb.authStore.save(direct.token, direct.record);
      expect((await pb.collection("users").authRefresh()).record.email).toBe("test2@example.com");
      expect((await rawPost("/api/collections/users/auth-with-password", { identity: "test3@example.com", password: "1234567890" })).status).toBe(401);
    } finally {
      await su.collections.update("users", { mfa: { rule: "" } });
    }
  });

  test("auth-methods lists password, OTP and MFA with their durations", async () => {
    const m = await ts.client().collection("users").listAuthMethods();
    expect(m.password).toEqual({ enabled: true, identityFields: ["email", "username"] });
    expect(m.mfa).toEqual({ enabled: true, duration: 1800 });
    expect(m.otp).toEqual({ enabled: true, duration: 300 });
  });
});

describe("OTP", () => {
  beforeAll(async () => {
    await su.collections.create({ name: "otpers", type: "auth", createRule: "", otp: { enabled: true, length: 6, duration: 120 } });
    await su.collection("otpers").create({ email: "otp@example.test", password: "1234567890", passwordConfirm: "1234567890" });
  });

  test("request-otp mails a code; auth-with-otp signs in once and verifies the address", async () => {
    const pb = ts.client();
    const { otpId } = await pb.collection("otpers").requestOTP("otp@example.test");
    expect(otpId).toHaveLength(15);
    const mail = await sink.waitFor((m) => m.to.includes("otp@example.test"));
    const code = codeFrom(mail, 6);
    const wrong = await apiError(pb.collection("otpers").authWithOTP(otpId, code === "000000" ? "111111" : "000000"));
    expect(wrong.status).toBe(400);
    expect(wrong.message).toBe("Invalid or expired OTP.");
    const auth = await pb.collection("otpers").authWithOTP(otpId, code);
    expect(auth.record.email).toBe("otp@example.test");
    expect(auth.record.verified).toBe(true);
    const reuse = await apiError(ts.client().collection("otpers").authWithOTP(otpId, code));
    expect(reuse.message).toBe("Invalid or expired OTP.");
  });

  test("unknown emails get a made-up otpId and no mail", async () => {
    const count = sink.mails.length;
    const { otpId } = await ts.client().collection("otpers").requestOTP("nobody@example.test");
    expect(otpId).toHaveLength(15);
    expect((await apiError(ts.client().collection("otpers").authWithOTP(otpId, "123456"))).message).toBe("Invalid or expired OTP.");
    await Bun.sleep(150);
    expect(sink.mails.length).toBe(count);
  });

  test("more than 5 attempts per record answer 429; expired codes 400", async () => {
    const pb = ts.client();
    const { otpId, code } = await otpFor(pb, "otpers", "otp@example.test", 6);
    // the earlier tests' attempts on this record count too: start from a clean window
    setRateLimitCounter(ts.app, new LocalRateLimitCounter(), "auth");
    for (let i = 0; i < 5; i++) expect((await apiError(pb.collection("otpers").authWithOTP(otpId, "999999x"))).status).toBe(400);
    const limited = await apiError(pb.collection("otpers").authWithOTP(otpId, code));
    expect(limited.status).toBe(429);
    expect(limited.message).toBe("Too many attempts, please try again later with a new OTP.");
    setRateLimitCounter(ts.app, new LocalRateLimitCounter(), "auth");
    ts.app.db().run("UPDATE _otps SET created = '2020-01-01 00:00:00.000Z' WHERE id = ?", [otpId]);
    expect((await apiError(pb.collection("otpers").authWithOTP(otpId, code))).message).toBe("Invalid or expired OTP.");
  });

  test("with more than 9 live OTPs the newest is handed out again, without a mail", async () => {
    const record = ts.app.findAuthRecordByEmail("otpers", "otp@example.test");
    let newest = "";
    for (let i = 0; i < 10; i++) newest = (await createOTP(ts.app, record, "123456", record.email())).id;
    const count = sink.mails.length;
    const { otpId } = await ts.client().collection("otpers").requestOTP("otp@example.test");
    expect(otpId).toBe(newest);
    await Bun.sleep(150);
    expect(sink.mails.length).toBe(count);
    ts.app.db().run("DELETE FROM _otps WHERE recordRef = ?", [record.id]);
  });

  test("bad input 400; OTP disabled 403", async () => {
    const e1 = await apiError(ts.client().collection("otpers").requestOTP("not-an-email"));
    expect(e1.response.data.email.code).toBe("validation_is_email");
    const e2 = await apiError(ts.client().send("/api/collections/otpers/auth-with-otp", { method: "POST", body: {} }));
    expect(e2.response.data.otpId.code).toBe("validation_required");
    expect(e2.response.data.password.code).toBe("validation_required");
    const off = await apiError(ts.client().collection("clients").requestOTP("test@example.com"));
    expect(off.status).toBe(403);
    expect((await apiError(ts.client().collection("clients").authWithOTP("x", "y"))).status).toBe(403);
  });

  test("an OTP of one collection is no good in another", async () => {
    const pb = ts.client();
    const { otpId, code } = await otpFor(pb, "otpers", "otp@example.test", 6);
    expect((await apiError(pb.collection("users").authWithOTP(otpId, code))).status).toBe(400);
  });

  test("the fixture's OTP template: {RECORD:tokenKey} (hidden) stays unresolved", async () => {
    await ts.client().collection("users").requestOTP("test@example.com");
    const mail = await sink.waitFor((m) => m.to.includes("test@example.com"));
    expect(mail.subject).toBe("OTP for acme_test");
    expect(mail.text).toContain("{RECORD:tokenKey}");
  });
});

describe("superusers with OTP and MFA", () => {
  test("password then OTP", async () => {
    await su.collections.update("_superusers", { otp: { enabled: true }, mfa: { enabled: true } });
    try {
      const first = await rawPost("/api/collections/_superusers/auth-with-password", { identity: "test2@example.com", password: "1234567890" });
      expect(first.status).toBe(401);
      const pb = ts.client();
      const { otpId, code } = await otpFor(pb, "_superusers", "test2@example.com");
      const auth = await pb.collection("_superusers").authWithOTP(otpId, code, { query: { mfaId: first.body.mfaId } });
      expect(auth.record.email).toBe("test2@example.com");
      expect(pb.authStore.isSuperuser).toBe(true);
      expect((await pb.collections.getFullList()).length).toBeGreaterThan(5);
      // test2 signed in from elsewhere before (the fixture's _authOrigins): this place is new
      const alert = await sink.waitFor((m) => m.to.includes("test2@example.com") && m.subject === "Login from a new location");
      expect(alert.text).toContain("We noticed a login to your acme_test account from a new location");
    } finally {
      await su.collections.update("_superusers", { otp: { enabled: false }, mfa: { enabled: false } });
    }
  });
});
