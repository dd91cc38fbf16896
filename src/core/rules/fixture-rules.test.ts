/**
 * The rules of PocketBase's own v0.39 fixture database, compiled against its real `_collections`
 * and run against its real tables (on a temporary copy of the fixture).
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { Database } from "bun:sqlite";
import { cpSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { CollectionConfig, CollectionType, FieldConfig } from "../collections/collection-types.ts";
import { compileFilter } from "./compile-filter.ts";
import { buildListQuery } from "./list-query.ts";
import type { RequestInfo } from "./request-info.ts";
import { compileCreateRuleCheck, compileRuleCheck } from "./rule-check.ts";
import { createSchemaLookup, type SchemaLookup } from "./schema.ts";

const FIXTURE = join(import.meta.dir, "../../../../shared/fixtures/pocketbase-v0.39-pb_data");

let dir = "";
let db: Database;
let collections: CollectionConfig[] = [];
let schema: SchemaLookup;

interface CollectionRow {
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

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "satchel-rules-"));
  cpSync(FIXTURE, join(dir, "pb_data"), { recursive: true });
  db = new Database(join(dir, "pb_data", "data.db"));
  const rows = db.query(`SELECT id, name, type, system, fields, indexes, listRule, viewRule, createRule, updateRule, deleteRule FROM _collections`).all() as CollectionRow[];
  collections = rows.map((r) => ({
    id: r.id,
    name: r.name,
    type: r.type as CollectionType,
    system: Boolean(r.system),
    fields: JSON.parse(r.fields) as FieldConfig[],
    indexes: JSON.parse(r.indexes || "[]") as string[],
    listRule: r.listRule,
    viewRule: r.viewRule,
    createRule: r.createRule,
    updateRule: r.updateRule,
    deleteRule: r.deleteRule,
    created: "",
    updated: "",
  }));
  schema = createSchemaLookup(collections);
});

afterAll(() => {
  db?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

function coll(name: string): CollectionConfig {
  const c = schema.findCollection(name);
  if (!c) throw new Error(`missing ${name}`);
  return c;
}

function requestAs(collectionName: string | null): RequestInfo {
  let auth: RequestInfo["auth"] = null;
  if (collectionName) {
    const c = coll(collectionName);
    const record = db.query(`SELECT * FROM "${c.name}" LIMIT 1`).get() as Record<string, unknown>;
    auth = { collection: c, record };
  }
  return { auth, body: {}, query: {}, headers: {}, method: "GET", context: "default" };
}

function matching(collectionName: string, rule: string, request: RequestInfo | null): string[] {
  const q = buildListQuery({ schema, collection: coll(collectionName), rules: [rule], request, perPage: 1000, skipTotal: true });
  return (db.query(q.selectSql).all(...q.selectParams) as { id: string }[]).map((r) => r.id).sort();
}

function allIds(table: string): string[] {
  return (db.query(`SELECT id FROM "${table}"`).all() as { id: string }[]).map((r) => r.id).sort();
}

function jsonList(v: unknown): string[] {
  if (typeof v !== "string" || v === "") return [];
  try {
    const parsed: unknown = JSON.parse(v);
    return Array.isArray(parsed) ? parsed.map(String) : [String(parsed)];
  } catch {
    return [v];
  }
}

describe("PocketBase fixture rules", () => {
  test("demo3: a rule with // comments", () => {
    const rule = coll("demo3").listRule!;
    expect(rule).toContain("//");
    expect(matching("demo3", rule, requestAs(null))).toEqual([]);
    expect(matching("demo3", rule, requestAs("users"))).toEqual([]);
    expect(matching("demo3", rule, requestAs("clients"))).toEqual(allIds("demo3"));
  });

  test("demo5: select_many:length = 3", () => {
    const rule = coll("demo5").listRule!;
    expect(rule).toBe("select_many:length = 3");
    const rows = db.query(`SELECT id, select_many FROM demo5`).all() as { id: string; select_many: string }[];
    const expected = rows.filter((r) => jsonList(r.select_many).length === 3).map((r) => r.id).sort();
    expect(expected.length).toBeGreaterThan(0);
    expect(matching("demo5", rule, null)).toEqual(expected);
  });

  test("demo5: rel_many.self_rel_many.rel_many_cascade.files:length = 1 (match all vs any)", () => {
    const rule = coll("demo5").viewRule!;
    expect(rule).toBe("rel_many.self_rel_many.rel_many_cascade.files:length = 1");
    type Row = Record<string, unknown> | null;
    /** The leaf values per demo5 row, with LEFT JOIN semantics (no ids or a missing record = one NULL row). */
    const leafValues = (): Map<string, number[]> => {
      const byId = (table: string) => new Map((db.query(`SELECT * FROM "${table}"`).all() as Record<string, unknown>[]).map((r) => [r.id as string, r]));
      const demo4 = byId("demo4");
      const demo3 = byId("demo3");
      const step = (rows: Row[], field: string, table: Map<string, Record<string, unknown>>): Row[] =>
        rows.flatMap((r) => {
          const ids = r ? jsonList(r[field]) : [];
          return ids.length === 0 ? [null] : ids.map((id) => table.get(id) ?? null);
        });
      const out = new Map<string, number[]>();
      for (const r of db.query(`SELECT * FROM demo5`).all() as Record<string, unknown>[]) {
        const leaves = step(step(step([r], "rel_many", demo4), "self_rel_many", demo4), "rel_many_cascade", demo3);
        out.set(r.id as string, leaves.map((l) => (l ? jsonList(l.files).length : 0)));
      }
      return out;
    };
    const check = (): string[] => {
      const values = leafValues();
      const all = [...values].filter(([, v]) => v.every((x) => x === 1)).map(([id]) => id).sort();
      const any = [...values].filter(([, v]) => v.includes(1)).map(([id]) => id).sort();
      expect(matching("demo5", rule, null)).toEqual(all);
      expect(matching("demo5", rule.replace(" = ", " ?= "), null)).toEqual(any);
      for (const id of values.keys()) {
        const q = compileRuleCheck({ schema, collection: coll("demo5"), rule, recordId: id });
        expect(db.query(q.sql).get(...q.params) !== null).toBe(all.includes(id));
      }
      expect(any.length).toBeGreaterThan(0);
      return all;
    };
    // as stored: one chain ends in an empty relation (length 0), so "all" fails
    expect(check()).toEqual([]);
    // on the copy, complete the chains so that every leaf has exactly one file
    db.run(`UPDATE demo4 SET self_rel_many = '["qzaqccwrmva4o1n"]', rel_many_cascade = '["mk5fmymtx4wsprk"]' WHERE id = 'i9naidtvr6qsgb4'`);
    expect(check()).toEqual(["qjeql998mtp1azp"]);
  });

  test("view1: @request.auth.id != '' && bool = true", () => {
    const rule = coll("view1").listRule!;
    const trueRows = (db.query(`SELECT id FROM view1 WHERE bool = 1`).all() as { id: string }[]).map((r) => r.id).sort();
    expect(trueRows.length).toBeGreaterThan(0);
    expect(matching("view1", rule, requestAs(null))).toEqual([]);
    expect(matching("view1", rule, requestAs("users"))).toEqual(trueRows);
    const q = buildListQuery({ schema, collection: coll("view1"), rules: [rule], filter: "select_many:each ?!= ''", request: requestAs("users") });
    expect(q.countSql).toContain(`COUNT(DISTINCT "view1"."id")`);
    expect(() => db.query(q.countSql!).get(...q.countParams)).not.toThrow();
  });

  test("demo4 back-relations: single via a unique index, many otherwise", () => {
    const single = compileFilter(`demo4_via_rel_one_unique.title != ''`, { schema, collection: coll("demo3"), allowHiddenFields: true, client: false });
    expect(single.distinct).toBe(false);
    const many = compileFilter(`demo4_via_rel_one_cascade.title != ''`, { schema, collection: coll("demo3"), allowHiddenFields: true, client: false });
    expect(many.distinct).toBe(true);
    const manyRel = compileFilter(`demo4_via_rel_many_unique.title ?!= ''`, { schema, collection: coll("demo3"), allowHiddenFields: true, client: false });
    expect(manyRel.distinct).toBe(true);
    for (const f of [single, many, manyRel]) {
      expect(() => db.query(`SELECT demo3.id FROM demo3 ${f.joins.join(" ")} WHERE ${f.where}`).all(...f.params)).not.toThrow();
    }
  });

  test("every rule of every fixture collection compiles and runs", () => {
    const auth = requestAs("users");
    auth.body = { total: 3 };
    for (const c of collections) {
      for (const key of ["listRule", "viewRule", "createRule", "updateRule", "deleteRule"] as const) {
        const rule = c[key];
        if (rule === null) continue;
        const list = buildListQuery({ schema, collection: c, rules: [rule], request: auth });
        expect(() => db.query(list.selectSql).all(...list.selectParams)).not.toThrow();
        expect(() => db.query(list.countSql!).get(...list.countParams)).not.toThrow();
        if (c.type !== "view") {
          const create = compileCreateRuleCheck({ schema, collection: c, rule, values: {}, request: auth });
          expect(() => db.query(create.sql).get(...create.params)).not.toThrow();
        }
      }
    }
  });
});
