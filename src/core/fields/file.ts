import type { FieldConfig } from "../collections/collection-types.ts";
import type { FieldKind } from "./field-kind.ts";
import { fieldError } from "../api-error.ts";
import { checkBoolOption, checkIntRange, withCommonErrors, type OptionErrors } from "./common-options.ts";
import { applyListModifier, isMultiValue, listColumnType, listToDb, normalizeList, toUniqueStringList } from "./select.ts";

/** PocketBase parity: a file field with `maxSize: 0` accepts files up to 5 MiB each. */
export const DEFAULT_FILE_MAX_SIZE = 5 << 20;

/** Thumb sizes: `WxH` plus an optional crop mode `t` (top), `b` (bottom) or `f` (fit). */
const THUMB_RE = /^(\d+)x(\d+)([tbf])?$/;

/** The effective per-file byte limit of a file field. */
export function fileMaxSize(field: FieldConfig): number {
  const v = field.maxSize;
  return typeof v === "number" && v > 0 ? v : DEFAULT_FILE_MAX_SIZE;
}

/** True when `size` is a valid thumb size for a file field (`100x100`, `0x50`, `70x50t`; never `0x0`). */
export function isValidThumbSize(size: string): boolean {
  const m = THUMB_RE.exec(size);
  return m !== null && !(Number(m[1]) === 0 && Number(m[2]) === 0);
}

function checkStringList(errors: OptionErrors, key: string, value: unknown, itemOk: (s: string) => boolean, message: string): void {
  if (value === null || value === undefined) return;
  if (!Array.isArray(value)) {
    errors[key] = fieldError("validation_invalid_value", "Must be a list or null.");
    return;
  }
  const bad = value.findIndex((v) => typeof v !== "string" || !itemOk(v));
  if (bad >= 0) errors[key] = fieldError("validation_invalid_value", `Item ${bad}: ${message}`, { index: bad });
}

/**
 * The `file` field. Stored values are file names (one string, or an array when `maxSelect` ≥ 2).
 * NB: uploads, size/MIME checks and the "only previously stored names" rule belong to the files
 * module; this kind checks `required` and the count.
 */
export const fileField: FieldKind = {
  type: "file",
  defaults: () => ({ maxSelect: 0, maxSize: 0, mimeTypes: null, protected: false, thumbs: null }),
  columnType: listColumnType,
  isMultiple: isMultiValue,
  zero: (field) => (isMultiValue(field) ? [] : ""),
  normalize: (field, value) => normalizeList(field, value),
  fromDb: (field, raw) => normalizeList(field, raw, true),
  toDb: listToDb,
  toJSON: (field, value) => normalizeList(field, value),

  validateValue(field, value) {
    const names = toUniqueStringList(value);
    if (names.length === 0) return field.required ? fieldError("validation_required", "Cannot be blank.") : null;
    const maxSelect = Math.max(typeof field.maxSelect === "number" ? field.maxSelect : 0, 1);
    if (names.length > maxSelect) {
      return fieldError("validation_too_many_files", `The maximum allowed files is ${maxSelect}.`, { maxSelect });
    }
    return null;
  },

  validateOptions(field) {
    const errors: OptionErrors = {};
    checkIntRange(errors, "maxSelect", field.maxSelect ?? 0, 0);
    checkIntRange(errors, "maxSize", field.maxSize ?? 0, 0);
    checkStringList(errors, "mimeTypes", field.mimeTypes, (s) => s.trim() !== "", "must be a non-empty MIME type.");
    checkStringList(errors, "thumbs", field.thumbs, isValidThumbSize, "must be a thumb size like 100x100, 100x100t, 0x100 or 100x0 (not 0x0).");
    if (field.protected !== undefined) {
      const err = checkBoolOption(field.protected);
      if (err) errors.protected = err;
    }
    return withCommonErrors(field, errors);
  },

  applyModifier: applyListModifier,
};
