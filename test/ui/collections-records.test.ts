/**
 * Browser: the seed's `posts` collection built through the dashboard (every field with its
 * options, a unique index, the rules), then records: bad input shows the API's errors beside the
 * fields and saves nothing, a record with a relation (and a file when the server accepts
 * uploads), filtering, editing, deleting, bulk delete. Checked against the API with the SDK.
 */
import { afterAll, beforeAll, expect, test } from "bun:test";
import type { Browser, BrowserContext, Locator, Page } from "playwright-core";
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
  browser = await launchBrowser();
  ({ context, page, errors: pageErrors } = await newPage(browser));
  await login(page, srv.url);
}, 60_000);

afterAll(async () => {
  await context?.close();
  await browser?.close();
  await srv?.stop();
});

const row = (name: string): Locator => page.locator(`.frow[data-field-name="${name}"]`);

/** Adds a field of `type` named `name` through the "New field" picker; its options panel opens. */
async function addField(type: string, name: string): Promise<Locator> {
  await page.click("[data-testid=new-field]");
  await page.click(`[data-testid=add-field-${type}]`);
  // the new row's name input is focused and selected
  await page.keyboard.type(name);
  const r = row(name);
  await r.waitFor();
  return r;
}

async function toggle(scope: Locator, label: string): Promise<void> {
  await scope.locator("label.switch", { hasText: label }).first().click();
}

test("create the seed's posts collection with all its fields, a unique index and rules; bad input first", async () => {
  await page.click("[data-testid=new-collection]");
  await page.waitForSelector("[data-testid=collection-editor]");
  await page.fill("[data-testid=collection-name]", "posts");

  const title = await addField("text", "title");
  await toggle(title, "Nonempty");
  const content = await addField("editor", "content");
  await toggle(content, "Nonempty");
  await addField("text", "slug");
  const tags = await addField("select", "tags");
  await tags.locator('input[id$="-values"]').fill("tech, tutorial, news");
  await tags.locator("button", { hasText: "Multiple" }).click();
  await tags.locator('input[id$="-maxsel"]').fill("5");
  const author = await addField("relation", "author");
  await author.locator('select[id$="-col"]').selectOption({ label: "users" });
  const cover = await addField("file", "cover");
  await cover.locator('input[id$="-maxsize"]').fill("5242880");
  await cover.locator('input[id$="-mime"]').fill("image/jpeg, image/png, image/webp");
  await addField("bool", "published");
  await addField("number", "views");

  // bad input: an invalid field name, and the seed's maxSelect 5 for 3 choices (PocketBase
  // refuses it) → the API's errors beside those fields, nothing created
  const bad = await addField("text", "bad name!");
  await page.click("[data-testid=collection-save]");
  await bad.locator(".error-text").waitFor();
  expect(await bad.locator(".error-text").textContent()).toBeTruthy();
  await tags.locator('[data-error-for$=".maxSelect"]').waitFor();
  expect((await pb.collections.getFullList()).some((c) => c.name === "posts")).toBe(false);
  await screenshots(page, "collection-field-error");
  await bad.locator("[data-testid='field-delete-bad name!']").click();
  expect(await row("bad name!").count()).toBe(0);
  await tags.locator('input[id$="-maxsel"]').fill("3");

  // the unique index on slug
  await page.click("[data-testid=new-index]");
  await page.waitForSelector("[data-testid=index-dialog]");
  await page.locator("[data-testid=index-dialog] .pill", { hasText: /^slug$/ }).click();
  await toggle(page.locator("[data-testid=index-dialog]"), "Unique");
  await page.click("[data-testid=index-apply]");
  await page.waitForSelector("[data-testid=index-chip]");
  await page.locator("[data-testid=collection-editor] .drawer-body").evaluate((el) => (el.scrollTop = 0));
  await screenshots(page, "collection-editor-fields");

  // API rules: list/view public for published posts, create for signed-in users, update for the author, delete locked
  await page.click("[data-testid=tab-rules]");
  for (const [key, rule] of [
    ["listRule", "published = true"],
    ["viewRule", "published = true"],
    ["createRule", '@request.auth.id != ""'],
    ["updateRule", "author = @request.auth.id"],
  ] as const) {
    await page.click(`[data-testid=rule-unlock-${key}]`);
    await page.fill(`[data-testid=rule-input-${key}]`, rule);
  }
  expect(await page.textContent("[data-testid=rule-state-deleteRule]")).toContain("Superusers only");
  await screenshots(page, "collection-editor-rules");

  await page.click("[data-testid=collection-save]");
  await page.waitForSelector("[data-testid=collection-editor]", { state: "detached" });
  await page.waitForSelector('[data-testid=records-title]:text-is("posts")');

  const posts = await pb.collections.getOne("posts");
  const byName = Object.fromEntries(posts.fields.map((f: { name: string }) => [f.name, f])) as { [k: string]: { [k: string]: unknown } };
  expect(Object.keys(byName)).toEqual(expect.arrayContaining(["id", "title", "content", "slug", "tags", "author", "cover", "published", "views", "created", "updated"]));
  expect(byName.title).toMatchObject({ type: "text", required: true });
  expect(byName.content).toMatchObject({ type: "editor", required: true });
  expect(byName.tags).toMatchObject({ type: "select", values: ["tech", "tutorial", "news"], maxSelect: 3 });
  expect(byName.author).toMatchObject({ type: "relation", collectionId: "_pb_users_auth_", maxSelect: 1 });
  expect(byName.cover).toMatchObject({ type: "file", maxSelect: 1, maxSize: 5242880, mimeTypes: ["image/jpeg", "image/png", "image/webp"] });
  expect(byName.published).toMatchObject({ type: "bool" });
  expect(byName.views).toMatchObject({ type: "number" });
  expect(posts.indexes.some((i: string) => /UNIQUE INDEX/i.test(i) && /`slug`/.test(i))).toBe(true);
  expect(posts).toMatchObject({
    listRule: "published = true",
    viewRule: "published = true",
    createRule: '@request.auth.id != ""',
    updateRule: "author = @request.auth.id",
    deleteRule: null,
  });
}, 40_000);

