/**
 * The 14 field types: label, icon and the options a new field starts with (PocketBase's
 * defaults), in the order the "New field" picker lists them.
 */

/** One field type's metadata. */
export interface FieldTypeInfo {
  type: string;
  label: string;
  icon: string;
  defaults: Record<string, unknown>;
}

/** Every field type the dashboard can add. */
export const FIELD_TYPES: FieldTypeInfo[] = [
  { type: "text", label: "Plain text", icon: "text", defaults: { min: 0, max: 0, pattern: "", autogeneratePattern: "", primaryKey: false } },
  { type: "editor", label: "Rich editor", icon: "editor", defaults: { maxSize: 0, convertURLs: false } },
  { type: "number", label: "Number", icon: "hash", defaults: { min: null, max: null, onlyInt: false } },
  { type: "bool", label: "Bool", icon: "toggle", defaults: {} },
  { type: "email", label: "Email", icon: "mail", defaults: { exceptDomains: null, onlyDomains: null } },
  { type: "url", label: "URL", icon: "link", defaults: { exceptDomains: null, onlyDomains: null } },
  { type: "date", label: "Datetime", icon: "calendar", defaults: { min: "", max: "" } },
  { type: "autodate", label: "Autodate", icon: "clock", defaults: { onCreate: true, onUpdate: false } },
  { type: "select", label: "Select", icon: "list", defaults: { values: [], maxSelect: 1 } },
  { type: "file", label: "File", icon: "image", defaults: { maxSelect: 1, maxSize: 0, mimeTypes: [], thumbs: [], protected: false } },
  { type: "relation", label: "Relation", icon: "relation", defaults: { collectionId: "", cascadeDelete: false, minSelect: 0, maxSelect: 1 } },
  { type: "json", label: "JSON", icon: "braces", defaults: { maxSize: 0 } },
  { type: "geoPoint", label: "Geo point", icon: "pin", defaults: {} },
  { type: "password", label: "Password", icon: "key", defaults: { min: 0, max: 0, pattern: "", cost: 0 } },
];

/** Metadata of a type (a neutral fallback for unknown ones). */
export function typeInfo(type: string): FieldTypeInfo {
  return FIELD_TYPES.find((t) => t.type === type) ?? { type, label: type, icon: "text", defaults: {} };
}

/** True for fields that hold several values (select/file/relation with maxSelect > 1). */
export function isMulti(field: { type: string; maxSelect?: unknown }): boolean {
  return ["select", "file", "relation"].includes(field.type) && Number(field.maxSelect ?? 0) > 1;
}
