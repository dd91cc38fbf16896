import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import type PocketBase from "pocketbase";
import { startTestServer, type TestServer } from "./helpers/test-server.ts";
import { startSmtpSink, tokenFromMail, type SmtpSink } from "./helpers/smtp-sink.ts";
import { apiError } from "./helpers/api-error.ts";

let ts: TestServer;
let su: PocketBase;
let sink: SmtpSink;

function claimsOf(token: string): { [k: string]: unknown } {
  return JSON.parse(Buffer.from(token.split(".")[1]!, "base64url").toString());
}

async function newUser(email: string, password = "12345678"): Promise<string> {
  const r = await ts.client().collection("users").create({ email, password, passwordConfirm: password });
  return r.id;
}

beforeAll(async () => {
  sink = await startSmtpSink();
  ts = await startTestServer();
  su = await ts.superuser();
  await su.settings.update({
    meta: { appName: "Satchel Test", appURL: "http://app.example.test/", senderName: "Support", senderAddress: "support@example.test" },
    smtp: { enabled: true, host: "127.0.0.1", port: sink.port, username: "mailer", password: "secret", authMethod: "PLAIN", tls: false },
  });
});
afterAll(async () => {
  await ts.stop();
  await sink.stop();
});

describe("POST /api/settings/test/email", () => {
  test("sends each template over SMTP with AUTH", async () => {
    for (const template of ["verification", "password-reset", "email-change", "otp", "login-alert"]) {
      expect(await su.settings.testEmail("users", `t-${template}@example.test`, template)).toBe(true);
      const mail = await sink.waitFor((m) => m.to.includes(`t-${template}@example.test`));
      expect(mail.authUser).toBe("mailer");
      expect(mail.from).toBe('"Support" <support@example.test>');
      expect(mail.subject).toContain("Satchel Test");
      expect(mail.html).toContain("<html");
      expect(mail.text.length).toBeGreaterThan(0);
    }
    const otp = sink.to("t-otp@example.test")[0]!;
    expect(otp.text).toContain("123456");
  });

  test("bad input: 400 with field errors; guests 401", async () => {
    const e1 = await apiError(su.send("/api/settings/test/email", { method: "POST", body: { email: "nope", template: "otp" } }));
    expect(e1.status).toBe(400);
    expect(e1.response.data.email.code).toBe("validation_is_email");
    const e2 = await apiError(su.send("/api/settings/test/email", { method: "POST", body: { email: "a@example.test", template: "welcome" } }));
    expect(e2.response.data.template.code).toBe("validation_in_invalid");
    const e3 = await apiError(su.send("/api/settings/test/email", { method: "POST", body: { email: "a@example.test", template: "otp", collection: "_otps" } }));
    expect(e3.response.data.collection).toBeDefined();
    expect((await apiError(ts.client().settings.testEmail("users", "a@example.test", "otp"))).status).toBe(401);
  });

  test("an unreachable SMTP server gives 400, not a hang or a 500", async () => {
    await su.settings.update({ smtp: { port: 1 } });
    try {
      const err = await apiError(su.settings.testEmail("users", "x@example.test", "otp"));
      expect(err.status).toBe(400);
      expect(err.message).toBe("Failed to send the test email.");
    } finally {
      await su.settings.update({ smtp: { port: sink.port } });
    }
  });
});

