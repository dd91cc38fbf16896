import type { FieldKind } from "./field-kind.ts";
import { fieldError } from "../api-error.ts";
import { checkBoolOption, checkIntRange, withCommonErrors, type OptionErrors } from "./common-options.ts";
import { isMultiValue, listColumnType, listToDb, normalizeList } from "./select.ts";
import { applyFileModifier, fileItems, fileNames, shapeFileValue, validateFileValue } from "../files/file-value.ts";

export { DEFAULT_FILE_MAX_SIZE, fileMaxSize } from "../files/file-value.ts";

/** Thumb sizes: `WxH` plus an optional crop mode `t` (top), `b` (bottom) or `f` (fit). */
const THUMB_RE = /^(\d+)x(\d+)([tbf])?$/;

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
 * In memory a value may also hold pending new files (`UploadFile`, PocketBase's
 * `filesystem.File`) until the record is saved: they are written out as their generated names,
 * and validated for size, MIME type (sniffed from content) and count. Names that were not stored
 * before are refused (`validation_invalid_file`). Uploading and deleting the bytes is the
 * record-files pipeline's job (`core/files/record-files.ts`).
 */
export const fileField: FieldKind = {
  type: "file",
  defaults: () => ({ maxSelect: 0, maxSize: 0, mimeTypes: null, protected: false, thumbs: null }),
  columnType: listColumnType,
  isMultiple: isMultiValue,
  zero: (field) => (isMultiValue(field) ? [] : ""),
  normalize: (field, value) => shapeFileValue(field, fileItems(value)),
  fromDb: (field, raw) => normalizeList(field, raw, true),
  toDb: (field, value) => listToDb(field, fileNames(value)),
  toJSON: (field, value) => normalizeList(field, fileNames(value)),

  validateValue(field, value, ctx) {
    return validateFileValue(field, value, ctx.original);
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

  applyModifier: applyFileModifier,
};
