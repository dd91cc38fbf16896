import type { App } from "../app.ts";
import { Collection } from "./collection.ts";
import { convertLegacyCollection } from "./legacy-format.ts";
import type { FieldConfig } from "./collection-types.ts";
import { ValidationError, fieldError } from "../api-error.ts";

/**
 * Imports collections (PocketBase's `PUT /api/collections/import`), all or nothing in one
 * transaction. Each item is matched by id, then by name. Without `deleteMissing`, fields of an
 * existing collection that the import does not mention are kept; with it, unlisted non-system
 * collections and fields are deleted.
 *
 * Two passes: first every collection's table is created or altered without validation (so
 * relations between imported collections can point at each other), then each is saved again
 * with full validation.
 */
export function importCollections(app: App, items: { [k: string]: unknown }[], deleteMissing: boolean): void {
  app.runInTransaction((tx) => {
    const imported: Collection[] = [];
    items.forEach((raw, i) => {
      if (!raw || typeof raw !== "object") throw new ValidationError({ [String(i)]: fieldError("validation_invalid_value", "Invalid collection data.") });
      const data = convertLegacyCollection(raw);
      const existing =
        (typeof data.id === "string" && data.id ? tx.findCachedCollectionByNameOrId(data.id) : null) ??
        (typeof data.name === "string" ? tx.findCachedCollectionByNameOrId(data.name) : null);
      let c: Collection;
      if (existing) {
        c = existing.clone();
        const keep = deleteMissing ? [] : c.fields.filter((f) => !hasField(data.fields, f));
        c.load({ ...data, id: existing.id });
        if (!existing.isView()) c.fields = [...c.fields, ...keep.filter((f) => !c.fields.some((x) => x.name === f.name))];
      } else {
        c = new Collection({ ...data, type: data.type as "base" });
        if (typeof data.id !== "string") c.id = "";
      }
      tx.saveNoValidate(c);
      imported.push(c);
    });
    for (const c of imported) {
      const fresh = tx.findCollectionByNameOrId(c.id).clone();
      tx.save(fresh);
    }
    if (deleteMissing) {
      const keepIds = new Set(imported.map((c) => c.id));
      let pending = tx.findAllCollections().filter((c) => !c.system && !keepIds.has(c.id));
      // delete referencing collections first: retry until nothing more can be removed
      for (let round = 0; pending.length > 0 && round < 100; round++) {
        const next: Collection[] = [];
        for (const c of pending) {
          try {
            tx.delete(tx.findCollectionByNameOrId(c.id));
          } catch {
            next.push(c);
          }
        }
        if (next.length === pending.length) tx.delete(tx.findCollectionByNameOrId(next[0]!.id));
        pending = next;
      }
    }
  });
}

function hasField(list: unknown, f: FieldConfig): boolean {
  if (!Array.isArray(list)) return false;
  return list.some((x: { id?: unknown; name?: unknown }) => (x && x.id && x.id === f.id) || (x && x.name === f.name));
}