describe("verification", () => {
  test("request → mail → confirm marks the user verified; the token has PocketBase's claims", async () => {
    const id = await newUser("verify@example.test");
    const pb = ts.client();
    await pb.collection("users").authWithPassword("verify@example.test", "12345678");
    expect(pb.authStore.record?.verified).toBe(false);
    expect(await pb.collection("users").requestVerification("verify@example.test")).toBe(true);
    const mail = await sink.waitFor((m) => m.to.includes("verify@example.test") && m.subject.startsWith("Verify"));
    expect(mail.html).toContain("http://app.example.test/_/#/auth/confirm-verification/");
    const token = tokenFromMail(mail, "confirm-verification");
    const claims = claimsOf(token);
    expect(Object.keys(claims).sort()).toEqual(["collectionId", "email", "exp", "id", "type"]);
    expect(claims).toMatchObject({ id, type: "verification", collectionId: "_pb_users_auth_", email: "verify@example.test" });
    expect(Math.abs(Number(claims.exp) - (Date.now() / 1000 + 86400))).toBeLessThan(5);
    expect(await pb.collection("users").confirmVerification(token)).toBe(true);
    // the SDK updates its stored record from the token claims
    expect(pb.authStore.record?.verified).toBe(true);
    expect((await su.collection("users").getOne(id)).verified).toBe(true);
    // confirming again is still fine
    expect(await pb.collection("users").confirmVerification(token)).toBe(true);
    // already verified: 204 and no mail
    const before = sink.to("verify@example.test").length;
    await pb.collection("users").requestVerification("verify@example.test");
    await Bun.sleep(200);
    expect(sink.to("verify@example.test").length).toBe(before);
  });

  test("the collection's template is used, with {APP_NAME}, {APP_URL}, {TOKEN} and {RECORD:field}", async () => {
    await su.collections.update("users", {
      verificationTemplate: {
        subject: "{APP_NAME}: hello {RECORD:name}",
        body: "<p>Dear {RECORD:name} ({RECORD:email}), open {APP_URL}/verify?t={TOKEN}</p><p>{RECORD:tokenKey}</p>",
      },
    });
    try {
      await ts.client().collection("users").create({ email: "tpl@example.test", name: "<Tina>", password: "12345678", passwordConfirm: "12345678" });
      await ts.client().collection("users").requestVerification("tpl@example.test");
      const mail = await sink.waitFor((m) => m.to.includes("tpl@example.test"));
      expect(mail.subject).toBe("Satchel Test: hello &lt;Tina&gt;");
      expect(mail.html).toContain("Dear &lt;Tina&gt; (tpl@example.test), open http://app.example.test/verify?t=ey");
      expect(mail.html).toContain("{RECORD:tokenKey}");
      expect(mail.text).toContain("Dear <Tina>");
    } finally {
      await su.collections.update("users", { verificationTemplate: { subject: "Verify your {APP_NAME} email", body: "<p>{APP_URL}/_/#/auth/confirm-verification/{TOKEN}</p>" } });
    }
  });

  test("unknown emails get 204 and no mail; repeats are throttled silently", async () => {
    const count = sink.mails.length;
    expect(await ts.client().collection("users").requestVerification("nobody@example.test")).toBe(true);
    await newUser("throttle@example.test");
    await ts.client().collection("users").requestVerification("throttle@example.test");
    await sink.waitFor((m) => m.to.includes("throttle@example.test"));
    await ts.client().collection("users").requestVerification("throttle@example.test");
    await Bun.sleep(200);
    expect(sink.mails.length).toBe(count + 1);
  });

  test("bad input and bad tokens", async () => {
    const users = ts.client().collection("users");
    const e1 = await apiError(users.requestVerification("not-an-email"));
    expect(e1.status).toBe(400);
    expect(e1.response.data.email.code).toBe("validation_is_email");
    const e2 = await apiError(users.confirmVerification("garbage"));
    expect(e2.status).toBe(400);
    expect(e2.response.data.token.code).toBe("validation_invalid_token");
    const e3 = await apiError(users.confirmVerification(""));
    expect(e3.response.data.token.code).toBe("validation_required");
    // a valid token of another collection
    await su.collections.create({ name: "staff", type: "auth", createRule: "" });
    await ts.client().collection("staff").create({ email: "staff@example.test", password: "12345678", passwordConfirm: "12345678" });
    await ts.client().collection("staff").requestVerification("staff@example.test");
    const staffMail = await sink.waitFor((m) => m.to.includes("staff@example.test"));
    const e4 = await apiError(users.confirmVerification(tokenFromMail(staffMail, "confirm-verification")));
    expect(e4.response.data.token.code).toBe("validation_token_collection_mismatch");
    // an auth token is not a verification token
    const { token } = await ts.client().collection("staff").authWithPassword("staff@example.test", "12345678");
    expect((await apiError(ts.client().collection("staff").confirmVerification(token))).response.data.token.code).toBe("validation_invalid_token");
    const e5 = await apiError(su.collection("_superusers").requestVerification("test@example.com"));
    expect(e5.status).toBe(400);
    expect(e5.message).toBe("All superusers are verified by default.");
  });
});