test("records: errors beside fields and nothing saved, create with a relation (and file), filter, edit, delete", async () => {
  const user = await pb.collection("users").create({ email: "alice@example.com", password: "alice12345", passwordConfirm: "alice12345", name: "Alice" });
  await pb.collection("posts").create({ title: "Draft post", content: "<p>wip</p>", slug: "draft", published: false });
  await page.click('button[title="Refresh"]');
  await page.waitForSelector('tr[data-record-id]');

  // bad input: required fields empty → errors beside title and content, nothing saved
  await page.click("[data-testid=new-record]");
  await page.waitForSelector("[data-testid=record-form]");
  await page.click("[data-testid=record-save]");
  await page.waitForSelector('[data-error-for="title"]');
  await page.waitForSelector('[data-error-for="content"]');
  expect((await pb.collection("posts").getList(1, 1)).totalItems).toBe(1);
  await screenshots(page, "record-form-errors");

  // bad input: a duplicate slug (unique index) → error beside slug, nothing saved
  await page.fill("#rf-title", "Hello world");
  await page.click("[data-testid=editor-rf-content]");
  await page.keyboard.type("Some ");
  await page.keyboard.press("Control+b");
  await page.keyboard.type("bold");
  await page.keyboard.press("Control+b");
  await page.keyboard.type(" content");
  await page.fill("#rf-slug", "draft");
  await page.click("[data-testid=record-save]");
  await page.waitForSelector('[data-error-for="slug"]');
  expect((await pb.collection("posts").getList(1, 1)).totalItems).toBe(1);

  await page.fill("#rf-slug", "hello-world");
  await page.locator('[data-field="tags"] .pill', { hasText: "tech" }).click();
  await page.locator('[data-field="tags"] .pill', { hasText: "news" }).click();
  await page.click("[data-testid=pick-author]");
  await page.waitForSelector("[data-testid=relation-picker]");
  await page.locator("[data-testid=relation-picker] .opt", { hasText: "Alice" }).click();
  await page.click("[data-testid=relation-pick-confirm]");
  await page.waitForSelector(`[data-field="author"] [data-rel-id="${user.id}"]`);
  await toggle(page.locator('[data-field="published"]'), "False");
  await page.fill("#rf-views", "42");

  const filesWork = await uploadsSupported();
  if (filesWork) {
    await page.setInputFiles("[data-testid=file-cover]", { name: "cover.png", mimeType: "image/png", buffer: PNG_1X1 });
    await page.waitForSelector('[data-field="cover"] .file.new');
  } else {
    console.log("NB: the server does not accept file uploads yet; the cover upload step was skipped.");
  }
  await screenshots(page, "record-form-filled");
  await page.click("[data-testid=record-save]");
  await page.waitForSelector("[data-testid=record-form]", { state: "detached" });

  const created = await pb.collection("posts").getFirstListItem('slug = "hello-world"', { expand: "author" });
  expect(created).toMatchObject({ title: "Hello world", tags: ["tech", "news"], author: user.id, published: true, views: 42 });
  expect(created.content).toContain("<b>bold</b>");
  expect(created.expand?.author?.email).toBe("alice@example.com");
  if (filesWork) expect(created.cover).toMatch(/^cover_\w+\.png$/);

  // the table shows the related record readably
  const newRow = page.locator(`tr[data-record-id="${created.id}"]`);
  await newRow.waitFor();
  expect(await newRow.textContent()).toContain("Alice");
  await screenshots(page, "records-table");

  // filter with PocketBase's syntax, and an invalid filter shows the API's error
  await page.fill("[data-testid=filter-input]", "published = true");
  await page.keyboard.press("Enter");
  await page.waitForSelector('[data-testid=total-items]:text-is("Total found: 1")');
  expect(await page.locator("tr[data-record-id]").count()).toBe(1);
  expect(page.url()).toContain("filter=published");
  await page.fill("[data-testid=filter-input]", "nope ~~ (");
  await page.keyboard.press("Enter");
  await page.waitForSelector("[data-testid=list-error]");
  await page.fill("[data-testid=filter-input]", "Draft");
  await page.keyboard.press("Enter");
  await page.waitForSelector('[data-testid=total-items]:text-is("Total found: 1")');
  expect(await page.locator("tr[data-record-id]").first().textContent()).toContain("Draft post");
  await page.click("text=Clear");
  await page.waitForSelector('[data-testid=total-items]:text-is("Total found: 2")');

  // sort by title ascending by clicking its header
  await page.locator("th", { hasText: /^title/ }).click();
  await page.waitForFunction(() => location.hash.includes("sort=title"));
  await page.waitForFunction(() => document.querySelector("tr[data-record-id]")?.textContent?.includes("Draft post"));

  // edit: change the title; the relation stays
  await newRow.click();
  await page.waitForSelector("#rf-title");
  await page.waitForSelector(`[data-field="author"] [data-rel-id="${user.id}"]`);
  expect(await page.locator(`[data-field="author"] [data-rel-id="${user.id}"]`).textContent()).toContain("Alice");
  await page.fill("#rf-title", "Hello again");
  if (filesWork) await page.locator(`[data-field="cover"] [aria-label="Remove ${created.cover}"]`).click();
  await page.keyboard.press("Control+s");
  await page.waitForSelector("[data-testid=record-form]", { state: "detached" });
  const edited = await pb.collection("posts").getOne(created.id);
  expect(edited).toMatchObject({ title: "Hello again", author: user.id, tags: ["tech", "news"], slug: "hello-world" });
  if (filesWork) expect(edited.cover).toBe("");

  // delete through the record's menu
  await newRow.click();
  await page.waitForSelector("#rf-title");
  await page.click("[data-testid=record-actions]");
  await page.click("[data-testid=record-delete]");
  await page.click("[data-testid=confirm-yes]");
  await page.waitForSelector("[data-testid=record-form]", { state: "detached" });
  await expect(pb.collection("posts").getOne(created.id)).rejects.toMatchObject({ status: 404 });

  // bulk delete the rest
  await page.waitForSelector('[data-testid=total-items]:text-is("Total found: 1")');
  await page.locator("tr[data-record-id] input[type=checkbox]").first().check();
  await page.click("[data-testid=bulk-delete]");
  await page.click("[data-testid=confirm-yes]");
  await page.waitForSelector('[data-testid=total-items]:text-is("Total found: 0")');
  expect((await pb.collection("posts").getList(1, 1)).totalItems).toBe(0);

  expect(pageErrors).toEqual([]);
}, 40_000);

