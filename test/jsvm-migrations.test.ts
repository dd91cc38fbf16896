import { afterAll, beforeAll, expect, test } from "bun:test";
import { Database } from "bun:sqlite";
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, unlinkSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { writeFiles } from "./helpers/jsvm-server.ts";

const REPO = join(import.meta.dir, "..");

const CREATE_BOOKS = `/// <reference path="../pb_data/types.d.ts" />
migrate((app) => {
  const collection = new Collection({
    name: "books",
    type: "base",
    listRule: "",
    fields: [
      { name: "title", type: "text", required: true },
      { name: "pages", type: "number" },
    ],
  });
  app.save(collection);
}, (app) => {
  const collection = app.findCollectionByNameOrId("books");
  app.delete(collection);
});
`;

const ADD_FIELD = `migrate((app) => {
  const c = app.findCollectionByNameOrId("books");
  c.fields.add(new TextField({ name: "isbn" }));
  app.save(c);
  const r = new Record(c, { title: "Dune", pages: 412, isbn: "978-0441013593" });
  app.save(r);
}, (app) => {
  const c = app.findCollectionByNameOrId("books");
  c.fields.removeByName("isbn");
  app.save(c);
});
`;

// the pre-v0.23 form: migrate((db) => ...) with the Dao and the old collection JSON
const LEGACY = `migrate((db) => {
  const dao = new Dao(db);
  const collection = new Collection({
    name: "legacy_notes",
    type: "base",
    schema: [{ name: "body", type: "text", required: false, options: { min: null, max: 500, pattern: "" } }],
  });
  return dao.saveCollection(collection);
}, (db) => {
  const dao = new Dao(db);
  return dao.deleteCollection(dao.findCollectionByNameOrId("legacy_notes"));
});
`;

let root: string;
const dataDir = () => join(root, "pb_data");
const migrationsDir = () => join(root, "pb_migrations");

async function cli(args: string[], input = ""): Promise<{ code: number; stdout: string; stderr: string }> {
  const p = Bun.spawn([process.execPath, "src/main.ts", ...args, "--dir", dataDir()], { cwd: REPO, stdin: "pipe", stdout: "pipe", stderr: "pipe" });
  p.stdin.write(input);
  await p.stdin.end();
  const [code, stdout, stderr] = await Promise.all([p.exited, new Response(p.stdout).text(), new Response(p.stderr).text()]);
  return { code, stdout, stderr };
}

function query<T>(sql: string): T[] {
  const db = new Database(join(dataDir(), "data.db"), { readonly: true });
  try {
    return db.query(sql).all() as T[];
  } finally {
    db.close();
  }
}

function applied(): string[] {
  return query<{ file: string }>("SELECT file FROM _migrations WHERE file NOT LIKE '%.go' ORDER BY applied, file").map((r) => r.file);
}

function hasTable(name: string): boolean {
  return query<{ n: number }>(`SELECT count(*) AS n FROM sqlite_master WHERE type = 'table' AND name = '${name}'`)[0]!.n === 1;
}

beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), "satchel-migrate-"));
  writeFiles(migrationsDir(), {
    "1700000000_create_books.js": CREATE_BOOKS,
    "1700000001_add_isbn.js": ADD_FIELD,
    "1700000002_legacy.js": LEGACY,
    "README.md": "not a migration",
  });
});

afterAll(() => {
  rmSync(root, { recursive: true, force: true });
});

test("migrate up applies the files in name order and records them with microsecond timestamps", async () => {
  const r = await cli(["migrate", "up"]);
  expect(r.stderr).toBe("");
  expect(r.code).toBe(0);
  expect(r.stdout.trim().split("\n")).toEqual(["Applied 1700000000_create_books.js", "Applied 1700000001_add_isbn.js", "Applied 1700000002_legacy.js"]);
  expect(applied()).toEqual(["1700000000_create_books.js", "1700000001_add_isbn.js", "1700000002_legacy.js"]);
  const rows = query<{ applied: number }>("SELECT applied FROM _migrations WHERE file LIKE '17000%'");
  for (const row of rows) expect(Math.abs(row.applied - Date.now() * 1000)).toBeLessThan(60_000_000);
  expect(query<{ title: string; isbn: string }>("SELECT title, isbn FROM books")).toEqual([{ title: "Dune", isbn: "978-0441013593" }]);
  // the legacy JSON was converted: `schema` → `fields`, plus PocketBase's implicit created/updated
  const legacy = query<{ fields: string }>("SELECT fields FROM _collections WHERE name = 'legacy_notes'")[0]!;
  expect(JSON.parse(legacy.fields).map((f: { name: string }) => f.name)).toEqual(["id", "body", "created", "updated"]);

  const again = await cli(["migrate"]);
  expect(again.stdout.trim()).toBe("No new migrations to apply.");
});

test("migrate down asks first, then reverts the last applied ones", async () => {
  const no = await cli(["migrate", "down", "2"], "n\n");
  expect(no.code).toBe(0);
  expect(no.stdout).toContain("1700000002_legacy.js\n1700000001_add_isbn.js\nDo you really want to revert the last 2 applied migration(s)? (y/N)");
  expect(no.stdout).toContain("The command has been cancelled");
  expect(applied()).toHaveLength(3);

  const one = await cli(["migrate", "down"], "y\n");
  expect(one.code).toBe(0);
  expect(one.stdout).toContain("Reverted 1700000002_legacy.js");
  expect(hasTable("legacy_notes")).toBe(false);

  const two = await cli(["migrate", "down", "2"], "y\n");
  expect(two.stdout).toContain("Reverted 1700000001_add_isbn.js\nReverted 1700000000_create_books.js");
  expect(hasTable("books")).toBe(false);
  expect(applied()).toEqual([]);
  expect((await cli(["migrate", "down"], "y\n")).stdout.trim()).toBe("No migrations to revert.");
});

