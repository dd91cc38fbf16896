import type { FieldConfig } from "../collections/collection-types.ts";
import type { FieldError } from "./field-kind.ts";
import { fieldError } from "../api-error.ts";

/** Option errors of one field: option name → error. */
export type OptionErrors = Record<string, FieldError>;

/** PocketBase parity: the largest integer JSON clients can represent exactly (2^53 - 1). */
export const MAX_SAFE_JSON_INT = Number.MAX_SAFE_INTEGER;

/** Names no field may take (compared case-insensitively). */
const RESERVED_FIELD_NAMES = ["null", "true", "false", "_rowid_", "collectionid", "collectionname", "expand"];

const FIELD_NAME_RE = /^\w+$/;

/**
 * Validates the keys every field has: `id` (1–100 chars), `name` (`^\w+$`, 1–100 chars, not
 * reserved, no `_via_`) and `help` (≤ 300 chars). Returns null when all are valid.
 *
 * NB: uniqueness of names/ids inside the collection, type changes and system-field rules are
 * checked by the collection layer, which sees every field at once.
 */
export function validateCommonOptions(field: FieldConfig): OptionErrors | null {
  const errors: OptionErrors = {};

  const id = typeof field.id === "string" ? field.id : "";
  if (id === "") errors.id = fieldError("validation_required", "Cannot be blank.");
  else if (id.length > 100) errors.id = lengthError(1, 100);

  const name = typeof field.name === "string" ? field.name : "";
  if (name === "") {
    errors.name = fieldError("validation_required", "Cannot be blank.");
  } else if (name.length > 100) {
    errors.name = lengthError(1, 100);
  } else if (!FIELD_NAME_RE.test(name)) {
    errors.name = fieldError("validation_match_invalid", "Must be in a valid format.");
  } else if (RESERVED_FIELD_NAMES.includes(name.toLowerCase())) {
    errors.name = fieldError("validation_not_in_invalid", `The name "${name}" is reserved.`);
  } else if (name.includes("_via_")) {
    errors.name = fieldError("validation_found_via", 'The name must not contain "_via_".');
  }

  if (field.help !== undefined) {
    if (typeof field.help !== "string") {
      errors.help = fieldError("validation_invalid_value", "Must be a string.");
    } else if ([...field.help].length > 300) {
      errors.help = fieldError("validation_length_too_long", "The length must be no more than 300.", { max: 300 });
    }
  }

  return Object.keys(errors).length > 0 ? errors : null;
}

function lengthError(min: number, max: number): FieldError {
  return fieldError("validation_length_out_of_range", `The length must be between ${min} and ${max}.`, { min, max });
}

/**
 * PocketBase parity (ozzo-validation threshold rules): a lower bound check that is skipped for
 * the zero value. Returns an error when `value < min`.
 */
export function checkMinThreshold(value: number, min: number): FieldError | null {
  if (value === 0 || value >= min) return null;
  return fieldError("validation_min_greater_equal_than_required", `Must be no less than ${min}.`, { threshold: min });
}

/** Like `checkMinThreshold`, for an upper bound: an error when `value > max` (0 is skipped). */
export function checkMaxThreshold(value: number, max: number): FieldError | null {
  if (value === 0 || value <= max) return null;
  return fieldError("validation_max_less_equal_than_required", `Must be no greater than ${max}.`, { threshold: max });
}

/** An error when an option that must be a whole number is not one. */
export function checkIntegerOption(value: unknown): FieldError | null {
  if (typeof value === "number" && Number.isInteger(value)) return null;
  return fieldError("validation_invalid_value", "Must be a whole number.");
}

/** An error when an option that must be a boolean is not one. */
export function checkBoolOption(value: unknown): FieldError | null {
  return typeof value === "boolean" ? null : fieldError("validation_invalid_value", "Must be a boolean.");
}

/**
 * Checks an integer option against `[min, max]` with PocketBase's rules (type, then the zero-
 * skipping thresholds). Adds the error under `key`.
 */
export function checkIntRange(errors: OptionErrors, key: string, value: unknown, min: number, max = MAX_SAFE_JSON_INT): void {
  const err = checkIntegerOption(value) ?? checkMinThreshold(value as number, min) ?? checkMaxThreshold(value as number, max);
  if (err) errors[key] = err;
}

/** Merges the common-key errors with a kind's own option errors; null when both are empty. */
export function withCommonErrors(field: FieldConfig, own: OptionErrors): OptionErrors | null {
  const all = { ...(validateCommonOptions(field) ?? {}), ...own };
  return Object.keys(all).length > 0 ? all : null;
}
