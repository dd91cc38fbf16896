import type { FieldConfig } from "../collections/collection-types.ts";
import type { FieldKind } from "./field-kind.ts";
import { fieldError } from "../api-error.ts";
import { formatDate, normalizeDateString, parseDate } from "../../tools/dates.ts";
import { withCommonErrors, type OptionErrors } from "./common-options.ts";

function boundOf(field: FieldConfig, key: "min" | "max"): Date | null {
  return parseDate(field[key]);
}

/**
 * The `date` field. The value is a date string in PocketBase's format or `""`.
 * PocketBase parity: unparseable input silently becomes `""` (no error unless required).
 */
export const dateField: FieldKind = {
  type: "date",
  defaults: () => ({ max: "", min: "" }),
  columnType: () => "TEXT DEFAULT '' NOT NULL",
  isMultiple: () => false,
  zero: () => "",
  normalize: (_field, value) => normalizeDateString(value),
  fromDb: (_field, raw) => normalizeDateString(raw),
  toDb: (_field, value) => normalizeDateString(value),
  toJSON: (_field, value) => normalizeDateString(value),

  validateValue(field, value) {
    if (typeof value !== "string") return fieldError("validation_invalid_value", "Invalid or unsupported value type.");
    const date = parseDate(value);
    if (!date) return field.required ? fieldError("validation_required", "Cannot be blank.") : null;
    const min = boundOf(field, "min");
    if (min && date.getTime() < min.getTime()) {
      const m = formatDate(min);
      return fieldError("validation_min_date_constraint", `Must be no less than ${m}.`, { min: m });
    }
    const max = boundOf(field, "max");
    if (max && date.getTime() > max.getTime()) {
      const m = formatDate(max);
      return fieldError("validation_max_date_constraint", `Must be no greater than ${m}.`, { max: m });
    }
    return null;
  },

  validateOptions(field) {
    const errors: OptionErrors = {};
    for (const key of ["min", "max"] as const) {
      const v = field[key];
      if (v === undefined || v === null || v === "") continue;
      if (!parseDate(v)) errors[key] = fieldError("validation_invalid_date", "Must be a valid date.");
    }
    const min = boundOf(field, "min");
    const max = boundOf(field, "max");
    if (!errors.max && min && max && max.getTime() < min.getTime()) {
      const m = formatDate(min);
      errors.max = fieldError("validation_min_greater_equal_than_required", `Must be no less than ${m}.`, { threshold: m });
    }
    return withCommonErrors(field, errors);
  },
};
