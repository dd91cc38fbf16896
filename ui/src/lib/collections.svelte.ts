/** The collections the superuser sees (loaded once, refreshed after every schema change). */
import type { CollectionModel } from "pocketbase";
import { pb } from "./pb.ts";

/** A field as the collections API returns it (type-specific options live beside the common keys). */
export interface FieldModel {
  id: string;
  name: string;
  type: string;
  system: boolean;
  hidden: boolean;
  presentable: boolean;
  required?: boolean;
  help?: string;
  [option: string]: unknown;
}

/** The loaded collections, sorted: user collections by name, then system ones. */
export const store = $state({ collections: [] as CollectionModel[], loading: false, loaded: false, error: "" });

/** Loads (or reloads) every collection. */
export async function loadCollections(): Promise<void> {
  store.loading = true;
  try {
    const list = await pb.collections.getFullList({ batch: 500 });
    list.sort((a, b) => Number(a.system) - Number(b.system) || a.name.localeCompare(b.name));
    store.collections = list;
    store.error = "";
    store.loaded = true;
  } catch (err) {
    store.error = err instanceof Error ? err.message : String(err);
  } finally {
    store.loading = false;
  }
}

/** A loaded collection by name or id. */
export function findCollection(nameOrId: string | undefined): CollectionModel | undefined {
  if (!nameOrId) return undefined;
  return store.collections.find((c) => c.name === nameOrId || c.id === nameOrId);
}

/** The fields of a collection typed as FieldModel. */
export function fieldsOf(c: CollectionModel | undefined): FieldModel[] {
  return ((c?.fields ?? []) as unknown) as FieldModel[];
}

/** The field names shown for a related record: presentable fields, else a sensible fallback. */
export function presentableFields(c: CollectionModel | undefined): string[] {
  const fields = fieldsOf(c);
  const p = fields.filter((f) => f.presentable).map((f) => f.name);
  if (p.length) return p;
  for (const name of ["name", "title", "email", "username", "label", "slug"]) {
    if (fields.some((f) => f.name === name && !f.hidden)) return [name];
  }
  return [];
}
