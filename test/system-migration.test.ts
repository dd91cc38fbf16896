import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { Database } from "bun:sqlite";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { App } from "../src/core/app.ts";
import { SYSTEM_MIGRATIONS } from "../src/core/migrations/system-migrations.ts";
import { copyFixture } from "./helpers/test-server.ts";

interface Row {
  id: string;
  name: string;
  type: string;
  system: number;
  fields: string;
  indexes: string;
  listRule: string | null;
  viewRule: string | null;
  createRule: string | null;
  updateRule: string | null;
  deleteRule: string | null;
}

const SYSTEM = ["_superusers", "_mfas", "_otps", "_externalAuths", "_authOrigins"];
let dir: string;
let ours: Database;
let theirs: Database;
let fixtureCopy: string;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "satchel-sysmig-"));
  const app = new App({ dataDir: dir });
  app.bootstrap();
  app.terminate();
  ours = new Database(join(dir, "data.db"), { readonly: true });
  // NB: never open the fixture in place: even a read-only open writes its WAL index
  fixtureCopy = copyFixture();
  theirs = new Database(join(fixtureCopy, "data.db"), { readonly: true });
});
afterAll(() => {
  ours.close();
  theirs.close();
  rmSync(dir, { recursive: true, force: true });
  rmSync(fixtureCopy, { recursive: true, force: true });
});

function collection(db: Database, name: string): Row {
  return db.query("SELECT * FROM _collections WHERE name = ?").get(name) as Row;
}

describe("a new pb_data has PocketBase's system tables and collections", () => {
  test("the plain system tables exist with PocketBase's columns", () => {
    for (const table of ["_params", "_collections", "_migrations"]) {
      const cols = (db: Database) => (db.query(`PRAGMA table_info(${table})`).all() as { name: string }[]).map((c) => c.name).sort();
      expect([table, cols(ours)]).toEqual([table, cols(theirs)]);
    }
  });

  test("system collections have PocketBase's ids, field ids, names, types, rules and table columns", () => {
    for (const name of SYSTEM) {
      const a = collection(ours, name);
      const b = collection(theirs, name);
      expect([name, a.id, a.type, a.system]).toEqual([name, b.id, b.type, b.system]);
      for (const rule of ["listRule", "viewRule", "createRule", "updateRule", "deleteRule"] as const) expect([name, rule, a[rule]]).toEqual([name, rule, b[rule]]);
      const shape = (r: Row) => (JSON.parse(r.fields) as { id: string; name: string; type: string; hidden: boolean }[]).map((f) => `${f.id}:${f.name}:${f.type}:${f.hidden}`).sort();
      expect([name, shape(a)]).toEqual([name, shape(b)]);
      const cols = (db: Database) => (db.query(`PRAGMA table_info("${name}")`).all() as { name: string }[]).map((c) => c.name).sort();
      expect([name, cols(ours)]).toEqual([name, cols(theirs)]);
    }
  });

  test("the default users collection matches PocketBase's id and rules", () => {
    const u = collection(ours, "users");
    expect(u.id).toBe("_pb_users_auth_");
    expect([u.listRule, u.viewRule, u.createRule, u.updateRule, u.deleteRule]).toEqual(["id = @request.auth.id", "id = @request.auth.id", "", "id = @request.auth.id", "id = @request.auth.id"]);
  });

  test("_migrations records the system migrations PocketBase records", () => {
    const files = (db: Database) => new Set((db.query("SELECT file FROM _migrations").all() as { file: string }[]).map((r) => r.file));
    const mine = files(ours);
    const pb = files(theirs);
    expect([...mine].sort()).toEqual([...SYSTEM_MIGRATIONS].sort());
    for (const f of mine) expect([f, pb.has(f)]).toEqual([f, true]);
  });
});