describe("password reset", () => {
  test("request → mail → confirm; the new password works, old tokens and the reset token die", async () => {
    const id = await newUser("reset@example.test", "oldpassword1");
    const old = await ts.client().collection("users").authWithPassword("reset@example.test", "oldpassword1");
    expect(await ts.client().collection("users").requestPasswordReset("reset@example.test")).toBe(true);
    const mail = await sink.waitFor((m) => m.to.includes("reset@example.test") && m.subject.startsWith("Reset"));
    const token = tokenFromMail(mail, "confirm-password-reset");
    expect(claimsOf(token)).toMatchObject({ id, type: "passwordReset", email: "reset@example.test" });
    expect(Math.abs(Number(claimsOf(token).exp) - (Date.now() / 1000 + 1800))).toBeLessThan(5);

    const users = ts.client().collection("users");
    const mismatch = await apiError(users.confirmPasswordReset(token, "newpassword2", "different22"));
    expect(mismatch.response.data.passwordConfirm.code).toBe("validation_values_mismatch");
    const short = await apiError(users.confirmPasswordReset(token, "short", "short"));
    expect(short.response.data.password.code).toBe("validation_length_too_short");
    expect(await users.confirmPasswordReset(token, "newpassword2", "newpassword2")).toBe(true);

    const login = await ts.client().collection("users").authWithPassword("reset@example.test", "newpassword2");
    // the reset mail reached the address: the account is verified now
    expect(login.record.verified).toBe(true);
    expect((await apiError(ts.client().collection("users").authWithPassword("reset@example.test", "oldpassword1"))).status).toBe(400);
    const refresh = await fetch(`${ts.url}/api/collections/users/auth-refresh`, { method: "POST", headers: { authorization: old.token } });
    expect(refresh.status).toBe(401);
    const reused = await apiError(users.confirmPasswordReset(token, "another333", "another333"));
    expect(reused.response.data.token.code).toBe("validation_invalid_token");
  });

  test("unknown emails get 204; disabled password auth gives 400", async () => {
    expect(await ts.client().collection("users").requestPasswordReset("ghost@example.test")).toBe(true);
    await su.collections.update("staff", { passwordAuth: { enabled: false } });
    const err = await apiError(ts.client().collection("staff").requestPasswordReset("staff@example.test"));
    expect(err.status).toBe(400);
    await su.collections.update("staff", { passwordAuth: { enabled: true } });
  });
});

describe("email change", () => {
  test("request → mail to the new address → confirm; the new email logs in, the old one no more", async () => {
    await newUser("before@example.test", "12345678");
    const pb = ts.client();
    await pb.collection("users").authWithPassword("before@example.test", "12345678");
    expect(await pb.collection("users").requestEmailChange("after@example.test")).toBe(true);
    const mail = await sink.waitFor((m) => m.to.includes("after@example.test"));
    const token = tokenFromMail(mail, "confirm-email-change");
    expect(claimsOf(token)).toMatchObject({ type: "emailChange", email: "before@example.test", newEmail: "after@example.test" });
    const wrong = await apiError(pb.collection("users").confirmEmailChange(token, "not-my-password"));
    expect(wrong.response.data.password.code).toBe("validation_invalid_password");
    expect(await pb.collection("users").confirmEmailChange(token, "12345678")).toBe(true);
    // the SDK drops the auth of the changed record
    expect(pb.authStore.isValid).toBe(false);
    const login = await ts.client().collection("users").authWithPassword("after@example.test", "12345678");
    expect(login.record.email).toBe("after@example.test");
    expect(login.record.verified).toBe(true);
    expect((await apiError(ts.client().collection("users").authWithPassword("before@example.test", "12345678"))).status).toBe(400);
    // tokenKey rotated: the token cannot be used twice
    expect((await apiError(pb.collection("users").confirmEmailChange(token, "12345678"))).response.data.token.code).toBe("validation_invalid_token");
  });

  test("needs auth of the collection; same or taken address gives 400", async () => {
    expect((await apiError(ts.client().collection("users").requestEmailChange("x@example.test"))).status).toBe(401);
    const pb = ts.client();
    await pb.collection("users").authWithPassword("after@example.test", "12345678");
    expect((await apiError(pb.collection("staff").requestEmailChange("x@example.test"))).status).toBe(403);
    const same = await apiError(pb.collection("users").requestEmailChange("after@example.test"));
    expect(same.response.data.newEmail.code).toBe("validation_not_in_invalid");
    const taken = await apiError(pb.collection("users").requestEmailChange("reset@example.test"));
    expect(taken.response.data.newEmail.code).toBe("validation_invalid_new_email");
    const bad = await apiError(pb.collection("users").requestEmailChange("nope"));
    expect(bad.response.data.newEmail.code).toBe("validation_is_email");
    expect((await apiError(su.collection("_superusers").requestEmailChange("new@example.test"))).status).toBe(400);
  });
});

