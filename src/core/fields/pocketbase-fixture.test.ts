import { describe, expect, test } from "bun:test";
import { Database } from "bun:sqlite";
import { copyFileSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { normalizeFieldConfig } from "./field-defaults.ts";
import { getFieldKind } from "./registry.ts";

const FIXTURE = join(import.meta.dir, "../../../../shared/fixtures/pocketbase-v0.39-pb_data/data.db");

// Reads every record of a PocketBase-written database (legacy column types included) through
// the field kinds and checks the API shapes. NB: the fixture is copied, never opened in place.
describe("PocketBase v0.39 fixture", () => {
  test("every stored value reads back into its JSON shape", () => {
    const dir = mkdtempSync(join(tmpdir(), "satchel-fields-"));
    try {
      copyFileSync(FIXTURE, join(dir, "data.db"));
      const db = new Database(join(dir, "data.db"), { readonly: true });
      const collections = db.query("SELECT name, type, fields FROM _collections").all() as { name: string; type: string; fields: string }[];
      let checked = 0;
      for (const c of collections) {
        if (c.type === "view") continue;
        const fields = (JSON.parse(c.fields) as unknown[]).map(normalizeFieldConfig);
        const rows = db.query(`SELECT * FROM "${c.name}"`).all() as Record<string, unknown>[];
        for (const row of rows) {
          for (const field of fields) {
            const kind = getFieldKind(field.type)!;
            expect(kind).toBeDefined();
            const value = kind.fromDb(field, row[field.name]);
            const json = kind.toJSON(field, value);
            const multiple = kind.isMultiple(field);
            switch (field.type) {
              case "number": expect(typeof json).toBe("number"); break;
              case "bool": expect(typeof json).toBe("boolean"); break;
              case "geoPoint": expect(Object.keys(json as object)).toEqual(["lon", "lat"]); break;
              case "password": expect(json).toBeUndefined(); break;
              case "json": break;
              case "date":
              case "autodate":
                expect(json).toMatch(/^$|^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}\.\d{3}Z$/);
                break;
              default:
                if (multiple) expect(Array.isArray(json)).toBe(true);
                else expect(typeof json).toBe("string");
            }
            // Writing back gives a bindable value that reads the same.
            expect(kind.fromDb(field, kind.toDb(field, value))).toEqual(value);
            checked++;
          }
        }
      }
      db.close();
      expect(checked).toBeGreaterThan(100);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
