/**
 * Test-only fixtures of the rules module: a small schema (posts, users, categories, comments,
 * memberships, profiles), an in-memory database holding a few rows of it, and a fixed clock.
 */
import { Database } from "bun:sqlite";
import type { CollectionConfig, FieldConfig } from "../collections/collection-types.ts";
import { createSchemaLookup, isMultipleField, type SchemaLookup } from "./schema.ts";
import type { RequestInfo } from "./request-info.ts";

/** A field definition with the common keys filled in. */
export function field(name: string, type: string, extra: Record<string, unknown> = {}): FieldConfig {
  return { id: `${type}_${name}`, name, type, system: false, hidden: false, presentable: false, ...extra };
}

/** A collection with an `id` field, open rules and the given fields. */
export function collection(name: string, fields: FieldConfig[], extra: Partial<CollectionConfig> = {}): CollectionConfig {
  return {
    id: `pbc_${name}`,
    name,
    type: "base",
    system: false,
    fields: [field("id", "text", { primaryKey: true, system: true }), ...fields],
    indexes: [],
    created: "",
    updated: "",
    listRule: "",
    viewRule: "",
    createRule: "",
    updateRule: "",
    deleteRule: "",
    ...extra,
  };
}

/** The test collections. */
export function testCollections(): CollectionConfig[] {
  const users = collection(
    "users",
    [
      field("email", "email"),
      field("emailVisibility", "bool"),
      field("verified", "bool"),
      field("password", "password", { hidden: true }),
      field("tokenKey", "text", { hidden: true }),
      field("name", "text"),
      field("role", "text"),
      field("secret", "text", { hidden: true }),
      field("team", "relation", { collectionId: "pbc_categories", maxSelect: 1 }),
    ],
    { type: "auth", listRule: null },
  );
  const posts = collection("posts", [
    field("title", "text"),
    field("status", "text"),
    field("author", "relation", { collectionId: "pbc_users", maxSelect: 1 }),
    field("tags", "select", { maxSelect: 5, values: ["a", "b", "featured"] }),
    field("categories", "relation", { collectionId: "pbc_categories", maxSelect: 10 }),
    field("meta", "json"),
    field("location", "geoPoint"),
    field("group", "text"),
    field("views", "number"),
    field("created", "autodate"),
  ]);
  const categories = collection("categories", [field("name", "text")]);
  const comments = collection("comments", [
    field("post", "relation", { collectionId: "pbc_posts", maxSelect: 1 }),
    field("user", "relation", { collectionId: "pbc_users", maxSelect: 1 }),
    field("message", "text"),
  ]);
  const memberships = collection("memberships", [field("user", "relation", { collectionId: "pbc_users", maxSelect: 1 }), field("group", "text")]);
  const profiles = collection("profiles", [field("user", "relation", { collectionId: "pbc_users", maxSelect: 1 }), field("bio", "text")], {
    indexes: ["CREATE UNIQUE INDEX `idx_profiles_user` ON `profiles` (`user`)"],
  });
  return [users, posts, categories, comments, memberships, profiles];
}

/** The test schema lookup. */
export function testSchema(): SchemaLookup {
  return createSchemaLookup(testCollections());
}

/** The test collection called `name`. */
export function testCollection(name: string): CollectionConfig {
  const c = testSchema().findCollection(name);
  if (!c) throw new Error(`no test collection ${name}`);
  return c;
}

/** The fixed "now" of the tests: 2026-01-20 12:34:56.789Z. */
export const TEST_NOW = new Date(Date.UTC(2026, 0, 20, 12, 34, 56, 789));

function columnType(f: FieldConfig): string {
  if (f.name === "id") return "TEXT PRIMARY KEY NOT NULL";
  if (isMultipleField(f)) return "JSON DEFAULT '[]' NOT NULL";
  switch (f.type) {
    case "number":
      return "NUMERIC DEFAULT 0 NOT NULL";
    case "bool":
      return "BOOLEAN DEFAULT FALSE NOT NULL";
    case "json":
      return "JSON DEFAULT NULL";
    case "geoPoint":
      return `JSON DEFAULT '{"lon":0,"lat":0}' NOT NULL`;
    default:
      return "TEXT DEFAULT '' NOT NULL";
  }
}

