import type { FieldConfig } from "../collections/collection-types.ts";
import type { FieldError, FieldKind } from "./field-kind.ts";
import { fieldError } from "../api-error.ts";
import { formatPlainNumber } from "./text.ts";
import { withCommonErrors, type OptionErrors } from "./common-options.ts";

const DECIMAL_RE = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;
const INF_RE = /^([+-]?)(?:inf|infinity)$/i;
const NAN_RE = /^[+-]?nan$/i;

/**
 * PocketBase parity (Go `cast.ToFloat64`): numbers as-is, booleans 1/0, strings parsed like
 * `strconv.ParseFloat` (including `Inf`/`NaN`, which validation then rejects), and anything
 * unparseable, including `""` and null, as 0.
 */
export function castToNumber(value: unknown): number {
  switch (typeof value) {
    case "number": return value;
    case "bigint": return Number(value);
    case "boolean": return value ? 1 : 0;
    case "string": {
      if (DECIMAL_RE.test(value)) {
        // Go reports out-of-range literals (`1e400`) as an error, which cast turns into 0.
        const n = Number(value);
        return Number.isFinite(n) ? n : 0;
      }
      const inf = INF_RE.exec(value);
      if (inf) return inf[1] === "-" ? -Infinity : Infinity;
      if (NAN_RE.test(value)) return NaN;
      return 0;
    }
    default: return 0;
  }
}

function nullableNumber(field: FieldConfig, key: string): number | null {
  const v = field[key];
  return typeof v === "number" ? v : null;
}

/** The `number` field: a float64, with optional min/max and integer-only checks. */
export const numberField: FieldKind = {
  type: "number",
  defaults: () => ({ max: null, min: null, onlyInt: false }),
  columnType: () => "NUMERIC DEFAULT 0 NOT NULL",
  isMultiple: () => false,
  zero: () => 0,
  normalize: (_field, value) => castToNumber(value),
  fromDb: (_field, raw) => {
    const n = castToNumber(raw);
    return Number.isFinite(n) ? n : 0;
  },
  toDb: (_field, value) => {
    const n = castToNumber(value);
    return Number.isFinite(n) ? n : 0;
  },
  toJSON: (_field, value) => {
    const n = castToNumber(value);
    return Number.isFinite(n) ? n : 0;
  },

  validateValue(field, value) {
    if (typeof value !== "number") return fieldError("validation_invalid_value", "Invalid or unsupported value type.");
    if (!Number.isFinite(value)) return fieldError("validation_not_a_number", "The submitted number is not properly formatted.");
    if (value === 0) return field.required ? fieldError("validation_required", "Cannot be blank.") : null;
    if (field.onlyInt === true && !Number.isInteger(value)) {
      return fieldError("validation_only_int_constraint", "Decimal numbers are not allowed.");
    }
    const min = nullableNumber(field, "min");
    if (min !== null && value < min) {
      return fieldError("validation_min_number_constraint", `Must be larger than ${formatPlainNumber(min)}.`, { min });
    }
    const max = nullableNumber(field, "max");
    if (max !== null && value > max) {
      return fieldError("validation_max_number_constraint", `Must be less than ${formatPlainNumber(max)}.`, { max });
    }
    return null;
  },

  validateOptions(field) {
    const errors: OptionErrors = {};
    for (const key of ["min", "max"] as const) {
      const v = field[key];
      if (v === null || v === undefined) continue;
      let err: FieldError | null = null;
      if (typeof v !== "number" || !Number.isFinite(v)) err = fieldError("validation_invalid_value", "Must be a valid number or null.");
      else if (field.onlyInt === true && !Number.isInteger(v)) err = fieldError("validation_only_int_constraint", "Decimal numbers are not allowed.");
      if (err) errors[key] = err;
    }
    const min = nullableNumber(field, "min");
    const max = nullableNumber(field, "max");
    // PocketBase parity: like ozzo's Min rule, a zero max is not compared.
    if (!errors.max && min !== null && max !== null && max !== 0 && max < min) {
      errors.max = fieldError("validation_min_greater_equal_than_required", `Must be no less than ${formatPlainNumber(min)}.`, { threshold: min });
    }
    if (field.onlyInt !== undefined && typeof field.onlyInt !== "boolean") {
      errors.onlyInt = fieldError("validation_invalid_value", "Must be a boolean.");
    }
    return withCommonErrors(field, errors);
  },

  applyModifier(_field, current, modifier, value) {
    const cur = castToNumber(current);
    if (modifier === "append") return cur + castToNumber(value);
    if (modifier === "remove") return cur - castToNumber(value);
    return current;
  },
};