test("schema edits: rename, reorder, hidden, presentable; column choice; a view collection; truncate and delete", async () => {
  await pb.collection("posts").create({ title: "One", content: "<p>x</p>", slug: "one", published: true });
  await page.click("[data-testid=collection-link-posts]");
  await page.click("[data-testid=edit-collection]");
  await page.waitForSelector("[data-testid=collection-editor]");
  // rename views → view_count and move it above published (Alt+↑ on its name input)
  await row("views").locator("input.name").fill("view_count");
  await row("view_count").locator("input.name").press("Alt+ArrowUp");
  await row("slug").locator("[data-testid=field-options-slug]").click();
  await toggle(row("slug"), "Hidden");
  await row("title").locator("[data-testid=field-options-title]").click();
  await toggle(row("title"), "Presentable");
  await page.click("[data-testid=collection-save]");
  await page.waitForSelector("[data-testid=collection-editor]", { state: "detached" });
  const fields = (await pb.collections.getOne("posts")).fields as { name: string; hidden: boolean; presentable: boolean }[];
  const names = fields.map((f) => f.name);
  expect(names).not.toContain("views");
  expect(names.indexOf("view_count")).toBe(names.indexOf("published") - 1);
  expect(fields.find((f) => f.name === "slug")!.hidden).toBe(true);
  expect(fields.find((f) => f.name === "title")!.presentable).toBe(true);
  expect((await pb.collection("posts").getFirstListItem('slug = "one"')).view_count).toBe(0);

  // column choice: hide "content" from the table
  await page.waitForSelector("th.sortable:has-text('content')");
  await page.click("[data-testid=columns-menu]");
  await page.locator(".menu label", { hasText: "content" }).click();
  await page.waitForSelector("th.sortable:has-text('content')", { state: "detached" });
  await page.keyboard.press("Escape");

  // a view collection: a bad query first (the API's error beside it, nothing created), then a good one
  await page.click("[data-testid=new-collection]");
  await page.click("[data-testid=type-view]");
  await page.fill("[data-testid=collection-name]", "published_posts");
  await page.fill("[data-testid=view-query]", "SELECT nope FROM nowhere");
  await page.click("[data-testid=collection-save]");
  await page.waitForSelector('[data-error-for="viewQuery"]');
  expect((await pb.collections.getFullList()).some((c) => c.name === "published_posts")).toBe(false);
  await page.fill("[data-testid=view-query]", "SELECT id, title FROM posts WHERE published = 1");
  await page.click("[data-testid=collection-save]");
  await page.waitForSelector('[data-testid=records-title]:text-is("published_posts")');
  expect((await pb.collections.getOne("published_posts")).type).toBe("view");
  await page.waitForSelector('[data-testid=total-items]:text-is("Total found: 1")');
  expect(await page.locator("[data-testid=new-record]").count()).toBe(0);

  // delete the view (type its name to confirm), truncate posts
  await page.click("[data-testid=edit-collection]");
  await page.click("[data-testid=collection-actions]");
  await page.click("[data-testid=delete-collection]");
  await page.fill("#confirm-type", "published_posts");
  await page.click("[data-testid=confirm-yes]");
  await page.waitForSelector("[data-testid=collection-link-published_posts]", { state: "detached" });
  await page.click("[data-testid=collection-link-posts]");
  await page.click("[data-testid=edit-collection]");
  await page.click("[data-testid=collection-actions]");
  await page.click("[data-testid=truncate-collection]");
  expect(await page.isDisabled("[data-testid=confirm-yes]")).toBe(true);
  await page.fill("#confirm-type", "posts");
  await page.click("[data-testid=confirm-yes]");
  await page.waitForSelector('[data-testid=total-items]:text-is("Total found: 0")');
  expect((await pb.collection("posts").getList(1, 1)).totalItems).toBe(0);
  expect((await pb.collections.getFullList()).some((c) => c.name === "published_posts")).toBe(false);
  expect(pageErrors).toEqual([]);
}, 40_000);

