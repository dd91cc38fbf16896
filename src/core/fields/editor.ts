import type { FieldConfig } from "../collections/collection-types.ts";
import type { FieldKind } from "./field-kind.ts";
import { fieldError } from "../api-error.ts";
import { stringKindBase } from "./string-kind-base.ts";
import { checkBoolOption, checkIntRange, withCommonErrors, type OptionErrors } from "./common-options.ts";

/** PocketBase parity: an editor field with `maxSize: 0` accepts up to 5 MiB of content. */
export const DEFAULT_EDITOR_MAX_SIZE = 5 << 20;

/** The effective byte limit of an editor field. */
export function editorMaxSize(field: FieldConfig): number {
  const v = field.maxSize;
  return typeof v === "number" && v > 0 ? v : DEFAULT_EDITOR_MAX_SIZE;
}

/** The `editor` field: rich-text HTML stored as a string, limited in bytes. */
export const editorField: FieldKind = {
  ...stringKindBase,
  type: "editor",
  defaults: () => ({ convertURLs: false, maxSize: 0 }),

  validateValue(field, value) {
    if (typeof value !== "string") return fieldError("validation_invalid_value", "Invalid or unsupported value type.");
    if (value === "") return field.required ? fieldError("validation_required", "Cannot be blank.") : null;
    const maxSize = editorMaxSize(field);
    // Each UTF-16 unit is at most 3 UTF-8 bytes, so short strings skip the byte count.
    if (value.length * 3 > maxSize && Buffer.byteLength(value, "utf8") > maxSize) {
      return fieldError("validation_content_size_limit", `The maximum allowed content size is ${maxSize} bytes.`, { maxSize });
    }
    return null;
  },

  validateOptions(field) {
    const errors: OptionErrors = {};
    checkIntRange(errors, "maxSize", field.maxSize ?? 0, 0);
    if (field.convertURLs !== undefined) {
      const err = checkBoolOption(field.convertURLs);
      if (err) errors.convertURLs = err;
    }
    return withCommonErrors(field, errors);
  },
};
