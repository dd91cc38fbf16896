import { afterAll, beforeAll, expect, spyOn, test } from "bun:test";
import { startJsvmServer, type JsvmTestServer } from "./helpers/jsvm-server.ts";

// The seed's pb_hooks/main.pb.js (seed/pocketbase-overview.txt, "Hooks & Event Handlers"), verbatim.
const SEED_HOOKS = `// pb_hooks/main.pb.js
// Before creating a record - validate and modify data
onRecordCreate((e) => {
// Auto-generate a slug from the title
if (e.record.get('title')) {
const slug = e.record.get('title')
.toLowerCase()
.replace(/[^a-z0-9]+/g, '-')
.replace(/^-|-$/g, '');
e.record.set('slug', slug);
}
e.next();
}, 'posts');
// After creating a record - send notification
onRecordAfterCreateSuccess((e) => {
console.log('New post created:', e.record.get('title'));
// Send email, webhook, etc.
e.next();
}, 'posts');
// Add a custom API route
routerAdd('GET', '/api/stats', (e) => {
const posts = arrayOf(new Record());
$app.recordQuery('posts').all(posts);
return e.json(200, {
totalPosts: posts.length,
timestamp: new Date().toISOString(),
});
});
// Cron job: run cleanup daily at midnight
cronAdd('daily-cleanup', '0 0 * * *', () => {
const cutoff = new Date();
cutoff.setDate(cutoff.getDate() - 30);
$app.dao().deleteRecordsByFilter(
'temp_files',
'created < "' + cutoff.toISOString() + '"'
);
});
`;

let srv: JsvmTestServer;

beforeAll(async () => {
  srv = await startJsvmServer({ hooks: { "main.pb.js": SEED_HOOKS } });
  const pb = await srv.superuser();
  await pb.collections.create({
    name: "posts",
    type: "base",
    listRule: "",
    viewRule: "",
    createRule: "",
    fields: [
      { name: "title", type: "text", required: true },
      { name: "slug", type: "text" },
    ],
  });
  await pb.collections.create({
    name: "temp_files",
    type: "base",
    fields: [
      { name: "name", type: "text" },
      { name: "created", type: "autodate", onCreate: true },
    ],
  });
});

afterAll(async () => {
  await srv?.stop();
});

test("onRecordCreate sets the slug and onRecordAfterCreateSuccess runs after the commit", async () => {
  const log = spyOn(console, "log");
  try {
    const post = await srv.client().collection("posts").create({ title: "Hello World, from Satchel!" });
    expect(post.slug).toBe("hello-world-from-satchel");
    const stored = await srv.client().collection("posts").getOne(post.id);
    expect(stored.slug).toBe("hello-world-from-satchel");
    expect(log).toHaveBeenCalledWith("New post created:", "Hello World, from Satchel!");
  } finally {
    log.mockRestore();
  }
});

test("a failed create does not run the after-success hook", async () => {
  const log = spyOn(console, "log");
  try {
    // title is required: the validation fails, nothing is written and the hook does not fire
    const err = await srv.client().collection("posts").create({ title: "" }).catch((e) => e);
    expect(err.status).toBe(400);
    expect(err.response.data.title.code).toBe("validation_required");
    expect(log.mock.calls.some((c) => c[0] === "New post created:")).toBe(false);
  } finally {
    log.mockRestore();
  }
});

test("GET /api/stats counts the posts through $app.recordQuery", async () => {
  const pb = srv.client();
  await pb.collection("posts").create({ title: "Second post" });
  const total = (await pb.collection("posts").getList(1, 1)).totalItems;
  const stats = await pb.send("/api/stats", { method: "GET" });
  expect(stats.totalPosts).toBe(total);
  expect(total).toBeGreaterThanOrEqual(2);
  expect(Number.isNaN(Date.parse(stats.timestamp))).toBe(false);
  // the route answers GET only
  const err = await pb.send("/api/stats", { method: "POST" }).catch((e) => e);
  expect(err.status).toBe(404);
});

test("the cron job is registered and, run on demand, deletes temp_files older than 30 days", async () => {
  const pb = await srv.superuser();
  const jobs = await pb.crons.getFullList();
  expect(jobs).toContainEqual({ id: "daily-cleanup", expression: "0 0 * * *" });

  const old = await pb.collection("temp_files").create({ name: "old" });
  const fresh = await pb.collection("temp_files").create({ name: "fresh" });
  // autodate fields cannot be set through the API: age one row in the database
  const past = new Date(Date.now() - 40 * 86400_000).toISOString().replace("T", " ");
  srv.app.db().run("UPDATE temp_files SET created = ? WHERE id = ?", [past, old.id]);

  expect(await pb.crons.run("daily-cleanup")).toBe(true);
  // the run is asynchronous (204 at once): wait for the row to go
  for (let i = 0; i < 100 && srv.app.countRecords("temp_files") > 1; i++) await Bun.sleep(10);
  const left = await pb.collection("temp_files").getFullList();
  expect(left.map((r) => r.id)).toEqual([fresh.id]);

  const missing = await pb.crons.run("no-such-job").catch((e) => e);
  expect(missing.status).toBe(404);
  expect(missing.response.message).toBe("Missing or invalid cron job.");
  const guest = await srv.client().crons.getFullList().catch((e) => e);
  expect(guest.status).toBe(401);
});
