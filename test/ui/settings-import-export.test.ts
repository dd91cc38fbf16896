/**
 * Browser: settings (a bad value shows the API's error beside the field and saves nothing; a
 * good one is saved), superusers, and the schema round trip: export the collections' JSON,
 * change it, re-import it through the diff preview; a bad import changes nothing.
 */
import { afterAll, beforeAll, expect, test } from "bun:test";
import type { Browser, BrowserContext, Page } from "playwright-core";
import type PocketBase from "pocketbase";
import { startTestServer, type TestServer } from "../helpers/test-server.ts";
import { ensureUiBuilt, launchBrowser, login, newPage, screenshots, superuserClient } from "./browser.ts";

let srv: TestServer;
let browser: Browser;
let context: BrowserContext;
let page: Page;
let pageErrors: string[];
let pb: PocketBase;

beforeAll(async () => {
  ensureUiBuilt();
  srv = await startTestServer();
  pb = await superuserClient(srv.url);
  await pb.collections.create({ name: "books", type: "base", fields: [{ name: "title", type: "text", required: true }] });
  browser = await launchBrowser();
  ({ context, page, errors: pageErrors } = await newPage(browser));
  await login(page, srv.url);
}, 60_000);

afterAll(async () => {
  await context?.close();
  await browser?.close();
  await srv?.stop();
});

test("application settings: a blank name shows the API's error and saves nothing; a new name is saved", async () => {
  const before = (await pb.settings.getAll()).meta.appName;
  await page.click("[data-testid=nav-settings]");
  await page.waitForSelector("[data-testid=app-name]");
  await page.fill("[data-testid=app-name]", "");
  await page.click("[data-testid=settings-save]");
  await page.waitForSelector('[data-error-for="meta.appName"]');
  expect((await pb.settings.getAll()).meta.appName).toBe(before);

  await page.fill("[data-testid=app-name]", "Satchel Test");
  await page.click("[data-testid=settings-save]");
  await page.waitForSelector("[data-testid=toast-success]");
  expect((await pb.settings.getAll()).meta.appName).toBe("Satchel Test");
  await screenshots(page, "settings-application");

  await page.click("[data-testid=settings-nav-mail]");
  await page.waitForSelector("[data-testid=sender-address]");

  // superusers: add one through the records form
  await page.click("[data-testid=settings-nav-superusers]");
  await page.waitForSelector('[data-testid=records-title]:text-is("Superusers")');
  await page.click("[data-testid=new-record]");
  await page.fill("#rf-email", "second@example.com");
  await page.fill("#rf-password", "second12345");
  await page.fill("#rf-password-confirm", "second12345");
  await page.click("[data-testid=record-save]");
  await page.waitForSelector("[data-testid=record-form]", { state: "detached" });
  expect((await pb.collection("_superusers").getFullList()).map((r) => r.email).sort()).toEqual(["second@example.com", "test@example.com"]);
  await page.waitForSelector('[data-testid=total-items]:text-is("Total found: 2")');
  await screenshots(page, "settings-superusers");
  expect(pageErrors).toEqual([]);
}, 30_000);

test("export the schema, change it, re-import it through the diff preview; a bad import changes nothing", async () => {
  await page.click("[data-testid=settings-nav-export-collections]");
  await page.waitForFunction(() => (document.querySelector("[data-testid=export-json]") as HTMLTextAreaElement | null)?.value.includes('"books"'));
  await screenshots(page, "settings-export");
  const exported = JSON.parse(await page.inputValue("[data-testid=export-json]")) as { name: string; fields: { name: string; type: string }[] }[];
  expect(exported.map((c) => c.name)).toEqual(expect.arrayContaining(["books", "users", "_superusers"]));

  // change the export: a new field on books, a new collection
  const books = exported.find((c) => c.name === "books")!;
  books.fields.push({ name: "pages", type: "number" });
  exported.push({ name: "authors", type: "base", fields: [{ name: "name", type: "text" }] } as never);

  await page.click("[data-testid=settings-nav-import-collections]");
  // invalid JSON → a parse error, nothing sent
  await page.fill("[data-testid=import-json]", "[{ not json");
  await page.click("[data-testid=import-review-btn]");
  await page.waitForSelector("[data-testid=import-parse-error]");

  await page.fill("[data-testid=import-json]", JSON.stringify(exported, null, 2));
  await page.click("[data-testid=import-review-btn]");
  await page.waitForSelector("[data-testid=import-review]");
  const review = await page.textContent("[data-testid=import-review]");
  expect(review).toContain("authors");
  expect(review).toContain("books");
  await page.locator(".change-head", { hasText: "books" }).click();
  await page.waitForSelector(".diff .add");
  expect(await page.locator(".diff .add").allTextContents()).toEqual(expect.arrayContaining([expect.stringContaining('"pages"')]));
  await screenshots(page, "settings-import-review");
  await page.click("[data-testid=import-confirm]");
  await page.waitForSelector("[data-testid=toast-success]");
  expect((await pb.collections.getOne("books")).fields.map((f: { name: string }) => f.name)).toContain("pages");
  expect((await pb.collections.getOne("authors")).type).toBe("base");

  // a bad import (an unknown field type beside a valid new collection) is refused whole
  const bad = [
    { name: "good_one", type: "base", fields: [{ name: "x", type: "text" }] },
    { name: "broken", type: "base", fields: [{ name: "y", type: "no_such_type" }] },
  ];
  await page.fill("[data-testid=import-json]", JSON.stringify(bad));
  await page.click("[data-testid=import-review-btn]");
  await page.click("[data-testid=import-confirm]");
  await page.waitForSelector("[data-testid=form-error]");
  const names = (await pb.collections.getFullList()).map((c) => c.name);
  expect(names).not.toContain("good_one");
  expect(names).not.toContain("broken");
  expect(pageErrors).toEqual([]);
}, 30_000);
