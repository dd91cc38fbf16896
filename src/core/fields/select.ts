import type { FieldConfig } from "../collections/collection-types.ts";
import type { FieldKind, FieldModifier } from "./field-kind.ts";
import { fieldError } from "../api-error.ts";
import { castToString } from "./text.ts";
import { checkIntRange, withCommonErrors, type OptionErrors } from "./common-options.ts";

/**
 * PocketBase parity (`list.ToUniqueStringSlice`): null → [], a string containing `[` that parses
 * as a JSON array of strings → that array, any other non-empty string → [it], an array → its
 * items cast to strings. Empty strings and duplicates are removed (first occurrence kept).
 *
 * With `lenient` (reading stored values), JSON arrays with non-string items are accepted too.
 */
export function toUniqueStringList(value: unknown, lenient = false): string[] {
  let items: unknown[] = [];
  if (typeof value === "string") {
    // NB: hot path (every select/relation value read and exported): a plain id needs no parsing
    if (value === "") return [];
    if (!value.includes("[")) return [value];
    items = parseStringArray(value, lenient) ?? [value];
    // a freshly parsed array may be returned as it is
    if (isUniqueNonEmptyStrings(items)) return items as string[];
  } else if (Array.isArray(value)) {
    items = value;
    if (isUniqueNonEmptyStrings(items)) return items.slice() as string[];
  } else if (value instanceof Uint8Array) {
    return toUniqueStringList(new TextDecoder().decode(value), lenient);
  } else if (value !== null && value !== undefined && typeof value !== "object") {
    items = [value];
  }
  const seen = new Set<string>();
  for (const item of items) {
    const s = castToString(item);
    if (s !== "") seen.add(s);
  }
  return [...seen];
}

/** True for a short list of distinct non-empty strings (what stored lists normally are). */
function isUniqueNonEmptyStrings(items: unknown[]): boolean {
  const n = items.length;
  if (n > 16) return false;
  for (let i = 0; i < n; i++) {
    const v = items[i];
    if (typeof v !== "string" || v === "") return false;
    for (let j = 0; j < i; j++) if (items[j] === v) return false;
  }
  return true;
}

function parseStringArray(text: string, lenient: boolean): unknown[] | null {
  try {
    const parsed: unknown = JSON.parse(text);
    if (!Array.isArray(parsed)) return null;
    if (!lenient && !parsed.every((v) => typeof v === "string" || v === null)) return null;
    return parsed;
  } catch {
    return null;
  }
}

/** True when a select/relation/file field stores several values (`maxSelect` ≥ 2). */
export function isMultiValue(field: FieldConfig): boolean {
  return typeof field.maxSelect === "number" && field.maxSelect > 1;
}

/** Shapes a list for the field: the array itself when multiple, else its last item (or ""). */
export function shapeList(field: FieldConfig, list: string[]): string | string[] {
  if (isMultiValue(field)) return list;
  return list.length > 0 ? list[list.length - 1]! : "";
}

/** The in-memory value of a select/relation/file field from any input. */
export function normalizeList(field: FieldConfig, value: unknown, lenient = false): string | string[] {
  return shapeList(field, toUniqueStringList(value, lenient));
}

/** Applies `field+` (append), `+field` (prepend) and `field-` (remove) to a list field. */
export function applyListModifier(field: FieldConfig, current: unknown, modifier: FieldModifier, value: unknown): unknown {
  const cur = toUniqueStringList(current);
  const given = toUniqueStringList(value);
  switch (modifier) {
    case "append": return shapeList(field, toUniqueStringList([...cur, ...given]));
    case "prepend": return shapeList(field, toUniqueStringList([...given, ...cur]));
    case "remove": return shapeList(field, cur.filter((v) => !given.includes(v)));
    default: return current;
  }
}

/** The column definition of a select/relation/file field. */
export function listColumnType(field: FieldConfig): string {
  return isMultiValue(field) ? "JSON DEFAULT '[]' NOT NULL" : "TEXT DEFAULT '' NOT NULL";
}

/** What a select/relation/file value is bound as: a JSON array (multiple) or a string. */
export function listToDb(field: FieldConfig, value: unknown): string {
  const v = normalizeList(field, value);
  return Array.isArray(v) ? JSON.stringify(v) : v;
}

/** The `select` field: one or several values from the `values` option. */
export const selectField: FieldKind = {
  type: "select",
  defaults: () => ({ maxSelect: 0, values: [] }),
  columnType: listColumnType,
  isMultiple: isMultiValue,
  zero: (field) => (isMultiValue(field) ? [] : ""),
  normalize: (field, value) => normalizeList(field, value),
  fromDb: (field, raw) => normalizeList(field, raw, true),
  toDb: listToDb,
  toJSON: (field, value) => normalizeList(field, value),

  validateValue(field, value) {
    const list = toUniqueStringList(value);
    if (list.length === 0) return field.required ? fieldError("validation_required", "Cannot be blank.") : null;
    const maxSelect = Math.max(typeof field.maxSelect === "number" ? field.maxSelect : 0, 1);
    if (list.length > maxSelect) {
      return fieldError("validation_too_many_values", `Select no more than ${maxSelect}.`, { maxSelect });
    }
    const allowed = Array.isArray(field.values) ? field.values : [];
    for (const v of list) {
      if (!allowed.includes(v)) return fieldError("validation_invalid_value", `Invalid value ${v}.`, { value: v });
    }
    return null;
  },

  validateOptions(field) {
    const errors: OptionErrors = {};
    const values = field.values;
    if (!Array.isArray(values) || values.length === 0) {
      errors.values = fieldError("validation_required", "Cannot be blank.");
    } else {
      const bad = values.findIndex((v) => typeof v !== "string" || v === "");
      if (bad >= 0) errors.values = fieldError("validation_required", `Item ${bad}: cannot be blank.`, { index: bad });
    }
    const count = Array.isArray(values) && values.length > 0 ? values.length : 1;
    checkIntRange(errors, "maxSelect", field.maxSelect ?? 0, 0, count);
    return withCommonErrors(field, errors);
  },

  applyModifier: applyListModifier,
};