test("a failing migration stops the run, is rolled back and names the file", async () => {
  writeFiles(migrationsDir(), { "1700000003_bad.js": `migrate((app) => {\n  app.save(new Collection({ name: "half_done" }));\n  throw new Error("kaboom");\n});\n` });
  const r = await cli(["migrate", "up"]);
  expect(r.code).toBe(1);
  expect(r.stderr.trim()).toBe("Error: failed to apply migration 1700000003_bad.js: kaboom");
  // the earlier ones were applied, the failing one left nothing behind
  expect(applied()).toEqual(["1700000000_create_books.js", "1700000001_add_isbn.js", "1700000002_legacy.js"]);
  expect(hasTable("half_done")).toBe(false);
  expect(query("SELECT id FROM _collections WHERE name = 'half_done'")).toEqual([]);
  unlinkSync(join(migrationsDir(), "1700000003_bad.js"));
});

test("create, collections and history-sync", async () => {
  const created = await cli(["migrate", "create", "Add Something"], "y\n");
  expect(created.code).toBe(0);
  const file = readdirSync(migrationsDir()).find((f) => /^\d+_add_something\.js$/.test(f))!;
  expect(created.stdout).toContain(`Successfully created file "${join(migrationsDir(), file)}"`);
  expect(readFileSync(join(migrationsDir(), file), "utf8")).toContain("migrate((app) => {\n  // add up queries...");
  expect((await cli(["migrate", "up"])).stdout.trim()).toBe(`Applied ${file}`);

  const snap = await cli(["migrate", "collections"], "y\n");
  expect(snap.code).toBe(0);
  const snapFile = readdirSync(migrationsDir()).find((f) => f.endsWith("_collections_snapshot.js"))!;
  const text = readFileSync(join(migrationsDir(), snapFile), "utf8");
  expect(text).toContain("app.importCollections(snapshot, false)");
  expect(text).toContain('"name": "books"');
  expect(text).not.toContain('"created": "2');

  // the snapshot rebuilds the collections in an empty pb_data
  const other = mkdtempSync(join(tmpdir(), "satchel-migrate-snap-"));
  try {
    writeFiles(join(other, "pb_migrations"), { [snapFile]: text });
    const p = Bun.spawn([process.execPath, "src/main.ts", "migrate", "up", "--dir", join(other, "pb_data")], { cwd: REPO, stdout: "pipe", stderr: "pipe" });
    expect(await p.exited).toBe(0);
    const db = new Database(join(other, "pb_data", "data.db"), { readonly: true });
    const names = (db.query("SELECT name FROM _collections ORDER BY name").all() as { name: string }[]).map((r) => r.name);
    db.close();
    expect(names).toContain("books");
    expect(names).toContain("legacy_notes");
  } finally {
    rmSync(other, { recursive: true, force: true });
  }

  unlinkSync(join(migrationsDir(), file));
  const sync = await cli(["migrate", "history-sync"]);
  expect(sync.code).toBe(0);
  expect(applied()).not.toContain(file);
  expect(applied()).toContain("1700000000_create_books.js");

  const cancelled = await cli(["migrate", "create", "nope"], "\n");
  expect(cancelled.stdout).toContain("The command has been cancelled");
  expect(readdirSync(migrationsDir()).some((f) => f.endsWith("_nope.js"))).toBe(false);
});

test("bad command lines", async () => {
  const bogus = await cli(["migrate", "bogus"]);
  expect(bogus.code).toBe(1);
  expect(bogus.stderr.trim()).toBe('Error: Unsupported command: "bogus"');
  const noName = await cli(["migrate", "create"]);
  expect(noName.code).toBe(1);
  expect(noName.stderr.trim()).toBe("Error: Missing migration file name");
  const badN = await cli(["migrate", "down", "x"]);
  expect(badN.code).toBe(1);
  expect(badN.stderr).toContain("invalid number");
});

test("serve applies pending migrations before it serves", async () => {
  writeFiles(migrationsDir(), {
    "1700000009_seed_book.js": `migrate((app) => { app.save(new Record(app.findCollectionByNameOrId("books"), { title: "Served" })); });`,
  });
  const p = Bun.spawn([process.execPath, "src/main.ts", "serve", "--dir", dataDir(), "--http", "127.0.0.1:0"], { cwd: REPO, stdout: "pipe", stderr: "pipe" });
  try {
    const reader = p.stdout.getReader();
    let out = "";
    while (!/Server started at (\S+)/.test(out)) {
      const { value, done } = await reader.read();
      if (done) break;
      out += new TextDecoder().decode(value);
    }
    reader.releaseLock();
    const base = /Server started at (\S+)/.exec(out)![1]!;
    const res = await fetch(`${base}/api/collections/books/records?filter=${encodeURIComponent("title='Served'")}`);
    expect((await res.json()).totalItems).toBe(1);
  } finally {
    p.kill("SIGTERM");
    await p.exited;
  }
  expect(applied()).toContain("1700000009_seed_book.js");
  expect(existsSync(join(migrationsDir(), "1700000009_seed_book.js"))).toBe(true);
});