describe("hooks", () => {
  test("request and mailer hooks fire once each and may change the message", async () => {
    await newUser("hooks@example.test");
    const fired: string[] = [];
    const ids = [
      ts.app.onRecordRequestPasswordResetRequest("users").bindFunc((e) => {
        fired.push(`request:${e.record?.email()}`);
        return e.next();
      }),
      ts.app.onMailerRecordPasswordResetSend("users").bindFunc((e) => {
        fired.push(`record-mail:${typeof e.meta.token}`);
        e.message.subject = "Custom subject";
        return e.next();
      }),
    ];
    const sendId = ts.app.onMailerSend().bindFunc((e) => {
      fired.push(`send:${e.message.to[0]?.address}`);
      return e.next();
    });
    try {
      await ts.client().collection("users").requestPasswordReset("hooks@example.test");
      const mail = await sink.waitFor((m) => m.to.includes("hooks@example.test"));
      expect(mail.subject).toBe("Custom subject");
      expect(fired).toEqual(["request:hooks@example.test", "record-mail:string", "send:hooks@example.test"]);
    } finally {
      ts.app.hooks.recordRequestPasswordResetRequest.unbind(...ids);
      ts.app.hooks.mailerRecordPasswordResetSend.unbind(...ids);
      ts.app.hooks.mailerSend.unbind(sendId);
    }
  });

  test("a request hook that does not call next() stops the built-in action", async () => {
    await newUser("blocked@example.test");
    const id = ts.app.onRecordRequestVerificationRequest().bindFunc((e) => {
      e.noContent(204);
    });
    try {
      await ts.client().collection("users").requestVerification("blocked@example.test");
      await Bun.sleep(200);
      expect(sink.to("blocked@example.test")).toHaveLength(0);
    } finally {
      ts.app.hooks.recordRequestVerificationRequest.unbind(id);
    }
  });
});

describe("login alerts", () => {
  test("a sign-in from a new place mails the user (not the first one), and _authOrigins keeps it", async () => {
    const id = await newUser("alert@example.test");
    const login = (ua: string) => ts.client().collection("users").authWithPassword("alert@example.test", "12345678", { headers: { "user-agent": ua } });
    await login("Browser/1");
    await Bun.sleep(200);
    expect(sink.to("alert@example.test")).toHaveLength(0);
    await login("Browser/1");
    await login("Browser/2 (new laptop)");
    const alert = await sink.waitFor((m) => m.to.includes("alert@example.test"));
    expect(alert.subject).toContain("Satchel Test");
    expect(alert.text).toContain("Browser/2 (new laptop)");
    const origins = ts.app.db().all("SELECT * FROM _authOrigins WHERE recordRef = ?", [id]);
    expect(origins).toHaveLength(2);
    // refresh is not a sign-in: no alert and no origin
    const pb = ts.client();
    await pb.collection("users").authWithPassword("alert@example.test", "12345678", { headers: { "user-agent": "Browser/1" } });
    await pb.collection("users").authRefresh({ headers: { "user-agent": "Browser/3" } });
    await Bun.sleep(200);
    expect(sink.to("alert@example.test")).toHaveLength(1);
    // at most 5 origins are kept
    for (let i = 4; i <= 8; i++) await login(`Browser/${i}`);
    expect(ts.app.db().all("SELECT * FROM _authOrigins WHERE recordRef = ?", [id])).toHaveLength(5);
    await sink.waitFor((m) => m.to.includes("alert@example.test") && m.text.includes("Browser/8"));
    // with authAlert disabled nothing is recorded or sent
    await su.collections.update("users", { authAlert: { enabled: false } });
    const mailsBefore = sink.to("alert@example.test").length;
    await login("Browser/new-place");
    await Bun.sleep(200);
    expect(sink.to("alert@example.test")).toHaveLength(mailsBefore);
    expect(ts.app.db().all("SELECT * FROM _authOrigins WHERE recordRef = ?", [id])).toHaveLength(5);
    await su.collections.update("users", { authAlert: { enabled: true } });
    // deleting the user deletes its origins
    await su.collection("users").delete(id);
    expect(ts.app.db().all("SELECT * FROM _authOrigins WHERE recordRef = ?", [id])).toHaveLength(0);
  }, 20_000);
});