test("the other inputs: email, url, date (UTC), JSON (checked before sending), geo point", async () => {
  await pb.collections.create({
    name: "kitchen",
    type: "base",
    fields: [
      { name: "mail", type: "email" },
      { name: "site", type: "url" },
      { name: "when", type: "date" },
      { name: "data", type: "json" },
      { name: "place", type: "geoPoint" },
    ],
  });
  await page.reload();
  await page.click("[data-testid=collection-link-kitchen]");
  await page.click("[data-testid=new-record]");
  await page.fill("#rf-mail", "cook@example.com");
  await page.fill("#rf-site", "https://example.com/menu");
  await page.fill("#rf-when", "2024-05-06T07:08:09");
  await page.fill("#rf-data", "{ not json");
  await page.locator('[data-field="place"] input').nth(0).fill("12.5");
  await page.locator('[data-field="place"] input').nth(1).fill("41.9");
  await page.click("[data-testid=record-save]");
  await page.waitForSelector('[data-error-for="data"]');
  expect((await pb.collection("kitchen").getList(1, 1)).totalItems).toBe(0);
  await page.fill("#rf-data", '{"a": [1, 2]}');
  await page.click("[data-testid=record-save]");
  await page.waitForSelector("[data-testid=record-form]", { state: "detached" });
  const r = await pb.collection("kitchen").getFirstListItem('mail = "cook@example.com"');
  expect(r).toMatchObject({ site: "https://example.com/menu", when: "2024-05-06 07:08:09.000Z", data: { a: [1, 2] }, place: { lon: 12.5, lat: 41.9 } });
  expect(pageErrors).toEqual([]);
}, 30_000);

