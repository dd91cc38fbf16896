/** Record helpers shared by the records table, the form and the relation picker. */
import type { CollectionModel, RecordModel } from "pocketbase";
import { fieldsOf, findCollection, presentableFields, type FieldModel } from "./collections.svelte.ts";
import { plainText, truncate } from "./format.ts";

/** Field types that a plain search term is matched against (`~`). */
const SEARCHABLE = new Set(["text", "email", "url", "editor", "select"]);

/** True when the input already reads as a filter expression rather than a search term. */
export function looksLikeFilter(input: string): boolean {
  return /[=<>~]|&&|\|\|/.test(input);
}

/**
 * Turns the filter box's content into a filter: filter expressions pass through; a plain term
 * becomes `id ~ "term" || title ~ "term" || …` over the text-like fields.
 */
export function searchToFilter(c: CollectionModel | undefined, input: string): string {
  const q = input.trim();
  if (!q || looksLikeFilter(q)) return q;
  const term = JSON.stringify(q);
  const names = fieldsOf(c)
    .filter((f) => SEARCHABLE.has(f.type) && !f.hidden)
    .map((f) => f.name);
  if (!names.includes("id")) names.unshift("id");
  return names.map((n) => `${n} ~ ${term}`).join(" || ");
}

/** Relation fields whose related records are fetched with `expand` to show them readably. */
export function expandableFields(c: CollectionModel | undefined): FieldModel[] {
  return fieldsOf(c).filter((f) => f.type === "relation" && !f.hidden);
}

/** A short human label for a record: its presentable field values, else its id. */
export function recordLabel(r: RecordModel | undefined, c?: CollectionModel): string {
  if (!r) return "";
  const col = c ?? findCollection(r.collectionId) ?? findCollection(r.collectionName);
  const parts: string[] = [];
  for (const name of presentableFields(col)) {
    const v = r[name];
    if (v === undefined || v === null || v === "") continue;
    parts.push(truncate(Array.isArray(v) ? v.join(", ") : typeof v === "string" ? plainText(v) || v : String(v), 40));
  }
  return parts.join(" · ") || r.id;
}

/** The list of related records a relation field holds, from `expand` (with ids as fallback). */
export function relatedRecords(r: RecordModel, field: string): { id: string; label: string }[] {
  const ids = r[field];
  const list: string[] = Array.isArray(ids) ? ids : ids ? [String(ids)] : [];
  const expanded = r.expand?.[field];
  const byId = new Map<string, RecordModel>();
  for (const e of Array.isArray(expanded) ? expanded : expanded ? [expanded] : []) byId.set((e as RecordModel).id, e as RecordModel);
  return list.map((id) => ({ id, label: byId.has(id) ? recordLabel(byId.get(id)) : id }));
}

/** The values of a file field as a list. */
export function fileList(value: unknown): string[] {
  return Array.isArray(value) ? value.map(String) : value ? [String(value)] : [];
}
