import type { FieldKind } from "./field-kind.ts";
import { fieldError } from "../api-error.ts";
import { withCommonErrors } from "./common-options.ts";

const TRUE_STRINGS = new Set(["1", "t", "T", "TRUE", "true", "True"]);

/**
 * PocketBase parity (Go `cast.ToBool`): booleans as-is, non-zero numbers true, strings true only
 * for `1`, `t`, `T`, `TRUE`, `true`, `True` (anything else, including garbage, is false), and
 * null/objects false.
 */
export function castToBool(value: unknown): boolean {
  switch (typeof value) {
    case "boolean": return value;
    case "number": return value !== 0 && !Number.isNaN(value);
    case "bigint": return value !== 0n;
    case "string": return TRUE_STRINGS.has(value);
    default: return false;
  }
}

/** The `bool` field. NB: `required` means the value must be `true`. */
export const boolField: FieldKind = {
  type: "bool",
  defaults: () => ({}),
  columnType: () => "BOOLEAN DEFAULT FALSE NOT NULL",
  isMultiple: () => false,
  zero: () => false,
  normalize: (_field, value) => castToBool(value),
  fromDb: (_field, raw) => castToBool(raw),
  toDb: (_field, value) => (castToBool(value) ? 1 : 0),
  toJSON: (_field, value) => castToBool(value),

  validateValue(field, value) {
    if (typeof value !== "boolean") return fieldError("validation_invalid_value", "Invalid or unsupported value type.");
    if (field.required && !value) return fieldError("validation_required", "Cannot be blank.");
    return null;
  },

  validateOptions: (field) => withCommonErrors(field, {}),
};
