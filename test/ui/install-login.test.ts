/**
 * Browser: the dashboard is served at /_/ by the server itself; the first superuser is created
 * through the one-time installer link; login, a session that survives reloads, logout, and the
 * API's errors shown beside the right fields.
 */
import { afterAll, beforeAll, expect, test } from "bun:test";
import type { Browser } from "playwright-core";
import { ensureInstallerSuperuser } from "../../src/core/auth/installer.ts";
import { ensureUiBuilt, launchBrowser, newPage, screenshots, startBareServer, type BareServer } from "./browser.ts";

let srv: BareServer;
let browser: Browser;

beforeAll(async () => {
  ensureUiBuilt();
  srv = startBareServer();
  browser = await launchBrowser();
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await srv?.stop();
});

test("the server serves the embedded dashboard: index, hashed assets (immutable), SPA fallback", async () => {
  const index = await fetch(`${srv.url}/_/`);
  expect(index.status).toBe(200);
  expect(index.headers.get("content-type")).toContain("text/html");
  expect(index.headers.get("cache-control")).toBe("no-cache");
  const html = await index.text();
  const js = /src="\/_\/(assets\/[^"]+\.js)"/.exec(html)?.[1];
  expect(js).toBeTruthy();
  const asset = await fetch(`${srv.url}/_/${js}`);
  expect(asset.status).toBe(200);
  expect(asset.headers.get("content-type")).toContain("javascript");
  expect(asset.headers.get("cache-control")).toContain("immutable");
  await asset.arrayBuffer();

  const fallback = await fetch(`${srv.url}/_/some/client/route`);
  expect(fallback.status).toBe(200);
  expect(await fallback.text()).toBe(html);

  const missing = await fetch(`${srv.url}/_/assets/nope-123.js`);
  expect(missing.status).toBe(404);
  await missing.text();

  const bare = await fetch(`${srv.url}/_`, { redirect: "manual" });
  expect(bare.status).toBe(301);
  expect(bare.headers.get("location")).toBe("/_/");
});

test("installer link → first superuser (field errors first, nothing created) → logged in; session survives reload; logout; login errors", async () => {
  const token = ensureInstallerSuperuser(srv.app);
  expect(token).toBeTruthy();
  const { page, errors, context } = await newPage(browser);

  await page.goto(`${srv.url}/_/#/pbinstall/${token}`);
  await page.waitForSelector("#install-email");
  await screenshots(page, "installer");

  // bad input: the confirmation does not match → the API's error beside that field, no superuser
  await page.fill("#install-email", "admin@example.com");
  await page.fill("#install-password", "1234567890");
  await page.fill("#install-password-confirm", "different-123");
  await page.click("[data-testid=install-submit]");
  await page.waitForSelector('[data-error-for="passwordConfirm"]');
  const countReal = () =>
    srv.app.db().get<{ n: number }>("SELECT COUNT(*) AS n FROM _superusers WHERE email != '__pbinstaller@example.com'")!.n;
  expect(countReal()).toBe(0);

  await page.fill("#install-password-confirm", "1234567890");
  await page.click("[data-testid=install-submit]");
  await page.waitForSelector("[data-testid=nav-collections]");
  await page.waitForSelector("[data-testid=records-view]");
  expect(countReal()).toBe(1);
  // the placeholder is gone once a real superuser exists
  expect(srv.app.db().get<{ n: number }>("SELECT COUNT(*) AS n FROM _superusers")!.n).toBe(1);

  // the session is kept across reloads
  await page.reload();
  await page.waitForSelector("[data-testid=records-view]");
  expect(await page.url()).toContain("#/collections");

  // logout → login page; a stale hash goes to the login too
  await page.click("[data-testid=account-menu]");
  await page.click("[data-testid=logout]");
  await page.waitForSelector("#login-email");
  await page.goto(`${srv.url}/_/#/settings`);
  await page.waitForSelector("#login-email");

  // wrong password: the API's message, still logged out
  await page.fill("#login-email", "admin@example.com");
  await page.fill("#login-password", "wrong-password");
  await page.click("[data-testid=login-submit]");
  await page.waitForSelector("[data-testid=login-error]");
  expect(await page.textContent("[data-testid=login-error]")).toContain("Failed to authenticate");
  await screenshots(page, "login-error");

  await page.fill("#login-password", "1234567890");
  await page.click("[data-testid=login-submit]");
  await page.waitForSelector("[data-testid=records-view]");

  // an expired installer link says so instead of showing the form
  await page.goto(`${srv.url}/_/#/pbinstall/eyJhbGciOiJIUzI1NiJ9.eyJleHAiOjF9.x`);
  await page.waitForSelector("[data-testid=install-expired]");

  // the pages emails link to render without a session
  await page.goto(`${srv.url}/_/#/auth/confirm-password-reset/eyJhbGciOiJIUzI1NiJ9.eyJleHAiOjF9.x`);
  await page.waitForSelector("#reset-password");
  await page.goto(`${srv.url}/_/#/auth/oauth2-redirect-failure`);
  await page.waitForSelector("[data-testid=auth-error]");

  expect(errors).toEqual([]);
  await context.close();
}, 30_000);