const ROWS: Record<string, Record<string, unknown>[]> = {
  users: [
    { id: "u1", email: "john@example.com", emailVisibility: 1, verified: 1, name: "John", role: "admin", secret: "s1", team: "c2" },
    { id: "u2", email: "jane@example.com", emailVisibility: 0, verified: 0, name: "Jane", role: "user", secret: "s2", team: "" },
    { id: "u3", email: "bob@example.com", emailVisibility: 1, verified: 1, name: "Bob", role: "", secret: "", team: "c1" },
  ],
  categories: [
    { id: "c1", name: "news" },
    { id: "c2", name: "tech" },
    { id: "c3", name: "news" },
  ],
  posts: [
    { id: "p1", title: "Hello world", status: "active", author: "u1", tags: '["featured","a"]', categories: '["c1","c3"]', meta: '{"tier":"gold"}', location: '{"lon":23.32,"lat":42.69}', group: "g1", views: 10, created: "2026-01-05 10:00:00.000Z" },
    { id: "p2", title: "a_b test", status: "pending", author: "u2", tags: '["a"]', categories: '["c1","c2"]', meta: '{"tier":"silver"}', location: '{"lon":0,"lat":0}', group: "g2", views: 5, created: "2025-12-31 23:59:59.999Z" },
    { id: "p3", title: "100% sure", status: "draft", author: "", tags: "[]", categories: "[]", meta: null, location: '{"lon":0,"lat":0}', group: "", views: 0, created: "2026-01-20 08:00:00.000Z" },
    { id: "p4", title: "axb", status: "active", author: "u3", tags: '["featured"]', categories: '["c2"]', meta: '{"tier":"gold","items":[{"x":1}]}', location: '{"lon":23.5,"lat":42.7}', group: "g1", views: 7, created: "2026-01-20 13:00:00.000Z" },
  ],
  comments: [
    { id: "k1", post: "p1", user: "u1", message: "hi there" },
    { id: "k2", post: "p1", user: "u2", message: "hello" },
    { id: "k3", post: "p2", user: "u2", message: "hi" },
  ],
  memberships: [
    { id: "m1", user: "u1", group: "g1" },
    { id: "m2", user: "u2", group: "g2" },
  ],
  profiles: [{ id: "pr1", user: "u1", bio: "hey" }],
};

/** Creates the tables of `collections` in `db` (PocketBase's column types). */
export function createTables(db: Database, collections: readonly CollectionConfig[]): void {
  for (const c of collections) {
    db.run(`CREATE TABLE "${c.name}" (${c.fields.map((f) => `"${f.name}" ${columnType(f)}`).join(", ")})`);
  }
}

/** An in-memory database with the test tables and rows. */
export function testDatabase(): Database {
  const db = new Database(":memory:");
  const cols = testCollections();
  createTables(db, cols);
  for (const c of cols) {
    for (const row of ROWS[c.name] ?? []) {
      const keys = Object.keys(row);
      db.query(`INSERT INTO "${c.name}" (${keys.map((k) => `"${k}"`).join(", ")}) VALUES (${keys.map(() => "?").join(", ")})`).run(
        ...(keys.map((k) => row[k]) as (string | number | null)[]),
      );
    }
  }
  return db;
}

/** A request authenticated as test user `id` (u1, u2, u3), with optional body/headers/query. */
export function authRequest(id: string | null, extra: Partial<RequestInfo> = {}): RequestInfo {
  const users = testCollection("users");
  const record = ROWS.users!.find((r) => r.id === id) ?? null;
  return {
    auth: record ? { collection: users, record: { ...record, emailVisibility: Boolean(record.emailVisibility), verified: Boolean(record.verified) } } : null,
    body: {},
    query: {},
    headers: {},
    method: "GET",
    context: "default",
    ...extra,
  };
}
