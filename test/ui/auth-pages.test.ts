/**
 * Browser: the auth flows that go through mail (a real SMTP sink): superuser login with MFA
 * (password, then an emailed one-time code), the pages emails link to (password reset with its
 * field errors, email verification, email change), impersonation, and the mail test button.
 */
import { afterAll, beforeAll, expect, test } from "bun:test";
import type { Browser, BrowserContext, Page } from "playwright-core";
import type PocketBase from "pocketbase";
import { startTestServer, SUPERUSER, type TestServer } from "../helpers/test-server.ts";
import { startSmtpSink, tokenFromMail, type SmtpSink } from "../helpers/smtp-sink.ts";
import { ensureUiBuilt, launchBrowser, login, newPage, screenshots, superuserClient } from "./browser.ts";

let srv: TestServer;
let sink: SmtpSink;
let browser: Browser;
let context: BrowserContext;
let page: Page;
let pageErrors: string[];
let pb: PocketBase;

beforeAll(async () => {
  ensureUiBuilt();
  [srv, sink] = await Promise.all([startTestServer(), startSmtpSink()]);
  pb = await superuserClient(srv.url);
  await pb.settings.update({ smtp: { enabled: true, host: "127.0.0.1", port: sink.port, tls: false } });
  browser = await launchBrowser();
  ({ context, page, errors: pageErrors } = await newPage(browser));
}, 60_000);

afterAll(async () => {
  await context?.close();
  await browser?.close();
  await sink?.stop();
  await srv?.stop();
});

test("superuser login with MFA: password, then the emailed one-time code", async () => {
  await pb.collections.update("_superusers", { otp: { enabled: true }, mfa: { enabled: true } });
  await page.goto(`${srv.url}/_/#/login`);
  await page.fill("#login-email", SUPERUSER.email);
  await page.fill("#login-password", SUPERUSER.password);
  await page.click("[data-testid=login-submit]");
  await page.waitForSelector("#otp-code");
  const mail = await sink.waitFor((m) => m.to.includes(SUPERUSER.email) && /\b\d{8}\b/.test(m.text));
  await screenshots(page, "login-mfa");

  // a wrong code: the API's error, still logged out
  await page.fill("#otp-code", "00000000");
  await page.click("button[type=submit]");
  await page.waitForSelector(".alert.danger");

  await page.fill("#otp-code", /\b(\d{8})\b/.exec(mail.text)![1]!);
  await page.click("button[type=submit]");
  await page.waitForSelector("[data-testid=records-view]");
  await pb.collections.update("_superusers", { otp: { enabled: false }, mfa: { enabled: false } });
  expect(pageErrors).toEqual([]);
}, 30_000);

test("the pages emails link to: password reset (errors first), verification, email change", async () => {
  const alice = await pb.collection("users").create({ email: "alice@example.com", password: "alice12345", passwordConfirm: "alice12345" });
  const guest = srv.client();

  // verification first: a password reset also marks the address verified
  await guest.collection("users").requestVerification("alice@example.com");
  const verifyToken = tokenFromMail(await sink.waitFor((m) => m.html.includes("confirm-verification")), "confirm-verification");
  await page.goto(`${srv.url}/_/#/auth/confirm-verification/${verifyToken}`);
  await page.waitForSelector("[data-testid=auth-success]");
  expect((await pb.collection("users").getOne(alice.id)).verified).toBe(true);

  await guest.collection("users").requestPasswordReset("alice@example.com");
  const resetToken = tokenFromMail(await sink.waitFor((m) => m.to.includes("alice@example.com") && m.html.includes("confirm-password-reset")), "confirm-password-reset");
  await page.goto(`${srv.url}/_/#/auth/confirm-password-reset/${resetToken}`);
  await page.fill("#reset-password", "newpass12345");
  await page.fill("#reset-password-confirm", "different12345");
  await page.click("button[type=submit]");
  await page.waitForSelector('[data-error-for="passwordConfirm"]');
  await screenshots(page, "auth-password-reset-error");
  await page.fill("#reset-password-confirm", "newpass12345");
  await page.click("button[type=submit]");
  await page.waitForSelector("[data-testid=auth-success]");
  await guest.collection("users").authWithPassword("alice@example.com", "newpass12345");

  await guest.collection("users").requestEmailChange("alice2@example.com");
  const changeToken = tokenFromMail(await sink.waitFor((m) => m.html.includes("confirm-email-change")), "confirm-email-change");
  await page.goto(`${srv.url}/_/#/auth/confirm-email-change/${changeToken}`);
  await page.fill("#change-password", "wrong-password");
  await page.click("button[type=submit]");
  await page.waitForSelector('[data-error-for="password"]');
  await page.fill("#change-password", "newpass12345");
  await page.click("button[type=submit]");
  await page.waitForSelector("[data-testid=auth-success]");
  expect((await pb.collection("users").getOne(alice.id)).email).toBe("alice2@example.com");
  expect(pageErrors).toEqual([]);
}, 30_000);

test("impersonate a user from the record form; send a test email from the mail settings", async () => {
  await login(page, srv.url);
  const user = await pb.collection("users").getFirstListItem('email = "alice2@example.com"');
  await page.goto(`${srv.url}/_/#/collections?collection=users&recordId=${user.id}`);
  await page.waitForSelector("#rf-email");
  await page.click("[data-testid=record-actions]");
  await page.click("[data-testid=impersonate]");
  await page.click("[data-testid=impersonate-dialog] >> text=Generate token");
  const token = (await page.locator("[data-testid=impersonate-dialog] pre").textContent())!.trim();
  const asUser = srv.client();
  asUser.authStore.save(token, null);
  expect((await asUser.collection("users").getOne(user.id)).id).toBe(user.id);
  await page.keyboard.press("Escape");
  await page.keyboard.press("Escape");

  await page.goto(`${srv.url}/_/#/settings/mail`);
  await page.click("[data-testid=send-test-email]");
  await page.fill("#t-email", "not-an-email");
  await page.locator("[data-testid=test-email-dialog] button", { hasText: "Send" }).click();
  // the browser's own check stops a malformed address; a good one is delivered
  await page.fill("#t-email", "inbox@example.com");
  await page.locator("[data-testid=test-email-dialog] button", { hasText: "Send" }).click();
  await page.waitForSelector("[data-testid=test-email-dialog]", { state: "detached" });
  await sink.waitFor((m) => m.to.includes("inbox@example.com"));
  expect(pageErrors).toEqual([]);
}, 30_000);