test("auth collection options, API preview, phone width", async () => {
  await page.click("[data-testid=collection-link-users]");
  await page.waitForSelector('[data-testid=records-title]:text-is("users")');
  await page.click("[data-testid=edit-collection]");
  await page.click("[data-testid=tab-options]");
  await page.click("[data-testid=auth-section-otp]");
  await screenshots(page, "auth-options");
  // bad input: an OTP duration below the minimum → error beside it, nothing saved
  await page.locator("label.switch", { hasText: "Enable OTP" }).click();
  await page.fill("#otp-duration", "1");
  await page.click("[data-testid=collection-save]");
  await page.waitForSelector('[data-error-for^="otp."]');
  expect((await pb.collections.getOne("users")).otp.enabled).toBe(false);
  await page.fill("#otp-duration", "300");
  await page.click("[data-testid=collection-save]");
  await page.waitForSelector("[data-testid=collection-editor]", { state: "detached" });
  expect((await pb.collections.getOne("users")).otp).toMatchObject({ enabled: true, duration: 300 });

  await page.click("[data-testid=collection-link-posts]");
  await page.click("[data-testid=api-preview-btn]");
  await page.waitForSelector("[data-testid=api-preview]");
  expect(await page.textContent("[data-testid=preview-rule]")).toBe("published = true");
  await screenshots(page, "api-preview");
  await page.keyboard.press("Escape");

  await page.setViewportSize({ width: 390, height: 844 });
  await page.waitForSelector("[data-testid=records-view]");
  await screenshots(page, "phone-records");
  await page.click("[data-testid=new-record]");
  await page.waitForSelector("#rf-title");
  await screenshots(page, "phone-record-form");
  await page.keyboard.press("Escape");
  await page.setViewportSize({ width: 1280, height: 800 });
  expect(pageErrors).toEqual([]);
}, 30_000);

const PNG_1X1 = Buffer.from(
  "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==",
  "base64",
);

/** Whether the server stores uploaded files yet (another part of the project adds them). */
async function uploadsSupported(): Promise<boolean> {
  try {
    const r = await pb.collection("posts").create({
      title: "probe",
      content: "probe",
      slug: "probe-upload",
      cover: new File([PNG_1X1], "probe.png", { type: "image/png" }),
    });
    await pb.collection("posts").delete(r.id);
    return typeof r.cover === "string" && r.cover.endsWith(".png");
  } catch {
    return false;
  }
}
