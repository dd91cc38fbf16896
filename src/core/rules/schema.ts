/**
 * What the compiler needs to know about the schema: a collection lookup, plus small helpers
 * over field definitions (multiple-ness, relation targets) and the collection's index strings.
 */
import type { CollectionConfig, FieldConfig } from "../collections/collection-types.ts";

/** Finds collections by name or id; implemented by the app's collection cache. */
export interface SchemaLookup {
  /** The collection with this name or id (names case-insensitively), or null. */
  findCollection(nameOrId: string): CollectionConfig | null;
}

/** A `SchemaLookup` over a fixed list of collections (tests, migrations, one-off tools). */
export function createSchemaLookup(collections: readonly CollectionConfig[]): SchemaLookup {
  const byKey = new Map<string, CollectionConfig>();
  for (const c of collections) {
    byKey.set(c.id, c);
    byKey.set(c.name.toLowerCase(), c);
  }
  return {
    findCollection: (nameOrId) => byKey.get(nameOrId) ?? byKey.get(nameOrId.toLowerCase()) ?? null,
  };
}

/** The field named exactly `name`, or null. */
export function findField(collection: CollectionConfig, name: string): FieldConfig | null {
  for (const f of collection.fields) if (f.name === name) return f;
  return null;
}

/** True for select/relation/file fields with `maxSelect` ≥ 2 (stored as a JSON array). */
export function isMultipleField(field: FieldConfig): boolean {
  if (field.type !== "select" && field.type !== "relation" && field.type !== "file") return false;
  const max = field.maxSelect;
  return typeof max === "number" && max >= 2;
}

/** True for the field types whose values are JSON documents that paths can reach into. */
export function isJsonField(field: FieldConfig): boolean {
  return field.type === "json" || field.type === "geoPoint";
}

/** The target collection id of a relation field ("" when unset or not a relation). */
export function relationTarget(field: FieldConfig): string {
  return field.type === "relation" && typeof field.collectionId === "string" ? field.collectionId : "";
}

/** One parsed `CREATE [UNIQUE] INDEX` definition. */
export interface ParsedIndex {
  unique: boolean;
  name: string;
  table: string;
  /** Column names (unquoted), or the raw expression text for expression columns. */
  columns: string[];
  where: string;
}

const INDEX_RE =
  /^\s*create\s+(unique\s+)?index\s+(?:if\s+not\s+exists\s+)?(?:[`"[]?\w+[`"\]]?\.)?([`"[]?[^\s(]+?[`"\]]?)\s+on\s+([`"[]?[^\s(]+?[`"\]]?)\s*\(([\s\S]*)\)\s*(?:where\s+([\s\S]*))?$/i;

function unquote(s: string): string {
  const t = s.trim();
  if (t.length >= 2 && ((t[0] === "`" && t.endsWith("`")) || (t[0] === '"' && t.endsWith('"')) || (t[0] === "[" && t.endsWith("]")))) {
    return t.slice(1, -1);
  }
  return t;
}

/** Parses an index definition as PocketBase stores it in `collection.indexes`; null if it is not one. */
export function parseIndex(sql: string): ParsedIndex | null {
  const m = INDEX_RE.exec(sql);
  if (!m) return null;
  const columns: string[] = [];
  let depth = 0;
  let cur = "";
  for (const ch of m[4]!) {
    if (ch === "(") depth++;
    if (ch === ")") depth--;
    if (ch === "," && depth === 0) {
      columns.push(cur);
      cur = "";
    } else cur += ch;
  }
  columns.push(cur);
  return {
    unique: Boolean(m[1]),
    name: unquote(m[2]!),
    table: unquote(m[3]!),
    columns: columns
      .map((c) => c.trim().replace(/\s+(asc|desc)$/i, "").replace(/\s+collate\s+\w+$/i, ""))
      .map(unquote),
    where: (m[5] ?? "").trim(),
  };
}

/**
 * True when `collection` has a UNIQUE index on exactly the one column `fieldName` (a partial
 * `WHERE` does not matter). Such a relation field makes its back-relation single-valued.
 */
export function hasSingleColumnUniqueIndex(collection: CollectionConfig, fieldName: string): boolean {
  for (const sql of collection.indexes ?? []) {
    const idx = parseIndex(sql);
    if (idx && idx.unique && idx.columns.length === 1 && idx.columns[0]!.toLowerCase() === fieldName.toLowerCase()) return true;
  }
  return false;
}
